"""The claim list and detail JSON, built from plain rows: the one producer of those shapes.

A page of 50 claims is one `values()` query (the selector's queryset, so filters, visibility and
keyset ordering are the queryset's), and small functions shape each row; nested DRF serializers
over model instances cost ~50 ms a page (field objects per value, `reverse()` per link, five model
instances per claim). `ClaimSerializer` and `ClaimDetailSerializer` describe these shapes in the
OpenAPI document and produce nothing. Scalar values go through DRF's field classes, so dates,
decimals and versions read as in the rest of the API.
"""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.core.validators import slug_re
from django.db.models import OuterRef, QuerySet
from django.utils.timezone import get_current_timezone as _current_timezone
from rest_framework import serializers
from rest_framework.reverse import reverse

from claims.models import Appearance, Article, Evidence, Figure, Topic, Verdict

_SLUG = "__slug__"  # a placeholder reversed once per request, then replaced per row
_DATE = serializers.DateField()

CLAIM_LIST_FIELDS = (
    "id",
    "slug",
    "text",
    "language",
    "status",
    "first_seen",
    "updated_at",
    "appearances_count",
    "figures_count",
    "claimant__slug",
    "claimant__name",
    "claimant__kind",
    "published_verdict__summary",
    "published_verdict__published_at",
    "published_verdict__rating__slug",
    "published_verdict__rating__label",
    "published_verdict__rating__ordinal",
    "published_verdict__rating__colour",
    "published_verdict__review_url",
    "published_verdict__original_rating_label",
    "published_verdict__organisation__name",
    "topic_slugs",
    "topic_names",
)


def _topics(field: str) -> ArraySubquery:
    return ArraySubquery(Topic.objects.filter(claims=OuterRef("pk")).order_by("name", "id").values(field))


def claim_list_values(queryset: QuerySet, *extra: str) -> QuerySet:
    """The selector's claim queryset as dicts: joined columns, counts, and topics as two arrays
    (in Topic's order), so a page is one query."""
    extra = tuple(name for name in extra if name not in CLAIM_LIST_FIELDS)
    topics = {"topic_slugs": _topics("slug"), "topic_names": _topics("name")}
    return queryset.prefetch_related(None).annotate(**topics).values(*CLAIM_LIST_FIELDS, *extra)


class UrlMaker:
    """Absolute URLs from one `reverse()` per route for the request: the (prefix, suffix) around
    a placeholder value, then each row's value put between them. `formatted` links carry the
    request's format suffix, as DRF's hyperlinked fields do (and, as DRF's `reverse()` does, a
    `?format=` query parameter); `kwarg` is the route's lookup. `tz` is the current time zone,
    looked up once per request."""

    def __init__(self, request, format=None):
        self.request = request
        self.format = format
        self.tz = _current_timezone()
        self._templates: dict[tuple[str, bool], tuple[str, str]] = {}

    def _reverse(self, view_name: str, value, formatted: bool, kwarg: str) -> str:
        kwargs = {kwarg: value}
        if view_name.startswith("api:"):
            fmt = self.format if formatted else None
            return reverse(view_name, kwargs=kwargs, request=self.request, format=fmt)
        return self.request.build_absolute_uri(reverse(view_name, kwargs=kwargs))

    def _template(self, view_name: str, formatted: bool, kwarg: str) -> tuple[str, str]:
        url = self._reverse(view_name, _SLUG, formatted, kwarg)
        template = self._templates[(view_name, formatted)] = tuple(url.split(_SLUG, 1))
        return template

    def __call__(self, view_name: str, value, formatted: bool = False, kwarg: str = "slug") -> str:
        value = str(value)
        if not slug_re.match(value):
            return self._reverse(view_name, value, formatted, kwarg)  # needs percent-encoding: rare
        template = self._templates.get((view_name, formatted)) or self._template(view_name, formatted, kwarg)
        return f"{template[0]}{value}{template[1]}"

    def pk(self, view_name: str, pk: int) -> str:
        """A formatted link to a row by primary key (`api_url`)."""
        return self(view_name, pk, formatted=True, kwarg="pk")


def _datetime(value, tz):
    """DRF's ISO 8601 form: in the current time zone (`tz`), `Z` for UTC (its field costs ~4 µs a call)."""
    if value is None:
        return None
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _date(value):
    return None if value is None else _DATE.to_representation(value)


