"""Admin page where reviewers paste an article's text to store it and propose candidate claims.

Mounted at /admin/ingest-article/ from factcheck/urls.py (kept apart from claims/admin.py). Uses the
same service as `manage.py ingest_article`.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.urls import path

from claims.admin.base import add_service_errors
from claims.choices import ArticleKind
from claims.ingest.articles import DEFAULT_LIMIT, ingest_article
from claims.services import is_reviewer


class ArticleTextForm(forms.Form):
    url = forms.URLField(max_length=1000, assume_scheme="https", help_text="The article's address.")
    title = forms.CharField(max_length=500, required=False, help_text="Empty: the first line, if it is a headline.")
    outlet = forms.CharField(max_length=200, required=False, help_text="Publisher; created as a source if new.")
    authors = forms.CharField(max_length=500, required=False, help_text="Comma-separated names.")
    published_on = forms.DateField(
        required=False, help_text="YYYY-MM-DD", widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(choices=ArticleKind.choices, initial=ArticleKind.NEWS)
    limit = forms.IntegerField(min_value=1, max_value=50, initial=DEFAULT_LIMIT, help_text="Most claims to create.")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 20, "cols": 100}), max_length=200_000)


def ingest_article_view(request):
    if not is_reviewer(request.user):
        raise PermissionDenied("Only reviewers and editors may ingest articles.")
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
        "title": "Ingest an article",
        "form": form,
        "result": result,
    }
    return render(request, "admin/claims/ingest_article.html", context)


urlpatterns = [path("", admin.site.admin_view(ingest_article_view), name="claims-ingest-article")]
