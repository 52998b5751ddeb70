"""Admin pages for intake: reviewers paste an article's text to store it and propose candidate
claims; editors upload a ClaimReview file to import it.

Mounted at /admin/ingest-article/ and /admin/import-claimreview/ from factcheck/urls.py (kept apart
from claims/admin/). They use the same services as `manage.py ingest_article` and
`manage.py import_claimreview` (and the API's /api/v1/import/claimreview/).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from claims.admin.base import add_service_errors
from claims.choices import ArticleKind
from claims.claimreview import ClaimReviewFileError
from claims.ingest.api import max_import_bytes
from claims.ingest.articles import DEFAULT_LIMIT, file_proposal, ingest_article
from claims.ingest.claimreview_import import ImportInput, import_claimreview
from claims.models import Article, Claim
from claims.services import is_editor, is_reviewer


class ArticleTextForm(forms.Form):
    url = forms.URLField(max_length=1000, assume_scheme="https", label=_("URL"), help_text=_("The article's address."))
    title = forms.CharField(
        max_length=500, required=False, label=_("Title"), help_text=_("Empty: the first line, if it is a headline.")
    )
    outlet = forms.CharField(
        max_length=200, required=False, label=_("Outlet"), help_text=_("Publisher; created as a source if new.")
    )
    authors = forms.CharField(max_length=500, required=False, label=_("Authors"), help_text=_("Comma-separated names."))
    published_on = forms.DateField(
        required=False, label=_("Published on"), help_text="YYYY-MM-DD", widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(choices=ArticleKind.choices, initial=ArticleKind.NEWS, label=_("Kind"))
    limit = forms.IntegerField(
        min_value=1, max_value=50, initial=DEFAULT_LIMIT, label=_("Limit"), help_text=_("Most claims to create.")
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 20, "cols": 100}), max_length=200_000, label=_("Text"))


def ingest_article_view(request):
    if not is_reviewer(request.user):
        raise PermissionDenied(gettext("Only reviewers and editors may ingest articles."))
    result = None
    form = ArticleTextForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = ingest_article(
                text=data["text"],
                url=data["url"],
                by=request.user,
                outlet=data["outlet"] or None,
                authors=[name.strip() for name in data["authors"].split(",") if name.strip()],
                published_on=data["published_on"],
                title=data["title"] or None,
                kind=data["kind"],
                limit=data["limit"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
    context = {
        **admin.site.each_context(request),
        "title": gettext("Ingest an article"),
        "form": form,
        "result": result,
    }
    return render(request, "admin/claims/ingest_article.html", context)


class ProposalAnswerForm(forms.Form):
    """A reviewer's answer to "likely the same claim": add the sentence to that claim, or not."""

    article = forms.IntegerField(widget=forms.HiddenInput)
    quote = forms.CharField(max_length=1000, widget=forms.HiddenInput)
    claim = forms.IntegerField(required=False, widget=forms.HiddenInput, help_text="Empty: a new claim anyway.")


@require_POST
def answer_proposal_view(request):
    if not is_reviewer(request.user):
        raise PermissionDenied("Only reviewers and editors may file ingested sentences.")
    form = ProposalAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Nothing filed: {form.errors.as_text()}")
        return redirect("claims-ingest-article")
    data = form.cleaned_data
    article = get_object_or_404(Article, pk=data["article"])
    claim = get_object_or_404(Claim, pk=data["claim"]) if data["claim"] else None
    try:
        proposal = file_proposal(article=article, quote=data["quote"], by=request.user, claim=claim)
    except ValidationError as error:
        messages.error(request, f"Nothing filed: {'; '.join(error.messages)}")
        return redirect("admin:claims_article_change", article.pk)
    if claim is not None:
        messages.success(request, f"Added as a new appearance of “{claim}” in {article}.")
    else:
        messages.success(request, "Created as a new claim for review.")
    return redirect(reverse("admin:claims_claim_change", args=[proposal.claim_id]))


class ClaimReviewFileForm(forms.Form):
    file = forms.FileField(
        label=_("ClaimReview file"),
        help_text=_("JSON (one review, a list, a DataFeed or a Fact Check Tools answer) or JSON Lines."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_import_bytes()
        if upload.size > limit:
            raise ValidationError(
                gettext("The file is larger than %(limit)d bytes; import it with `manage.py import_claimreview`.")
                % {"limit": limit}
            )
        return upload


def import_claimreview_view(request):
    if not is_editor(request.user):
        raise PermissionDenied(gettext("Only editors may import ClaimReview: importing publishes verdicts."))
    report = None
    form = ClaimReviewFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            source = ImportInput.from_seekable(upload.name or "upload", upload.file)
            report = import_claimreview([source], by=request.user)
        except ClaimReviewFileError as error:
            form.add_error("file", gettext("Nothing imported: %(error)s") % {"error": error})
    context = {
        **admin.site.each_context(request),
        "title": gettext("Import ClaimReview"),
        "form": form,
        "report": report,
    }
    return render(request, "admin/claims/import_claimreview.html", context)


urlpatterns = [
    path("", admin.site.admin_view(ingest_article_view), name="claims-ingest-article"),
    path("proposal/", admin.site.admin_view(answer_proposal_view), name="claims-ingest-proposal"),
]
import_urlpatterns = [
    path("", admin.site.admin_view(import_claimreview_view), name="claims-import-claimreview"),
]
