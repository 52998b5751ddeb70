"""Import ClaimReview files (single, list, DataFeed, Fact Check Tools response, JSON Lines; '-' = stdin)."""

import dataclasses
from contextlib import ExitStack

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims import roles
from claims.claimreview import ClaimReviewFileError
from claims.ingest.claimreview_import import (
    DEFAULT_BATCH_SIZE,
    ImportInput,
    import_claimreview,
    is_base_url,
    spooled_stdin,
)


class Command(BaseCommand):
    help = (
        "Import schema.org ClaimReview as published claims and verdicts attributed to the fact-checker. "
        "Idempotent (keyed on the review URL). A malformed file writes nothing; malformed items are "
        "reported with their position and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="ClaimReview file(s); '-' reads standard input")
        parser.add_argument("--user", help="username recorded in the history as the importer")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="items per transaction")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--base-url", help="the page the file(s) came from: relative review URLs resolve against it"
        )

    def handle(self, *args, paths, user=None, batch_size, no_progress=False, verbosity=1, base_url=None, **options):
        by = None
        if user:
            try:
                by = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user named {user!r}.") from None
            if not roles.is_editor(by):
                raise CommandError(f"{user!r} is not an editor: importing publishes verdicts.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if base_url is not None and not is_base_url(base_url):
            raise CommandError("--base-url must be a full http(s) address.")
        with ExitStack() as stack:
            inputs = [
                stack.enter_context(spooled_stdin()) if path == "-" else ImportInput.from_path(path) for path in paths
            ]
            inputs = [dataclasses.replace(source, base_url=base_url) for source in inputs]
            try:
                report = import_claimreview(
                    inputs, by=by, batch_size=batch_size, progress=verbosity >= 1 and not no_progress
                )
            except ClaimReviewFileError as error:
                raise CommandError(f"Nothing imported: {error}") from None
            except OSError as error:
                raise CommandError(f"Nothing imported: {error}") from None
        for line in report.lines():
            self.stdout.write(line)
        if report.credibility_recomputed is False:
            self.stdout.write(self.style.WARNING("Run `manage.py recompute_credibility` to update source scores."))
        elif report.credibility_recomputed:
            self.stdout.write("Source credibility recomputed.")
