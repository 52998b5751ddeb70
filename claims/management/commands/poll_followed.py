"""Poll the followed sources that are due (or all of them with --now), here and now, or queue them."""

from django.core.management.base import BaseCommand

from claims.intake.follow import due_sources, enqueue_due, poll
from claims.intake.follow_models import FollowedSource


class Command(BaseCommand):
    help = "Poll followed sources that are due, in this process; --now polls every active source; --defer queues jobs."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="poll every active source, due or not")
        parser.add_argument("--defer", action="store_true", help="queue poll jobs for the worker instead")

    def handle(self, *args, now=False, defer=False, **options):
        if defer:
            self.stdout.write(f"{enqueue_due()} poll jobs queued.")
            return
        sources = FollowedSource.objects.filter(active=True) if now else due_sources()
        for pk, url in sources.values_list("pk", "url"):
            outcome = poll(pk)
            if outcome["error"]:
                self.stdout.write(f"{url}: failed: {outcome['error']}")
            elif outcome["status"] == 304:
                self.stdout.write(f"{url}: not modified.")
            else:
                claims = f" ({outcome['claims']} new claims for review)" if "claims" in outcome else ""
                self.stdout.write(f"{url}: {outcome['found']} items found, {outcome['new']} new{claims}.")
            if outcome.get("note"):
                self.stdout.write(f"{url}: {outcome['note']}")
