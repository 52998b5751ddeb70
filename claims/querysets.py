"""Read-side querysets. `visible_to(user)` is the one place that decides what a user may see.

Readers (anonymous or signed-in without a role) see only published material: claims that are
published (or were published and then withdrawn, shown with the public reason), the public
verdict history of those claims, and sources, articles and measures only through them. Staff in
the Reviewers or Editors group (and superusers) see everything.
"""

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank
from django.db import models
from django.db.models.functions import Cast

from claims.choices import (
    PUBLIC_CLAIM_STATUSES,
    PUBLIC_VERDICT_STATUSES,
    ClaimStatus,
    ConflictState,
    VerdictStatus,
    Voice,
)
from claims.roles import is_reviewer


def can_see_unpublished(user) -> bool:
    """True for reviewers, editors and superusers (the reviewer role, claims/roles.py)."""
    return is_reviewer(user)


def visibility_key(user) -> str:
    """What every `visible_to(user)` below depends on, and nothing else: code that compiles a
    visibility-scoped query once and reuses its SQL (`claims/compiled.py`) keys it on this. Keep
    it in step with the `visible_to` methods if one of them ever looks at more of the user."""
    return "unpublished" if can_see_unpublished(user) else "public"


# Where a reader and a writer join words differently: a hyphen or dash inside a word ("Covid-19",
# "Nagorno-Karabakh", "Nakhchivan–Baku") and the seam between letters and digits ("COVID19",
# "43km"). PostgreSQL's parser keeps "covid19" as one word and reads "-19" as a negative number, so
# "Covid 19" would not find "Covid-19". Both the stored vector (Claim.search_vector) and every
# query pass through `search_text`, which turns each seam into a space: all spellings become the
# same words. A leading "-" (websearch's "not") has no word before it and is left alone.
SEARCH_SEAMS = (
    r"(?<=[[:alnum:]])[-‐‑–](?=[[:alnum:]])"  # a hyphen or dash between letters or digits
    r"|(?<=[[:alpha:]])(?=[[:digit:]])|(?<=[[:digit:]])(?=[[:alpha:]])"  # a letter-digit seam
)


def search_text(expression):
    """`expression` (SQL text) with its word seams opened (see SEARCH_SEAMS); immutable, so it may
    compute the generated column."""
    if not hasattr(expression, "resolve_expression"):
        expression = models.Value(expression)
    return models.Func(
        expression,
        models.Value(SEARCH_SEAMS),
        models.Value(" "),
        models.Value("g"),
        function="regexp_replace",
        output_field=models.TextField(),
    )


def search_config(language):
    """The text-search configuration for a language tag (SQL text): PostgreSQL's Snowball stemmer
    for it ("pt-BR" -> portuguese), 'simple' for a language without one, 'english' when unknown.
    `factcheck_search_config` (migration 0010_google_search_language) is the one mapping: the
    stored vector and every query use it, so both sides stem alike. Immutable, so it may compute
    the generated column."""
    if not hasattr(language, "resolve_expression"):
        language = models.Value(language or "")
    return models.Func(language, function="factcheck_search_config", output_field=models.TextField())


class _LanguagesQuery(SearchQuery):
    """`factcheck_search_query(words, tag, ...)`: the websearch query of `words` in each tag's
    configuration, OR'ed, duplicates dropped (migration 0010_google_search_language)."""

    def __init__(self, words, *languages):
        self.function = "factcheck_search_query"
        self.config = None
        self.invert = False
        tags = [Cast(models.Value(tag), models.TextField()) for tag in languages]
        models.Func.__init__(self, words, *tags, output_field=SearchQueryField())


def search_query(text: str, *, language: str = "", detected: str | None = None) -> SearchQuery:
    """The websearch query for `text` (quotes, `or`, `-word`), seams opened, in each language a
    claim it should find may be stored in: the reader's `language`, the language `detected` in the
    text itself (by default: detected here), English (the site's default) and 'simple' ("und":
    claims in a language without a stemmer). A claim's vector is stemmed in its own language, so a
    query matches when one of these stems it alike. The SQL's shape does not depend on the
    languages, only its parameters do (the compiled search path relies on it)."""
    if detected is None:
        from claims.matching.language import detect_language

        detected = detect_language(text)
    return _LanguagesQuery(search_text(text), language or "", detected or "", "en", "und")


class ClaimQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_CLAIM_STATUSES)

    def current(self):
        """Claims that are not merged into another: a merged claim is only a redirect to its
        survivor (claims/services/merging.py), listed, matched and shown to nobody."""
        return self.exclude(status=ClaimStatus.MERGED)

    def search(self, text: str, *, language: str = "", detected: str | None = None):
        """Claims matching `text` (web-search syntax: quotes, `or`, `-word`) on the generated
        `search_vector`, stemmed as `search_query` says (the reader's `language`, the text's own),
        each annotated with its `rank` (ts_rank, best first when ordered by `-rank`). The API's `q`
        and the reader site's search both use it."""
        query = search_query(text, language=language, detected=detected)
        # Cast: ts_rank is a float4, whose text form does not round-trip through a cursor exactly.
        rank = Cast(SearchRank(models.F("search_vector"), query), models.FloatField())
        return self.filter(search_vector=query).annotate(rank=rank)

    def visible_to(self, user):
        return self.current() if can_see_unpublished(user) else self.public()

    def involving(self, source, *, reach: int | None = None):
        """Claims a source made or carried: as claimant, or as the outlet, an author or the
        attributed party of an appearance. With `reach`, only the first `reach` of these claims
        newest first (in this queryset) can come from the claimant part: enough for a page."""
        return self.filter(id__in=claim_ids_of(source, claimant_claims=self, reach=reach))


