"""Atom feed of changes to the public record: each publication, correction and withdrawal of a
verdict is an entry of its own, so subscribers learn when a verdict they read changed or went."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from claims import site_selectors
from claims.rating_text import rating_label

FEED_SIZE = 50

EXAMPLE_NOTE = " (Example verdict from demo data, not a real fact-check.)"


class LatestVerdictsFeed(Feed):
    feed_type = Atom1Feed
    subtitle = "Published verdicts on checkable claims, their corrections and withdrawals, newest first."

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
        events = site_selectors.record_events(AnonymousUser(), limit=FEED_SIZE)
        for event in events:
            # atom:id must be an absolute IRI that never changes for this event. A publication keeps
            # the id it always had; a withdrawal is another event of the same verdict.
            anchor = f"withdrawal-{event.verdict.pk}" if event.kind == "withdrawn" else f"verdict-{event.verdict.pk}"
            event.feed_id = request.build_absolute_uri(f"{event.verdict.claim.get_absolute_url()}#{anchor}")
        return events

    def item_title(self, event):
        verdict = event.verdict
        if event.kind == "withdrawn":
            return f"Withdrawn: {verdict.claim.text}"
        if event.kind == "corrected":
            return f"Corrected to {rating_label(verdict.rating)}: {verdict.claim.text}"
        return f"{rating_label(verdict.rating)}: {verdict.claim.text}"

    def item_description(self, event):
        verdict = event.verdict
        if event.kind == "withdrawn":
            text = (
                f"The verdict “{rating_label(verdict.rating)}: {verdict.summary}” was withdrawn. "
                f"Reason: {verdict.withdrawal_reason}"
            )
        elif event.kind == "corrected":
            previous = verdict.supersedes
            text = f"Corrected from {rating_label(previous.rating)} to {rating_label(verdict.rating)}. "
            text += f"Correction: {verdict.correction_note} New verdict: {verdict.summary}"
        else:
            text = verdict.summary
        if verdict.is_example:
            text += EXAMPLE_NOTE
        # Atom's summary is type="html": escaped here, a reader's feed client shows the text as text.
        return escape(text)

    def item_link(self, event):
        return f"{event.verdict.claim.get_absolute_url()}#verdict-{event.verdict.pk}"

    def item_guid(self, event):
        return event.feed_id

    item_guid_is_permalink = False

    def item_pubdate(self, event):
        return event.at

    def item_updateddate(self, event):
        return event.at

    def item_categories(self, event):
        return {"withdrawn": ["Withdrawn"], "corrected": [rating_label(event.verdict.rating), "Correction"]}.get(
            event.kind, [rating_label(event.verdict.rating)]
        )
