"""Factcheck's tables, constraints and indexes. Rules about state changes live in services.py."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from pgvector.django import HnswIndex, VectorField
from simple_history.models import HistoricalRecords

from claims.choices import (
    ArticleKind,
    ClaimStatus,
    ConflictState,
    Qualifier,
    Rank,
    SourceKind,
    VerdictStatus,
    Voice,
)
from claims.matching.language import validate_language_tag
from claims.querysets import (
    ArticleQuerySet,
    ClaimQuerySet,
    FigureQuerySet,
    MeasureQuerySet,
    SourceQuerySet,
    VerdictQuerySet,
    search_config,
    search_text,
)


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Topic(TimeStamped):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Source(TimeStamped):
    """A party that makes or carries claims: an outlet, person, organisation, government, or anonymous."""

    kind = models.CharField(max_length=20, choices=SourceKind.choices, db_index=True)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    homepage = models.URLField(max_length=500, blank=True)
    domain = models.CharField(max_length=253, blank=True, db_index=True)
    country = models.CharField(max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2 code"), db_index=True)
    description = models.TextField(blank=True)

    # Cached credibility (claims/credibility.py); null score = not enough data.
    credibility_score = models.FloatField(null=True, blank=True, editable=False)
    credibility_low = models.FloatField(null=True, blank=True, editable=False)
    credibility_high = models.FloatField(null=True, blank=True, editable=False)
    rated_claims_count = models.PositiveIntegerField(default=0, editable=False)
    rating_counts = models.JSONField(default=dict, blank=True, editable=False)
    credibility_computed_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["credibility_computed_at"])
    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["credibility_score", "id"], name="source_score_idx"),
            models.Index(fields=["rated_claims_count", "id"], name="source_rated_idx"),
            models.Index(fields=["name", "id"], name="source_name_idx"),
            # Sources of one kind by name (the admin's outlet and claimant filters): without it the
            # name index is walked past every other kind first (96 ms at 100,000 sources).
            models.Index(fields=["kind", "name", "id"], name="source_kind_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(credibility_low__isnull=True)
                | Q(credibility_high__isnull=True)
                | Q(credibility_low__lte=F("credibility_high")),
                name="source_credibility_interval_ordered",
            ),
            models.CheckConstraint(
                condition=Q(credibility_score__isnull=True)
                | (Q(credibility_score__gte=0) & Q(credibility_score__lte=1)),
                name="source_credibility_score_in_unit_range",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("claims:source-detail", kwargs={"slug": self.slug})


class Article(TimeStamped):
    """A document claims appear in (news piece, opinion, reader comment, statement, social post)."""

    url = models.URLField(max_length=1000, unique=True, help_text=_("Normalised URL"))
    title = models.CharField(max_length=500, blank=True)
    outlet = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="outlet_articles")
    authors = models.ManyToManyField(Source, blank=True, related_name="authored_articles")
    published_on = models.DateField(null=True, blank=True, db_index=True)
    language = models.CharField(
        max_length=12,
        blank=True,
        default="en",
        help_text=_("BCP-47 tag, e.g. en, fa, pt-BR; detected when left empty"),
        validators=[validate_language_tag],
    )
    kind = models.CharField(max_length=20, choices=ArticleKind.choices, default=ArticleKind.NEWS)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
        help_text=_("For a reader comment: the article it was posted under."),
    )
    archived_url = models.URLField(max_length=1000, blank=True)
    body = models.TextField(blank=True, help_text=_("Full text, when ingested"))

    history = HistoricalRecords(excluded_fields=["body"])
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="article_not_own_parent"),
        ]

    def __str__(self):
        return self.title or self.url


class Claim(TimeStamped):
    """One checkable statement, written neutrally, with its workflow status."""

    text = models.TextField(max_length=2000)
    slug = models.SlugField(max_length=120, unique=True)
    claimant = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    first_seen = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    # The verdict readers see now; maintained by services.publish/withdraw (denormalised so that
    # lists join one row instead of searching the verdict history).
    published_verdict = models.OneToOneField(
        "Verdict", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    language = models.CharField(
        max_length=12,
        blank=True,
        default="",
        help_text=_("BCP-47 tag, e.g. en, fa, pt-BR; detected when left empty"),
        validators=[validate_language_tag],
    )
    search_vector = models.GeneratedField(
        # The claim's own language's stemming ("Covid-19" = "Covid 19" whatever the language).
        expression=SearchVector(search_text(F("text")), config=search_config(F("language"))),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # The text's sentence embedding (claims/matching/embeddings.py), kept current by services;
    # null until computed (a backfill: `manage.py embed_claims`).
    embedding = VectorField(dimensions=512, null=True, blank=True, editable=False)
    # Claims that readers sent in through the tip line (claims/intake/tips.py) rather than staff.
    from_tip_line = models.BooleanField(default=False, db_default=False, editable=False)
    # How many distinct tips asked about this claim: a cached counter kept by the tip line with an
    # UPDATE … SET demand = demand + 1 (no history row, no new `updated_at`: readers see no change).
    # Database defaults too: bulk writers that COPY claims (claims/synthetic/) need not name them.
    demand = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["search_vector", "embedding", "demand"])
    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-first_seen", "-id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="claim_search_idx"),
            models.Index(fields=["status", "-first_seen", "-id"], name="claim_status_seen_idx"),
            models.Index(fields=["status", "-id"], name="claim_status_id_idx"),
            # The review queue's default order, oldest waiting first (status, then id ascending).
            models.Index(fields=["status", "id"], name="claim_status_oldest_idx"),
            # Lists ordered newest first across statuses (the review queue, public lists where
            # nearly every claim is public).
            models.Index(fields=["-first_seen", "-id"], name="claim_seen_idx"),
            models.Index(fields=["assigned_to", "status"], name="claim_assignee_idx"),
            # A source's scorecard: its claims as claimant, newest first (perfsite, docs/PERFORMANCE.md).
            models.Index(fields=["claimant", "-first_seen", "-id"], name="claim_claimant_seen_idx"),
            # The review queue by demand, most asked first (within a status, and across statuses).
            models.Index(fields=["status", "-demand", "id"], name="claim_status_demand_idx"),
            models.Index(fields=["-demand", "id"], name="claim_demand_idx"),
            # Nearest claims by meaning (cosine), for matching.
            HnswIndex(
                name="claim_embedding_hnsw_idx",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("claims:claim-detail", kwargs={"slug": self.slug})


class Appearance(TimeStamped):
    """A claim in an article: the short quote and whether the article asserts or reports it."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="appearances")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="appearances")
    quote = models.TextField(max_length=1000, blank=True)
    voice = models.CharField(max_length=10, choices=Voice.choices, default=Voice.ASSERTS)
    attributed_to = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attributed_appearances",
        help_text=_("When the article reports the claim: whom it attributes it to."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "article"], name="appearance_claim_article_unique"),
        ]

    def __str__(self):
        return f"{self.claim} in {self.article}"

    def _sayer_order(self):
        # A reported claim is the named party's word, then the claimant's; an asserted one is
        # the article's own, so its outlet answers for it before the claimant does.
        if self.voice == Voice.REPORTS:
            return ((self, "attributed_to"), (self.claim, "claimant"), (self.article, "outlet"))
        return ((self.article, "outlet"), (self.claim, "claimant"))

    @property
    def sayer_id(self) -> int | None:
        """Who said what this appearance carries (its figures included), as a Source id, or None."""
        return next((pk for holder, name in self._sayer_order() if (pk := getattr(holder, f"{name}_id"))), None)

    @property
    def sayer(self) -> Source | None:
        """The Source of `sayer_id`, from the loaded relation (select_related it to save queries)."""
        return next((getattr(h, n) for h, n in self._sayer_order() if getattr(h, f"{n}_id") is not None), None)


