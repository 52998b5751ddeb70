"""Atom feed of changes to the public record: each publication, correction and withdrawal of a
verdict, and each merge of a public claim into another, is an entry of its own, so subscribers
learn when a verdict they read changed or went, or moved to another claim's page.

One feed per language, under the reader site's prefix (/feed/, /fa/feed/, ...): its wording and
its links are in that language; the claims keep their own text."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext, gettext_lazy

from claims import site_selectors
from claims.rating_text import rating_label

FEED_SIZE = 50

EXAMPLE_NOTE = gettext_lazy(" (Example verdict from demo data, not a real fact-check.)")


class LatestVerdictsFeed(Feed):
    feed_type = Atom1Feed

    def subtitle(self):
        return gettext("Published verdicts on checkable claims, their corrections and withdrawals, newest first.")

    def title(self):
        return gettext("%(site)s: latest verdicts") % {"site": settings.FACTCHECK_SITE_NAME}

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
            # the id it always had; a withdrawal is another event of the same verdict; a merge is
            # named by the merged claim's own (now redirecting) address.
            if event.kind == "merged":
                event.feed_id = request.build_absolute_uri(
                    f"{event.merge.merged.get_absolute_url()}#merge-{event.merge.pk}"
                )
                continue
            anchor = f"withdrawal-{event.verdict.pk}" if event.kind == "withdrawn" else f"verdict-{event.verdict.pk}"
            event.feed_id = request.build_absolute_uri(f"{event.verdict.claim.get_absolute_url()}#{anchor}")
        return events

    def item_title(self, event):
        if event.kind == "merged":
            return gettext("Merged: %(claim)s") % {"claim": event.merge.merged.text}
        verdict = event.verdict
        words = {"rating": rating_label(verdict.rating), "claim": verdict.claim.text}
        if event.kind == "withdrawn":
            return gettext("Withdrawn: %(claim)s") % words
        if event.kind == "corrected":
            return gettext("Corrected to %(rating)s: %(claim)s") % words
        return gettext("%(rating)s: %(claim)s") % words

    def item_description(self, event):
        if event.kind == "merged":
            merge = event.merge
            return escape(
                gettext(
                    "“%(merged)s” is the same claim as “%(survivor)s”: its page, verdicts and figures are now "
                    "on that claim's page, where its old address leads."
                )
                % {"merged": merge.merged.text, "survivor": merge.survivor.text}
            )
        verdict = event.verdict
        if event.kind == "withdrawn":
            text = gettext("The verdict “%(rating)s: %(summary)s” was withdrawn. Reason: %(reason)s") % {
                "rating": rating_label(verdict.rating),
                "summary": verdict.summary,
                "reason": verdict.withdrawal_reason,
            }
        elif event.kind == "corrected":
            text = gettext(
                "Corrected from %(previous)s to %(rating)s. Correction: %(note)s New verdict: %(summary)s"
            ) % {
                "previous": rating_label(verdict.supersedes.rating),
                "rating": rating_label(verdict.rating),
                "note": verdict.correction_note,
                "summary": verdict.summary,
            }
        else:
            text = verdict.summary
        if verdict.is_example:
            text += str(EXAMPLE_NOTE)
        # Atom's summary is type="html": escaped here, a reader's feed client shows the text as text.
        return escape(text)

    def item_link(self, event):
        if event.kind == "merged":
            return event.merge.survivor.get_absolute_url()
        return f"{event.verdict.claim.get_absolute_url()}#verdict-{event.verdict.pk}"

    def item_guid(self, event):
        return event.feed_id

    item_guid_is_permalink = False

    def item_pubdate(self, event):
        return event.at

    def item_updateddate(self, event):
        return event.at

    def item_categories(self, event):
        if event.kind == "merged":
            return [gettext("Merged")]
        return {
            "withdrawn": [gettext("Withdrawn")],
            "corrected": [rating_label(event.verdict.rating), gettext("Correction")],
        }.get(event.kind, [rating_label(event.verdict.rating)])