def version_of(updated_at) -> int:
    """`services.row_version` for a row fetched as a dict."""
    return int(updated_at.timestamp() * 1_000_000)


def claim_item(row: dict, urls: UrlMaker) -> dict:
    """One claim in a list, the shape of `ClaimSerializer`."""
    slug = row["slug"]
    claimant_slug = row["claimant__slug"]
    rating_slug = row["published_verdict__rating__slug"]
    imported = row["published_verdict__review_url"] is not None
    return {
        "url": urls("api:claim-detail", slug, formatted=True),
        "id": row["id"],
        "slug": slug,
        "text": row["text"],
        "language": row["language"],
        "claimant": None
        if claimant_slug is None
        else {
            "url": urls("api:source-detail", claimant_slug, formatted=True),
            "slug": claimant_slug,
            "name": row["claimant__name"],
            "kind": row["claimant__kind"],
        },
        "status": row["status"],
        "rating": None
        if rating_slug is None
        else {
            "slug": rating_slug,
            "label": row["published_verdict__rating__label"],
            "ordinal": row["published_verdict__rating__ordinal"],
            "colour": row["published_verdict__rating__colour"],
        },
        "verdict_summary": row["published_verdict__summary"],
        "verdict_published_at": _datetime(row["published_verdict__published_at"], urls.tz),
        # as Verdict.shown_label and ClaimSerializer.get_verdict_publisher
        "verdict_label": (imported and row["published_verdict__original_rating_label"])
        or row["published_verdict__rating__label"],
        "verdict_publisher": row["published_verdict__organisation__name"] if imported else None,
        "first_seen": _date(row["first_seen"]),
        "topics": [{"slug": s, "name": n} for s, n in zip(row["topic_slugs"], row["topic_names"], strict=True)],
        "appearances_count": row["appearances_count"],
        "figures_count": row["figures_count"],
        "version": version_of(row["updated_at"]),
        "links": {
            "web": urls("claims:claim-detail", slug),
            "claimreview": urls("api:claim-claimreview", slug),
        },
    }


# --- Claim detail ----------------------------------------------------------------------------

_SPREAD = serializers.DecimalField(max_digits=20, decimal_places=6)  # Measure.spread
_FIGURE_VALUE = serializers.DecimalField(max_digits=24, decimal_places=6)  # Figure.low / high


def _decimal(field, value):
    return None if value is None else field.to_representation(value)


def _source(urls: UrlMaker, slug, name, kind) -> dict | None:
    """`SourceBriefSerializer`."""
    if slug is None:
        return None
    return {"url": urls("api:source-detail", slug, formatted=True), "slug": slug, "name": name, "kind": kind}


_AUTHOR_FIELDS = ("slug", "name", "kind")
_EVIDENCE_FIELDS = ("id", "url", "title", "publisher", "accessed_on", "archived_url", "note", "updated_at")


def _with_extra(fields: tuple[str, ...], extra: tuple[str, ...]) -> tuple[str, ...]:
    return fields + tuple(name for name in extra if name not in fields)


def _authors(field: str) -> ArraySubquery:
    """One column of an article's authors, in Source's order (name, id) as the prefetch had it."""
    links = Article.authors.through.objects.filter(article_id=OuterRef("article_id"))
    return ArraySubquery(links.order_by("source__name", "source__id").values(f"source__{field}"))


APPEARANCE_FIELDS = (
    "id", "quote", "voice", "updated_at", "claim__slug", "article_id", "article__url", "article__title",
    "article__published_on", "article__kind", "article__language", "article__parent_id", "article__archived_url",
    "article__outlet__slug", "article__outlet__name", "article__outlet__kind",
    "attributed_to__slug", "attributed_to__name", "attributed_to__kind",
)  # fmt: skip


def appearance_values(queryset: QuerySet, *extra: str) -> QuerySet:
    """Appearances as rows with article, outlet, attribution and the article's authors (as
    arrays): one query. `extra`: the fields a keyset ordering reads."""
    authors = {f"author_{field}s": _authors(field) for field in _AUTHOR_FIELDS}
    return queryset.prefetch_related(None).annotate(**authors).values(*_with_extra(APPEARANCE_FIELDS, extra), *authors)


def claim_appearance_values(claim_id) -> QuerySet:
    """A claim's appearances in id order."""
    return appearance_values(Appearance.objects.filter(claim_id=claim_id).order_by("id"))


