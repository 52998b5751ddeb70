"""Create the demo superuser once, with a generated password kept under var/ and printed."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

USERNAME = "admin"


class Command(BaseCommand):
    help = "Create the demo admin account once (password generated, stored in var/demo-admin-password)."

    def handle(self, *args, **options):
        password_file = settings.VAR_DIR / "demo-admin-password"
        User = get_user_model()
        if not User.objects.filter(username=USERNAME).exists():
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(USERNAME, email="admin@example.org", password=password)
            settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
            self.stdout.write(self.style.SUCCESS(f"Created demo admin account: {USERNAME} / {password}"))
        elif password_file.exists():
            self.stdout.write(f"Demo admin account: {USERNAME} / {password_file.read_text().strip()}")
        else:
            self.stdout.write(f"User {USERNAME!r} already exists (password not managed by this command).")
