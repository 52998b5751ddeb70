"""Issue (or reissue) a REST API token for a user: `manage.py create_api_token alice [--reset]`.

Tokens can also be issued in the admin (Auth Token → Tokens). What a token may do follows the
user's groups: Reviewers write claims, figures, evidence and verdicts; Editors also publish.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from claims import roles


class Command(BaseCommand):
    help = "Print the API token of a user, creating it if needed (--reset replaces an existing one)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reset", action="store_true", help="Revoke the current token and issue a new one.")

    @transaction.atomic
    def handle(self, *args, username, reset=False, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; activate the account first.")
        if reset:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        if created and not reset:
            self.stderr.write(f"Issued a new token for {username}.")
        elif reset:
            self.stderr.write(f"Replaced the token of {username}.")
        role = "editor" if roles.is_editor(user) else "reviewer" if roles.is_reviewer(user) else None
        if role is None:
            self.stderr.write(
                f"Note: {username} is not a reviewer or editor (active staff in those groups): "
                "the token reads public data only."
            )
        self.stdout.write(token.key)
