"""django.contrib.admin with the reviewers' workspace as its home page (claims/admin_site.py).

Its own module: claims/apps.py may declare only the one AppConfig Django picks for `claims`."""

from django.contrib.admin.apps import AdminConfig


class FactcheckAdminConfig(AdminConfig):
    default_site = "claims.admin_site.FactcheckAdminSite"
