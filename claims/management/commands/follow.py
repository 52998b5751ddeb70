"""Follow a fact-checker's ClaimReview source by URL."""

from django.core.management.base import BaseCommand, CommandError

from claims.intake.fetch import UnsafeURL, check_url
from claims.intake.follow import MIN_POLL_INTERVAL_SECONDS
from claims.intake.follow_models import FollowedSource, FollowKind


class Command(BaseCommand):
    help = "Follow a source (polled in the background by the worker; see poll_followed)."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--kind", choices=FollowKind.values, default=FollowKind.DATAFEED)
        parser.add_argument("--interval", type=int, default=3600, help="seconds between polls (default 3600)")

    def handle(self, *args, url, kind, interval, **options):
        if interval < MIN_POLL_INTERVAL_SECONDS:
            raise CommandError("--interval must be at least 60 seconds.")
        try:
            check_url(url)
        except UnsafeURL as error:
            raise CommandError(f"url: {error}") from None
        source, created = FollowedSource.objects.update_or_create(
            url=url, defaults={"kind": kind, "poll_interval_seconds": interval, "active": True}
        )
        self.stdout.write(f"{'Following' if created else 'Updated'} {source.url} ({source.kind}, every {interval} s).")