class Measure(TimeStamped):
    """A quantity that figures are about, e.g. the Azeri population of Iran (unit: count)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    unit = models.CharField(max_length=16, help_text=_("Canonical unit code (see claims/figures.py)"))
    description = models.TextField(blank=True)
    comparison_window_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("Figures whose dates are further apart than this are not compared. Empty: always compared."),
    )
    # Cached conflict assessment over the *public* figures (those of public claims), so that
    # readers never infer unpublished figures; refreshed by services when figures or publication change.
    conflict_state = models.CharField(
        max_length=20, choices=ConflictState.choices, default=ConflictState.NO_FIGURES, editable=False
    )
    spread = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True, editable=False)
    conflicts = models.JSONField(default=list, blank=True, editable=False)

    history = HistoricalRecords()
    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["conflict_state", "id"], name="measure_conflict_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("claims:measure-detail", kwargs={"slug": self.slug})


class Figure(TimeStamped):
    """What one appearance says about a measure: bounds, qualifier, unit, time, the quoted text."""

    appearance = models.ForeignKey(Appearance, on_delete=models.CASCADE, related_name="figures")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="figures")
    low = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    high = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    qualifier = models.CharField(max_length=12, choices=Qualifier.choices, default=Qualifier.EXACT)
    unit = models.CharField(max_length=16)
    point_in_time = models.DateField(null=True, blank=True)
    quoted_text = models.CharField(max_length=200, help_text=_('As written, e.g. "15-18 million"'))
    rank = models.CharField(max_length=12, choices=Rank.choices, default=Rank.NORMAL)
    rank_reason = models.CharField(max_length=300, blank=True)
    # Software (article ingestion) only *proposes* a measure: a proposal counts toward no conflict,
    # chart or score (FigureQuerySet.counted) until a reviewer confirms it or picks another measure.
    proposed = models.BooleanField(
        default=False, help_text=_("The measure was suggested by software and awaits a reviewer's confirmation.")
    )
    proposal_confidence = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True, editable=False)
    proposal_reason = models.CharField(max_length=300, blank=True, editable=False)

    history = HistoricalRecords()
    objects = FigureQuerySet.as_manager()

    class Meta:
        ordering = ["measure_id", "id"]
        indexes = [
            models.Index(fields=["measure", "rank"], name="figure_measure_rank_idx"),
            # A measure's figures in reading order (FIGURE_READING_ORDER in claims/site_selectors.py):
            # preferred before normal before deprecated (alphabetically descending), newest first.
            models.Index(
                F("measure"),
                F("rank").desc(),
                F("point_in_time").desc(nulls_last=True),
                F("id").desc(),
                name="figure_measure_reading_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lte=F("high")),
                name="figure_bounds_ordered",
            ),
            models.CheckConstraint(condition=Q(low__isnull=False) | Q(high__isnull=False), name="figure_has_a_bound"),
            models.CheckConstraint(
                condition=~Q(rank=Rank.DEPRECATED) | ~Q(rank_reason=""),
                name="figure_deprecation_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.measure}: {self.quoted_text}"


class RatingLevel(models.Model):
    """One step of the verdict scale (seeded by a migration; edited as data)."""

    slug = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=60, unique=True)
    ordinal = models.PositiveSmallIntegerField(
        null=True, blank=True, unique=True, help_text=_("ClaimReview ratingValue, 5 = true; empty = unverifiable")
    )
    truth_weight = models.FloatField(null=True, blank=True, help_text=_("1.0 true … 0.0 false; empty = not scored"))
    colour = models.CharField(max_length=7, help_text=_("#rrggbb"))
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = [F("ordinal").desc(nulls_last=True), "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(truth_weight__isnull=True) | (Q(truth_weight__gte=0) & Q(truth_weight__lte=1)),
                name="rating_truth_weight_in_unit_range",
            ),
            models.CheckConstraint(
                condition=Q(ordinal__isnull=True) | (Q(ordinal__gte=1) & Q(ordinal__lte=5)),
                name="rating_ordinal_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(ordinal__isnull=True, truth_weight__isnull=True)
                | Q(ordinal__isnull=False, truth_weight__isnull=False),
                name="rating_ordinal_and_weight_together",
            ),
            models.CheckConstraint(condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="rating_colour_hex"),
        ]

    def __str__(self):
        from claims.rating_text import rating_label

        return rating_label(self)  # the admin's choices and history name it in the user's language

    @property
    def is_scored(self) -> bool:
        return self.truth_weight is not None


def translated_languages() -> list[tuple[str, str]]:
    """The shipped languages a rating level is translated into: every language of the site but
    English, which the level's own label and description are written in."""
    return [(code, name) for code, name in settings.LANGUAGES if code.split("-")[0] != "en"]