def claim_ids_of(source, *, asserting_only: bool = False, claimant_claims=None, reach: int | None = None):
    """Ids of the claims a source made or carried, as one UNION of index lookups (claims by
    claimant, appearances by outlet, by author, by attribution): an OR of EXISTS over the claims
    table cannot use those indexes and scans every claim. `asserting_only`: the claims it
    asserted (claimant, or outlet or author of an asserting appearance), which credibility counts.
    With `reach`, the claimant part is an ordered scan of `claimant_claims` that stops early: a
    prolific claimant's claims need not all be sorted to show one page."""
    from claims.models import Appearance, Claim

    appearances = Appearance.objects.filter(voice=Voice.ASSERTS) if asserting_only else Appearance.objects.all()
    as_claimant = Claim.objects.filter(claimant=source).values("id")
    if reach is not None:
        as_claimant = (
            claimant_claims.prefetch_related(None)
            .filter(claimant=source)
            .order_by("-first_seen", "-id")
            .values("id")[:reach]
        )
    parts = [
        appearances.filter(article__outlet=source).values("claim_id"),
        appearances.filter(article__authors=source).values("claim_id"),
    ]
    if not asserting_only:
        parts.append(appearances.filter(attributed_to=source).values("claim_id"))
    return as_claimant.union(*parts)


class VerdictQuerySet(models.QuerySet):
    def public(self):
        """Verdicts readers may see: the public history of public claims."""
        return self.filter(status__in=PUBLIC_VERDICT_STATUSES, claim__status__in=PUBLIC_CLAIM_STATUSES)

    def published(self):
        """The current verdicts: what credibility and ClaimReview exports count."""
        return self.filter(status=VerdictStatus.PUBLISHED)

    def exported(self):
        """Current verdicts of public claims that may leave the site as fact-checks (the DataFeed,
        the Google-compatible search): demo verdicts (`is_example`) stay home unless
        FACTCHECK_EXPORT_EXAMPLE_REVIEWS says otherwise, since aggregators would take them for
        real reviews."""
        from django.conf import settings

        verdicts = self.public().published()
        if not settings.FACTCHECK_EXPORT_EXAMPLE_REVIEWS:
            verdicts = verdicts.filter(is_example=False)
        return verdicts

    def own(self):
        """Verdicts this site wrote (two-person rule), not reviews imported from another
        organisation: only these may be marked up as ours (page JSON-LD, our DataFeed)."""
        return self.filter(review_url__isnull=True)

    def visible_to(self, user):
        return self if can_see_unpublished(user) else self.public()


class SourceQuerySet(models.QuerySet):
    def public(self):
        """Sources connected to at least one public claim (as claimant, outlet, author or attribution)."""
        from claims.models import Appearance, Claim

        public_claims = Claim.objects.public()
        public_appearances = Appearance.objects.filter(claim__in=public_claims)
        return self.filter(
            models.Exists(public_claims.filter(claimant=models.OuterRef("pk")))
            | models.Exists(public_appearances.filter(article__outlet=models.OuterRef("pk")))
            | models.Exists(public_appearances.filter(article__authors=models.OuterRef("pk")))
            | models.Exists(public_appearances.filter(attributed_to=models.OuterRef("pk")))
        )

    def visible_to(self, user):
        return self if can_see_unpublished(user) else self.public()


class ArticleQuerySet(models.QuerySet):
    @staticmethod
    def _is_public():
        from claims.models import Appearance, Claim

        return models.Exists(Appearance.objects.filter(article=models.OuterRef("pk"), claim__in=Claim.objects.public()))

    def public(self):
        return self.filter(self._is_public())

    def with_is_public(self):
        """Each article annotated with `is_public`: whether `public()` would list it."""
        return self.annotate(is_public=self._is_public())

    def visible_to(self, user):
        return self if can_see_unpublished(user) else self.public()


class FigureQuerySet(models.QuerySet):
    def counted(self):
        """Figures that count: every conflict state, chart, figure list and score reads figures
        through this (via `public` and `visible_to`). A proposal, a measure that software chose
        and no reviewer has confirmed yet, stays out until confirmed: a wrongly filed figure must
        never make a measure look disputed."""
        return self.filter(proposed=False)

    def proposals(self):
        """Figures awaiting a reviewer's decision on their measure (the admin's and API's review)."""
        return self.filter(proposed=True)

    def public(self):
        from claims.models import Claim

        return self.counted().filter(appearance__claim__in=Claim.objects.public())

    def visible_to(self, user, *, proposals: bool = False):
        """Readers: public figures. Reviewers: every counted figure, and the proposals too when
        they ask for them (to review them); readers never see a proposal."""
        if can_see_unpublished(user):
            return self if proposals else self.counted()
        return self.public()


class MeasureQuerySet(models.QuerySet):
    def public(self):
        from claims.models import Figure

        return self.filter(models.Exists(Figure.objects.public().filter(measure=models.OuterRef("pk"))))

    def visible_to(self, user):
        return self if can_see_unpublished(user) else self.public()

    def disputed(self):
        return self.filter(conflict_state=ConflictState.DISPUTED)


class MergeRecordQuerySet(models.QuerySet):
    def active(self):
        """Merges not split again: their merged claim redirects to the survivor."""
        return self.filter(split_at__isnull=True)

    def public(self):
        """Merges readers may learn of: of a claim they could see, into one they can see now."""
        return self.active().filter(was_public=True, survivor__status__in=PUBLIC_CLAIM_STATUSES)

    def visible_to(self, user):
        return self.active() if can_see_unpublished(user) else self.public()