def appearance_item(a: dict, urls: UrlMaker, staff: bool = False) -> dict:
    """One appearance with its article: the shape `AppearanceSerializer` documents, for the
    appearance endpoints and inside the claim detail."""
    article_id = a["article_id"]
    authors = [
        _source(urls, slug, name, kind)
        for slug, name, kind in zip(a["author_slugs"], a["author_names"], a["author_kinds"], strict=True)
    ]
    article = {
        "api_url": urls.pk("api:article-detail", article_id),
        "id": article_id,
        "url": a["article__url"],
        "title": a["article__title"],
        "outlet": _source(urls, a["article__outlet__slug"], a["article__outlet__name"], a["article__outlet__kind"]),
        "published_on": _date(a["article__published_on"]),
        "kind": a["article__kind"],
        "authors": authors,
        "language": a["article__language"],
        "parent": a["article__parent_id"],
        "archived_url": a["article__archived_url"],
    }
    return {
        "api_url": urls.pk("api:appearance-detail", a["id"]),
        "id": a["id"],
        "claim": a["claim__slug"],
        "article": article,
        "quote": a["quote"],
        "voice": a["voice"],
        "attributed_to": _source(urls, a["attributed_to__slug"], a["attributed_to__name"], a["attributed_to__kind"]),
        "version": version_of(a["updated_at"]),
    }


def figure_values(claim_id) -> QuerySet:
    """The figures of a claim's appearances, appearance by appearance, then measure, then id."""
    return (
        Figure.objects.counted()
        .filter(appearance__claim_id=claim_id)
        .order_by("appearance_id", "measure_id", "id")
        .values(
            "id", "quoted_text", "low", "high", "qualifier", "unit", "point_in_time", "rank", "rank_reason",
            "updated_at", "measure_id", "measure__slug", "measure__name", "measure__unit",
            "measure__conflict_state", "measure__spread",
        )
    )  # fmt: skip


def _figures_by_measure(figures: list[dict], urls: UrlMaker) -> list[dict]:
    """`MeasureFiguresSerializer` groups: measures in the order the claim's figures first name them
    (appearance by appearance, then measure id, then figure id), as `selectors.figures_by_measure`."""
    groups: dict[int, dict] = {}
    for f in figures:
        group = groups.get(f["measure_id"])
        if group is None:
            slug = f["measure__slug"]
            measure = {
                "url": urls("api:measure-detail", slug, formatted=True),
                "slug": slug,
                "name": f["measure__name"],
                "unit": f["measure__unit"],
                "conflict_state": f["measure__conflict_state"],
                "spread": _decimal(_SPREAD, f["measure__spread"]),
            }
            group = groups[f["measure_id"]] = {"measure": measure, "figures": []}
        group["figures"].append(
            {
                "api_url": urls.pk("api:figure-detail", f["id"]),
                "id": f["id"],
                "quoted_text": f["quoted_text"],
                "low": _decimal(_FIGURE_VALUE, f["low"]),
                "high": _decimal(_FIGURE_VALUE, f["high"]),
                "qualifier": f["qualifier"],
                "unit": f["unit"],
                "point_in_time": _date(f["point_in_time"]),
                "rank": f["rank"],
                "rank_reason": f["rank_reason"],
                "version": version_of(f["updated_at"]),
            }
        )
    return list(groups.values())


def _evidence(field: str) -> ArraySubquery:
    return ArraySubquery(Evidence.objects.filter(verdict_id=OuterRef("pk")).order_by("id").values(field))


EVIDENCE_FIELDS = ("verdict_id", *_EVIDENCE_FIELDS)


def evidence_values(queryset: QuerySet, *extra: str) -> QuerySet:
    """Evidence as rows (the evidence endpoints). `extra`: the fields a keyset ordering reads."""
    return queryset.values(*_with_extra(EVIDENCE_FIELDS, extra))


def evidence_item(e: dict, urls: UrlMaker, staff: bool = False) -> dict:
    """One piece of evidence: the shape `EvidenceSerializer` documents, for the evidence
    endpoints and inside each verdict."""
    return {
        "api_url": urls.pk("api:evidence-detail", e["id"]),
        "id": e["id"],
        "verdict": e["verdict_id"],
        "url": e["url"],
        "title": e["title"],
        "publisher": e["publisher"],
        "accessed_on": _date(e["accessed_on"]),
        "archived_url": e["archived_url"],
        "note": e["note"],
        "version": version_of(e["updated_at"]),
    }


