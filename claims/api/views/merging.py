"""Merging duplicate claims over the API, and the permanent redirects of merged claims' URLs
(mixed into the claims viewset: its detail routes answer 301 for a merged claim)."""

from __future__ import annotations

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from claims.api.permissions import IsEditor
from claims.api.serializers.merging import ClaimMergeResultSerializer, ClaimMergeSerializer
from claims.matching.merges import claim_for_key, redirect_target
from claims.models import Claim


class ClaimMergeMixin:
    def handle_exception(self, exc):
        """A detail route (`/claims/<slug or id>/`, its `claimreview/`) of a merged claim, or of a
        claim asked for by id, answers 301 to the survivor's (or the claim's own) slug URL."""
        request = self.request
        key = self.kwargs.get(self.lookup_field) if hasattr(self, "kwargs") else None
        if isinstance(exc, Http404 | NotFound) and key and request.method in ("GET", "HEAD"):
            target = redirect_target(key, request.user, by_id=True)
            if target is not None:
                match = request.resolver_match
                url = reverse(f"{match.namespace}:{match.url_name}", kwargs={**match.kwargs, "slug": target.slug})
                query = request.META.get("QUERY_STRING", "")
                return HttpResponsePermanentRedirect(url + (f"?{query}" if query else ""))
        return super().handle_exception(exc)

    @extend_schema(
        summary="Merge a duplicate claim into another (editors)",
        description=(
            "The claim in the URL (id or slug) is folded into `into` (id or slug; a claim that was itself merged "
            "is followed to its final survivor): its appearances with their figures, verdicts, topics and tips "
            "move there, credibility and conflict states are recomputed, and its page and API URLs answer "
            "301 to the survivor's from then on. Published verdicts stay published. Refused (400) into itself, "
            "when the claim has a verdict under review, when both claims have a published verdict, or when both "
            "appear in one article in different voices; 403 for non-editors and, by the two-person rule, for "
            "the author of a published verdict the merge would make the survivor's. An editor can split the "
            "merge again in the admin. Public merges emit the `claim.merged` webhook event."
        ),
        request=ClaimMergeSerializer,
        responses={
            200: ClaimMergeResultSerializer,
            400: OpenApiTypes.OBJECT,
            403: OpenApiResponse(description="Not an editor, or the two-person rule"),
            404: OpenApiResponse(description="No such claim"),
        },
    )
    @action(detail=True, methods=["post"], url_path="merge", permission_classes=[IsEditor])
    def merge(self, request, *args, **kwargs):
        from claims.services.merging import merge_claims

        merged = claim_for_key(request.user, kwargs[self.lookup_field])
        if merged is None:
            raise NotFound("No such claim.")
        body = ClaimMergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        into = claim_for_key(request.user, body.validated_data["into"], follow_merges=True)
        if into is None:
            raise ValidationError({"into": ["No such claim."]})
        record = merge_claims(merged=merged, into=into, by=request.user, note=body.validated_data["note"])
        moved = record.moved
        return Response(
            {
                "id": record.pk,
                "merged_at": record.merged_at,
                "merged_by": request.user.get_username(),
                "claim": self._claim_part(record.merged),
                "into": self._claim_part(record.survivor),
                "moved": {
                    "appearances": len(moved["appearances"]),
                    "folded_figures": len(moved["folded_figures"]),
                    "verdicts": len(moved["verdicts"]),
                    "topics": len(moved["topics"]),
                    "tips": len(moved["tips"]),
                },
            }
        )

    def _claim_part(self, claim: Claim) -> dict:
        url = self.request.build_absolute_uri(reverse("api:claim-detail", kwargs={"slug": claim.slug}))
        return {"id": claim.pk, "slug": claim.slug, "url": url}
