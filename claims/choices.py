"""Enumerations shared by models, services, the API and the reader site."""

from django.db import models


class SourceKind(models.TextChoices):
    OUTLET = "outlet", "Outlet"
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"
    GOVERNMENT = "government", "Government"
    ANONYMOUS = "anonymous", "Anonymous"


class ArticleKind(models.TextChoices):
    NEWS = "news", "News"
    OPINION = "opinion", "Opinion / analysis"
    COMMENT = "comment", "Reader comment"
    STATEMENT = "statement", "Official statement"
    SOCIAL = "social", "Social post"


class ClaimStatus(models.TextChoices):
    NEW = "new", "New"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"
    # Folded into another claim by an editor (claims/services/merging.py): its URLs redirect there.
    MERGED = "merged", "Merged"


class Voice(models.TextChoices):
    """Whether an article states a claim itself or attributes it to someone else."""

    ASSERTS = "asserts", "Asserts"
    REPORTS = "reports", "Reports"


class Qualifier(models.TextChoices):
    """How a figure's bounds should be read (Wikidata-style precision)."""

    EXACT = "exact", "Exact"
    APPROXIMATE = "approximate", "Approximate"
    AT_LEAST = "at_least", "At least"
    AT_MOST = "at_most", "At most"
    RANGE = "range", "Range"


class Rank(models.TextChoices):
    PREFERRED = "preferred", "Preferred"
    NORMAL = "normal", "Normal"
    DEPRECATED = "deprecated", "Deprecated"


class VerdictStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ConflictState(models.TextChoices):
    """A measure's agreement state, kept up to date whenever its figures change."""

    NO_FIGURES = "no_figures", "No figures"
    SINGLE_SOURCE = "single_source", "Single source"
    CONSISTENT = "consistent", "Consistent"
    DISPUTED = "disputed", "Disputed"


# Verdict states that readers may see (in a claim's public history).
PUBLIC_VERDICT_STATUSES = (
    VerdictStatus.PUBLISHED,
    VerdictStatus.SUPERSEDED,
    VerdictStatus.WITHDRAWN,
)
# Claim states that readers may see: published, and withdrawn (shown with the public reason).
PUBLIC_CLAIM_STATUSES = (ClaimStatus.PUBLISHED, ClaimStatus.WITHDRAWN)