VERDICT_FIELDS = (
    "id", "claim__slug", "status", "summary", "rationale", "version", "submitted_at", "published_at",
    "withdrawn_at", "correction_note", "withdrawal_reason", "supersedes_id", "is_example", "author__username",
    "approver__username", "rating__slug", "rating__label", "rating__ordinal", "rating__colour", "review_url",
    "original_rating_label", "organisation__name", "organisation__homepage",
)  # fmt: skip


def verdict_values(queryset: QuerySet, *extra: str) -> QuerySet:
    """Verdicts as rows with their evidence in id order (as arrays): one query. `extra`: the
    fields a keyset ordering reads."""
    evidence = {f"evidence_{field}s": _evidence(field) for field in _EVIDENCE_FIELDS}
    return queryset.prefetch_related(None).annotate(**evidence).values(*_with_extra(VERDICT_FIELDS, extra), *evidence)


def claim_verdict_values(user, claim_id) -> QuerySet:
    """The claim's verdicts this user may see (`visible_to`), newest published first."""
    return verdict_values(Verdict.objects.visible_to(user).filter(claim_id=claim_id).order_by("-published_at", "-id"))


def verdict_item(v: dict, urls: UrlMaker, staff: bool) -> dict:
    """One verdict with its evidence: the shape `VerdictSerializer` documents, for the verdict
    endpoints and in the claim detail's history. Author and approver for staff only."""
    evidence = [
        evidence_item({"verdict_id": v["id"], **dict(zip(_EVIDENCE_FIELDS, values, strict=True))}, urls)
        for values in zip(*(v[f"evidence_{field}s"] for field in _EVIDENCE_FIELDS), strict=True)
    ]
    item = {
        "api_url": urls.pk("api:verdict-detail", v["id"]),
        "id": v["id"],
        "claim": v["claim__slug"],
        "status": v["status"],
        "rating": {
            "slug": v["rating__slug"],
            "label": v["rating__label"],
            "ordinal": v["rating__ordinal"],
            "colour": v["rating__colour"],
        },
        "is_imported": v["review_url"] is not None,  # as Verdict.is_imported
        "original_rating_label": v["original_rating_label"],
        "publisher": (
            {"name": v["organisation__name"], "homepage": v["organisation__homepage"]}
            if v["organisation__name"] is not None
            else None
        ),
        "review_url": v["review_url"],
        "summary": v["summary"],
        "rationale": v["rationale"],
        "version": v["version"],
        "submitted_at": _datetime(v["submitted_at"], urls.tz),
        "published_at": _datetime(v["published_at"], urls.tz),
        "withdrawn_at": _datetime(v["withdrawn_at"], urls.tz),
        "correction_note": v["correction_note"],
        "withdrawal_reason": v["withdrawal_reason"],
        "supersedes": v["supersedes_id"],
        "is_example": v["is_example"],
    }
    if staff:
        item["author"] = v["author__username"]
        item["approver"] = v["approver__username"]
    item["evidence"] = evidence
    return item


CLAIM_DETAIL_EXTRA = ("published_verdict_id", "assigned_to__username")


def claim_detail_item(claim: dict, *, user, urls: UrlMaker, staff: bool, fetch) -> dict:
    """A claim the user may see (a `claim_list_values` row with `CLAIM_DETAIL_EXTRA`), the shape
    of `ClaimDetailSerializer`, in three more queries: appearances (with article authors), figures,
    verdicts (with evidence). `fetch(name, build, claim_id)` runs the named part's queryset
    (`build(claim_id)`) and returns its rows."""
    claim_id = claim["id"]
    item = claim_item(claim, urls)
    item["appearances"] = [appearance_item(a, urls) for a in fetch("appearances", claim_appearance_values, claim_id)]
    item["figures_by_measure"] = _figures_by_measure(fetch("figures", figure_values, claim_id), urls)
    verdicts = fetch("verdicts", lambda claim_id: claim_verdict_values(user, claim_id), claim_id)
    item["verdicts"] = [verdict_item(v, urls, staff) for v in verdicts]
    current = next((v for v in item["verdicts"] if v["id"] == claim["published_verdict_id"]), None)
    item["evidence"] = current["evidence"] if current else []
    if staff:
        item["assigned_to"] = claim["assigned_to__username"]
    return item
