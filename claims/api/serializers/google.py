"""Google Fact Check Tools API (v1alpha1) shapes: the `claims:search` parameters, its answer and
its error, as Google documents them (developers.google.com/fact-check/tools/api/reference/rest/
v1alpha1/claims/search). The answer is built as plain rows (`claims.api.views.google`); these
serializers validate the parameters and describe the answer in the OpenAPI document."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers

from claims.ingest.links import domain_of
from claims.matching.language import normalise_language

# Google answers an `offset` page by counting rows; here a page past this many rows is reached by
# `pageToken` (a keyset position), so no request makes the database walk an unbounded OFFSET.
MAX_OFFSET = 1000
MAX_QUERY_LENGTH = 500


class GoogleSearchQuerySerializer(serializers.Serializer):
    query = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_QUERY_LENGTH,
        help_text="Textual query string. Required unless reviewPublisherSiteFilter is specified.",
    )
    languageCode = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=35,
        help_text='BCP-47 language code, e.g. "en-US" or "sr-Latn"; restricts results by language (region ignored).',
    )
    reviewPublisherSiteFilter = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=253,
        help_text="The review publisher site to filter results by, e.g. nytimes.com.",
    )
    maxAgeDays = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=365 * 1000,
        help_text="Maximum age in days, by claim date or review date, whichever is newer.",
    )
    pageSize = serializers.IntegerField(
        required=False, help_text="Results per page (1-100, default 10)."
    )  # checked by the paginator, which owns the page-size rule
    pageToken = serializers.CharField(
        required=False, help_text="The nextPageToken of the previous answer (all other parameters unchanged)."
    )
    offset = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_OFFSET,
        help_text=f"Start at this result (0-{MAX_OFFSET}); only used without pageToken.",
    )

    def validate_languageCode(self, value):
        try:
            return normalise_language(value, field="languageCode")
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["languageCode"]) from None

    def validate_reviewPublisherSiteFilter(self, value):
        """The host, as Google's `publisher.site` gives it ("nytimes.com"; a scheme, "www." or a
        path is dropped)."""
        value = value.strip()
        if not value:
            return ""
        site = domain_of(value if "://" in value else f"http://{value}")
        if not site:
            raise serializers.ValidationError(_("A site such as nytimes.com is required."))
        return site

    def validate(self, attrs):
        if not attrs.get("query", "").strip() and not attrs.get("reviewPublisherSiteFilter"):
            raise serializers.ValidationError({"query": [_("Required unless reviewPublisherSiteFilter is specified.")]})
        return attrs


class GooglePublisherSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The name of this publisher, e.g. PolitiFact.")
    site = serializers.CharField(help_text="Host-level site name, without the protocol or www, e.g. politifact.com.")


class GoogleClaimReviewSerializer(serializers.Serializer):
    publisher = GooglePublisherSerializer()
    url = serializers.CharField(help_text="The URL of this claim review.")
    title = serializers.CharField(required=False, help_text="The title of this claim review, if it can be determined.")
    reviewDate = serializers.CharField(required=False, help_text="When the claim was reviewed (RFC 3339).")
    textualRating = serializers.CharField(help_text="Textual rating, e.g. Pants on Fire!")
    languageCode = serializers.CharField(required=False, help_text="The language this review was written in (BCP-47).")


class GoogleClaimSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The claim text.")
    claimant = serializers.CharField(required=False, help_text="A person or organization stating the claim.")
    claimDate = serializers.CharField(required=False, help_text="The date the claim was made (RFC 3339 timestamp).")
    claimReview = GoogleClaimReviewSerializer(many=True, help_text="One or more reviews of this claim.")


class GoogleSearchResponseSerializer(serializers.Serializer):
    claims = GoogleClaimSerializer(many=True, required=False, help_text="The claims and their reviews.")
    nextPageToken = serializers.CharField(
        required=False, help_text="The pageToken of the next page; absent when there are no more results."
    )


class GoogleErrorBodySerializer(serializers.Serializer):
    code = serializers.IntegerField(help_text="The HTTP status code.")
    message = serializers.CharField()
    status = serializers.CharField(help_text="The google.rpc.Code name, e.g. INVALID_ARGUMENT.")
    details = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text='For a bad parameter: [{"@type": "type.googleapis.com/google.rpc.BadRequest", '
        '"fieldViolations": [{"field": "pageSize", "description": "..."}]}].',
    )


class GoogleErrorSerializer(serializers.Serializer):
    error = GoogleErrorBodySerializer()
