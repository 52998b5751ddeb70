"""Reader site views. Every query goes through `visible_to` (claims/querysets.py)."""

from django.shortcuts import get_object_or_404, render

from claims.models import Claim, Measure, Source, Verdict


def home(request):
    latest = (
        Verdict.objects.visible_to(request.user)
        .published()
        .select_related("claim", "rating")
        .order_by("-published_at", "-id")[:10]
    )
    disputed = Measure.objects.visible_to(request.user).disputed()[:10]
    return render(request, "claims/home.html", {"latest_verdicts": latest, "disputed_measures": disputed})


def claim_detail(request, slug):
    claim = get_object_or_404(
        Claim.objects.visible_to(request.user).select_related("claimant", "published_verdict__rating"), slug=slug
    )
    return render(request, "claims/claim_detail.html", {"claim": claim})


def source_detail(request, slug):
    source = get_object_or_404(Source.objects.visible_to(request.user), slug=slug)
    return render(request, "claims/source_detail.html", {"source": source})


def measure_detail(request, slug):
    measure = get_object_or_404(Measure.objects.visible_to(request.user), slug=slug)
    return render(request, "claims/measure_detail.html", {"measure": measure})
