"""Store an article's text and propose its check-worthy sentences as new claims for review."""

import datetime as dt
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims import roles
from claims.choices import ArticleKind
from claims.ingest.articles import DEFAULT_LIMIT, ingest_article


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = (
        "Store an article (FILE, or '-' for stdin) and create up to --limit candidate claims (status new) "
        "with their appearances and parsed figures. Idempotent per article URL."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--url", required=True, help="the article's address (stored normalised)")
        parser.add_argument("--outlet", help="publisher name (a Source, created if missing)")
        parser.add_argument("--author", action="append", default=[], help="author name; repeat for several")
        parser.add_argument("--date", help="publication date, YYYY-MM-DD")
        parser.add_argument("--title")
        parser.add_argument("--kind", choices=ArticleKind.values, default=ArticleKind.NEWS)
        parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="most candidates to create")
        parser.add_argument("--user", help="reviewer recorded as creator (default: the first superuser)")

    def handle(self, *args, file, url, outlet, author, date, title, kind, limit, user, **options):
        users = get_user_model().objects
        by = users.filter(username=user).first() if user else users.filter(is_superuser=True).order_by("id").first()
        if by is None:
            raise CommandError(f"No user named {user!r}." if user else "No superuser exists: pass --user REVIEWER.")
        if not roles.is_reviewer(by):
            raise CommandError(f"{by.get_username()!r} is not a reviewer or editor (active staff in those groups).")
        try:
            text = sys.stdin.read() if file == "-" else open(file, encoding="utf-8").read()
        except OSError as error:
            raise CommandError(str(error)) from None
        if not text.strip():
            raise CommandError("The article text is empty.")
        try:
            result = ingest_article(
                text=text,
                url=url,
                by=by,
                outlet=outlet,
                authors=author,
                published_on=_date(date) if date else None,
                title=title,
                kind=kind,
                limit=limit,
            )
        except ValidationError as error:
            raise CommandError(f"Nothing stored: {error}") from None
        for line in result.lines():
            self.stdout.write(line)