class RatingLevelTranslation(models.Model):
    """A rating level's label and description in one of the site's languages (data, edited with the
    level in the admin). Read through `claims.rating_text.rating_text`, which falls back to the
    level's own English."""

    level = models.ForeignKey(RatingLevel, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=12, choices=translated_languages)
    label = models.CharField(max_length=60)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["level", "language"]
        constraints = [
            models.UniqueConstraint(fields=["level", "language"], name="rating_translation_one_per_language"),
            # Two levels named alike in one language would be indistinguishable to its readers.
            models.UniqueConstraint(fields=["language", "label"], name="rating_translation_label_unique"),
        ]

    def __str__(self):
        return f"{self.level.slug} [{self.language}]: {self.label}"


class Verdict(TimeStamped):
    """A judgement of a claim. Drafted and submitted by a reviewer, published by another editor."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="verdicts")
    rating = models.ForeignKey(RatingLevel, on_delete=models.PROTECT, related_name="verdicts")
    summary = models.CharField(max_length=280)
    rationale = models.TextField(max_length=20000, blank=True, help_text=_("Markdown"))
    status = models.CharField(max_length=12, choices=VerdictStatus.choices, default=VerdictStatus.DRAFT)
    version = models.PositiveIntegerField(default=1, help_text=_("Optimistic lock: bumped on every change"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="authored_verdicts"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="approved_verdicts"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    correction_note = models.TextField(
        max_length=2000, blank=True, help_text=_("Public note: why this verdict replaced the previous one")
    )
    withdrawal_reason = models.TextField(max_length=2000, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    is_example = models.BooleanField(default=False, help_text=_("Demo data: not a real fact-check"))
    # Imported reviews: the organisation that published them and the original record.
    organisation = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews")
    review_url = models.URLField(max_length=1000, null=True, blank=True, unique=True)
    original_rating_label = models.CharField(max_length=500, blank=True)
    original_data = models.JSONField(null=True, blank=True, editable=False)
    # Why an import attached this review to a claim it did not create (matching's class, score and
    # reason), so a reviewer can judge the match and split a wrong one; "" for a review that made its claim.
    grouping_reason = models.CharField(max_length=300, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["original_data"])
    objects = VerdictQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [
            ("publish_verdict", "Can publish verdicts (never one's own)"),
            ("withdraw_verdict", "Can withdraw or correct published verdicts"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="verdict_status_pub_idx"),
            models.Index(fields=["claim", "status"], name="verdict_claim_status_idx"),
        ]
        constraints = [
            # One current verdict of ours per claim; reviews imported from other fact-checkers are
            # theirs, so several can be current on one claim (as Google groups claimReview[]).
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(status=VerdictStatus.PUBLISHED, review_url__isnull=True),
                name="one_published_own_verdict_per_claim",
            ),
            models.CheckConstraint(
                condition=Q(approver__isnull=True) | Q(author__isnull=True) | ~Q(approver=F("author")),
                name="verdict_two_person_rule",
            ),
            models.CheckConstraint(
                condition=~Q(status=VerdictStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="published_verdict_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=VerdictStatus.WITHDRAWN) | ~Q(withdrawal_reason=""),
                name="withdrawn_verdict_has_reason",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="verdict_version_positive"),
        ]

    def __str__(self):
        return f"{self.rating} — {self.summary[:60]}"

    @property
    def is_imported(self) -> bool:
        """Another organisation's review (kept under its own URL), not one of ours: the same
        test as VerdictQuerySet.own()."""
        return self.review_url is not None

    @property
    def review_link(self) -> str | None:
        """The imported review's address when it is a web page we may link to (an address kept as
        the publisher wrote it, e.g. relative, or of another scheme, is shown as text)."""
        url = self.review_url or ""
        return url if url.lower().startswith(("https://", "http://")) else None

    @property
    def shown_label(self) -> str:
        """The label as its publisher wrote it: an imported review's own ("Pants on Fire!"),
        else our scale's, in the active language."""
        return self.label_in(None)

    def label_in(self, language: str | None) -> str:
        """`shown_label` in `language` (None: the active one); an imported label is the
        publisher's words and stays as written."""
        from claims.rating_text import rating_label

        return (self.is_imported and self.original_rating_label) or rating_label(self.rating, language)


