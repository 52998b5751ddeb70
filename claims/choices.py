"""Enumerations shared by models, services, the API and the reader site."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SourceKind(models.TextChoices):
    OUTLET = "outlet", _("Outlet")
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")
    GOVERNMENT = "government", _("Government")
    ANONYMOUS = "anonymous", _("Anonymous")


class ArticleKind(models.TextChoices):
    NEWS = "news", _("News")
    OPINION = "opinion", _("Opinion / analysis")
    COMMENT = "comment", _("Reader comment")
    STATEMENT = "statement", _("Official statement")
    SOCIAL = "social", _("Social post")


class ClaimStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("claim status", "New")
    IN_REVIEW = "in_review", pgettext_lazy("claim status", "In review")
    PUBLISHED = "published", pgettext_lazy("claim status", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("claim status", "Withdrawn")
    # Folded into another claim by an editor (claims/services/merging.py): its URLs redirect there.
    MERGED = "merged", pgettext_lazy("claim status", "Merged")


class Voice(models.TextChoices):
    """Whether an article states a claim itself or attributes it to someone else."""

    ASSERTS = "asserts", _("Asserts")
    REPORTS = "reports", _("Reports")


class Qualifier(models.TextChoices):
    """How a figure's bounds should be read (Wikidata-style precision)."""

    EXACT = "exact", _("Exact")
    APPROXIMATE = "approximate", _("Approximate")
    AT_LEAST = "at_least", _("At least")
    AT_MOST = "at_most", _("At most")
    RANGE = "range", _("Range")


class Rank(models.TextChoices):
    PREFERRED = "preferred", _("Preferred")
    NORMAL = "normal", _("Normal")
    DEPRECATED = "deprecated", _("Deprecated")


class VerdictStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("verdict status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("verdict status", "Submitted")
    PUBLISHED = "published", pgettext_lazy("verdict status", "Published")
    SUPERSEDED = "superseded", pgettext_lazy("verdict status", "Superseded")
    WITHDRAWN = "withdrawn", pgettext_lazy("verdict status", "Withdrawn")


class ConflictState(models.TextChoices):
    """A measure's agreement state, kept up to date whenever its figures change."""

    NO_FIGURES = "no_figures", _("No figures")
    SINGLE_SOURCE = "single_source", _("Single source")
    CONSISTENT = "consistent", _("Consistent")
    DISPUTED = "disputed", _("Disputed")


# Verdict states that readers may see (in a claim's public history).
PUBLIC_VERDICT_STATUSES = (
    VerdictStatus.PUBLISHED,
    VerdictStatus.SUPERSEDED,
    VerdictStatus.WITHDRAWN,
)
# Claim states that readers may see: published, and withdrawn (shown with the public reason).
PUBLIC_CLAIM_STATUSES = (ClaimStatus.PUBLISHED, ClaimStatus.WITHDRAWN)
