from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Fact-checking"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from claims import guards  # noqa: F401 - connects the no-hard-delete receivers
