"""Follow a fact-checker's ClaimReview source by URL."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.intake.fetch import UnsafeURL, check_url
from claims.intake.follow import MIN_POLL_INTERVAL_SECONDS
from claims.intake.follow_models import FollowedSource, FollowKind
from claims.services import is_reviewer


class Command(BaseCommand):
    help = "Follow a source (polled in the background by the worker; see poll_followed)."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--kind", choices=FollowKind.values, default=FollowKind.DATAFEED)
        parser.add_argument("--interval", type=int, default=3600, help="seconds between polls (default 3600)")
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help="the reviewer or editor the claims of an RSS feed's articles are recorded under (required for rss)",
        )

    def handle(self, *args, url, kind, interval, by=None, **options):
        if interval < MIN_POLL_INTERVAL_SECONDS:
            raise CommandError("--interval must be at least 60 seconds.")
        followed_by = None
        if by:
            followed_by = get_user_model().objects.filter(username=by).first()
            if followed_by is None or not is_reviewer(followed_by):
                raise CommandError(f"--by: {by!r} is not a reviewer or editor.")
        elif kind == FollowKind.RSS:
            raise CommandError("--by is required for an RSS feed: its articles' claims are recorded under that user.")
        try:
            check_url(url)
        except UnsafeURL as error:
            raise CommandError(f"url: {error}") from None
        source, created = FollowedSource.objects.update_or_create(
            url=url,
            defaults={
                "kind": kind,
                "poll_interval_seconds": interval,
                "active": True,
                **({"followed_by": followed_by} if followed_by else {}),
            },
        )
        self.stdout.write(f"{'Following' if created else 'Updated'} {source.url} ({source.kind}, every {interval} s).")
