"""Nothing published is ever hard-deleted: withdrawal (with a public reason) replaces deletion.

Connected in ClaimsConfig.ready(). The receivers run for `instance.delete()` and for
`QuerySet.delete()` alike (Django sends pre_delete per object once a receiver is connected), so
the admin, the API, commands and the shell are all covered; the admin and API also hide the
delete buttons, this is the last line.

Figures and appearances of a public claim are part of what readers saw (the claim page, the
measure's chart, the conflict state): a wrong figure is deprecated with a reason, which keeps it
visible as such; an appearance stays.
"""

from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from claims.choices import PUBLIC_CLAIM_STATUSES, PUBLIC_VERDICT_STATUSES
from claims.models import Appearance, Claim, Evidence, Figure, Verdict


class PublishedRecordProtected(ProtectedError):
    """Deleting this would remove something readers have seen; withdraw or correct it instead."""

    def __init__(self, obj, why: str, remedy: str = "withdraw it instead"):
        super().__init__(f"{obj._meta.verbose_name.capitalize()} {obj.pk} {why}; {remedy}.", {obj})


@receiver(pre_delete, sender=Verdict, dispatch_uid="factcheck-keep-public-verdicts")
def keep_public_verdicts(sender, instance: Verdict, **kwargs):
    if instance.status in PUBLIC_VERDICT_STATUSES:
        raise PublishedRecordProtected(instance, f"is {instance.get_status_display().lower()}")


@receiver(pre_delete, sender=Claim, dispatch_uid="factcheck-keep-public-claims")
def keep_public_claims(sender, instance: Claim, **kwargs):
    if instance.status in PUBLIC_CLAIM_STATUSES:
        raise PublishedRecordProtected(instance, f"is {instance.get_status_display().lower()}")


@receiver(pre_delete, sender=Evidence, dispatch_uid="factcheck-keep-public-evidence")
def keep_public_evidence(sender, instance: Evidence, **kwargs):
    status = Verdict.objects.filter(pk=instance.verdict_id).values_list("status", flat=True).first()
    if status in PUBLIC_VERDICT_STATUSES:
        raise PublishedRecordProtected(instance, "supports a public verdict")


def _claim_is_public(claim_id) -> bool:
    return Claim.objects.filter(pk=claim_id, status__in=PUBLIC_CLAIM_STATUSES).exists()


def refuse_if_public_figure(figure: Figure) -> None:
    if _claim_is_public(Appearance.objects.filter(pk=figure.appearance_id).values("claim_id")[:1]):
        raise PublishedRecordProtected(figure, "belongs to a public claim", "deprecate it with a reason instead")


@receiver(pre_delete, sender=Figure, dispatch_uid="factcheck-keep-public-figures")
def keep_public_figures(sender, instance: Figure, **kwargs):
    refuse_if_public_figure(instance)


@receiver(pre_delete, sender=Appearance, dispatch_uid="factcheck-keep-public-appearances")
def keep_public_appearances(sender, instance: Appearance, **kwargs):
    if _claim_is_public(instance.claim_id):
        raise PublishedRecordProtected(instance, "belongs to a public claim", "withdraw the verdict instead")
