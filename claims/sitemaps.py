"""sitemap.xml: the public pages only (always computed for an anonymous reader), each in every
language of settings.LANGUAGES with its hreflang alternates and an x-default (the English URL)."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from claims.models import Claim, Measure, Source


class InEveryLanguage(Sitemap):
    """Every page in every language, each URL listing all its language versions."""

    i18n = True
    alternates = True
    x_default = True


class ClaimSitemap(InEveryLanguage):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Claim.objects.visible_to(AnonymousUser()).only("slug", "updated_at").order_by("id")

    def lastmod(self, claim):
        return claim.updated_at


class SourceSitemap(InEveryLanguage):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Source.objects.visible_to(AnonymousUser()).only("slug", "updated_at").order_by("id")

    def lastmod(self, source):
        return source.updated_at


class MeasureSitemap(InEveryLanguage):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Measure.objects.visible_to(AnonymousUser()).only("slug", "updated_at").order_by("id")

    def lastmod(self, measure):
        return measure.updated_at


class PageSitemap(InEveryLanguage):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return [
            *("claims:home", "claims:claim-list", "claims:source-list", "claims:measure-list"),
            *("claims:methodology", "claims:corrections"),
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "claims": ClaimSitemap, "sources": SourceSitemap, "measures": MeasureSitemap}
