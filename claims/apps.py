from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Fact-checking")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from claims import (
            guards,  # noqa: F401 - connects the no-hard-delete receivers
            rating_text,  # noqa: F401 - connects the rating texts' cache resets
        )
