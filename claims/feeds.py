"""Atom feed of published verdicts (corrections appear as new entries with their note)."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claims.models import Verdict

FEED_SIZE = 50


class LatestVerdictsFeed(Feed):
    feed_type = Atom1Feed
    subtitle = "Published verdicts on checkable claims, newest first."

    def title(self):
        return f"{settings.FACTCHECK_SITE_NAME}: latest verdicts"

    def author_name(self):
        return settings.FACTCHECK_SITE_NAME

    def get_object(self, request, *args, **kwargs):
        # The feed is public whoever fetches it: never the staff view, even for a signed-in editor.
        return request

    def link(self):
        return reverse("claims:claim-list")

    def feed_guid(self, request):
        return request.build_absolute_uri(reverse("claims:feed"))

    def items(self, request):
        verdicts = list(
            Verdict.objects.visible_to(AnonymousUser())
            .published()
            .select_related("claim", "rating")
            .order_by("-published_at", "-id")[:FEED_SIZE]
        )
        for verdict in verdicts:
            # atom:id must be an absolute IRI that never changes for this verdict.
            verdict.feed_id = request.build_absolute_uri(f"{verdict.claim.get_absolute_url()}#verdict-{verdict.pk}")
        return verdicts

    def item_title(self, verdict):
        return f"{verdict.rating.label}: {verdict.claim.text}"

    def item_description(self, verdict):
        text = verdict.summary
        if verdict.correction_note:
            text += f" Correction: {verdict.correction_note}"
        if verdict.is_example:
            text += " (Example verdict from demo data, not a real fact-check.)"
        return text

    def item_link(self, verdict):
        return verdict.claim.get_absolute_url()

    def item_guid(self, verdict):
        return verdict.feed_id

    item_guid_is_permalink = False

    def item_pubdate(self, verdict):
        return verdict.published_at

    def item_updateddate(self, verdict):
        return verdict.published_at

    def item_categories(self, verdict):
        return [verdict.rating.label]
