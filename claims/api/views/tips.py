"""POST /api/v1/tips/: the tip line for programs (anonymous allowed, its own rate limit)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api.throttling import AnonRateThrottle, TipRateThrottle, UserRateThrottle
from claims.intake.tips import RECEIVED, TipAnswer, TipForm, submit_tip
from factcheck.login_throttle import client_address

TIP_REQUEST = inline_serializer(
    "TipRequest",
    {
        "text": serializers.CharField(required=False, max_length=2000, help_text="The claim (or send `url`)"),
        "url": serializers.URLField(required=False, max_length=1000, help_text="Where it was seen"),
        "language": serializers.CharField(required=False, max_length=12, help_text="BCP-47 tag; detected if empty"),
        "email": serializers.EmailField(
            required=False, help_text="To hear about verdicts on the claim (needs `consent`)"
        ),
        "consent": serializers.BooleanField(required=False, help_text="Consent to be emailed; required with `email`"),
    },
)
TIP_RESPONSE = inline_serializer(
    "TipAnswer",
    {
        "status": serializers.ChoiceField(choices=["already_checked", "received"]),
        "message": serializers.CharField(),
        "checked": inline_serializer(
            "TipChecked",
            {
                "claim": serializers.CharField(),
                "url": serializers.URLField(),
                "rating": serializers.CharField(),
                "summary": serializers.CharField(),
                "reason": serializers.CharField(),
            },
            many=True,
        ),
    },
)


def answer_json(request, answer: TipAnswer) -> dict:
    return {
        "status": answer.status,
        "message": answer.message,
        "checked": [
            {
                "claim": item.claim_text,
                "url": request.build_absolute_uri(item.claim_url),
                "rating": item.rating,
                "summary": item.summary,
                "reason": item.reason,
            }
            for item in answer.checked
        ],
    }


class TipView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle, TipRateThrottle]

    @extend_schema(
        summary="Send a tip: a claim to check",
        description="Answers at once: the published verdicts that match (`already_checked`) or `received`. "
        "An email with `consent` gets one confirmation message, then one per verdict change.",
        request=TIP_REQUEST,
        responses={201: TIP_RESPONSE},
    )
    def post(self, request, *args, **kwargs):
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": [_("Send a JSON object.")]})
        unknown = sorted(set(request.data) - set(TipForm.base_fields))
        if unknown:
            raise ValidationError({name: [_("This field is not taken here.")] for name in unknown})
        data = {name: value for name, value in request.data.items() if value is not None}
        if isinstance(data.get("consent"), bool):
            data["consent"] = "on" if data["consent"] else ""
        wrong = {name: [_("Must be a string.")] for name, value in data.items() if not isinstance(value, str)}
        if wrong:
            raise ValidationError(wrong)
        form = TipForm(data=data)
        if not form.is_valid():
            raise ValidationError({name: list(messages) for name, messages in form.errors.items()})
        if form.is_bot:
            return Response(answer_json(request, TipAnswer(status=RECEIVED)), status=status.HTTP_201_CREATED)
        fields = {name: form.cleaned_data[name] for name in ("text", "url", "language", "email", "consent")}
        answer = submit_tip(**fields, client=client_address(request))
        return Response(answer_json(request, answer), status=status.HTTP_201_CREATED)