class Evidence(TimeStamped):
    """A source a verdict relies on, with an archived copy where there is one."""

    verdict = models.ForeignKey(Verdict, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(max_length=1000)
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    accessed_on = models.DateField(null=True, blank=True)
    archived_url = models.URLField(max_length=1000, blank=True)
    note = models.TextField(max_length=2000, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = _("evidence")
        constraints = [
            models.UniqueConstraint(fields=["verdict", "url"], name="evidence_url_unique_per_verdict"),
        ]

    def __str__(self):
        return self.title


class RateCounter(models.Model):
    """Sliding-window request counters shared by every process (factcheck/rate_counter.py): this
    fixed window's hits and the previous window's, from which the sliding count is estimated.

    An UNLOGGED table (migration 0007): counters need not survive a crash and skip the WAL. Kept
    as a model so the schema is migrated and tests' flushes empty it like any other table."""

    key = models.CharField(max_length=200, primary_key=True)
    window_number = models.BigIntegerField()
    hits = models.IntegerField()
    previous_hits = models.IntegerField(default=0)
    expires_at = models.BigIntegerField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.hits}"


from claims.intake.follow_models import FollowedEntry, FollowedSource  # noqa: E402, F401  (followed fact-checkers)
from claims.intake.models import WebhookDelivery, WebhookSubscription  # noqa: E402, F401  (models of this app)
from claims.intake.tip_models import Tip, TipSubscription  # noqa: E402, F401  (the tip line's tables)
from claims.matching.merge_models import MergeRecord  # noqa: E402, F401  (merged duplicates, and their undo)
