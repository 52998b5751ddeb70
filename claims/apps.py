from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Fact-checking"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from claims import guards  # noqa: F401 - connects the no-hard-delete receivers

        # The failed-login limiter's counters (a database cache table unless CACHE_URL is set).
        from factcheck import login_throttle

        post_migrate.connect(login_throttle.create_cache_table, sender=self, dispatch_uid="factcheck-login-cache")
