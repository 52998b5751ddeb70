"""What every reader page shows of the deployment: the site's name and tagline (settings), and the
current page in each language (the switcher and the hreflang alternates)."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject


def site(request):
    return {"site_name": settings.FACTCHECK_SITE_NAME, "site_tagline": settings.FACTCHECK_SITE_TAGLINE}


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str
    path: str  # this page in that language, query string kept (the switcher's `next`)
    url: str  # absolute, without the query string (the hreflang alternate)
    bidi: bool


def language_versions(request) -> list[LanguageVersion]:
    """This page in every language of settings.LANGUAGES, English (unprefixed) first.

    Worked out while the page's own language is active: translate_url can only resolve a path in
    the active language's prefix, so the switcher sends the finished URL as `next`.
    """
    from django.utils.translation import get_language_info

    full_path, path = request.get_full_path(), request.path
    return [
        LanguageVersion(
            code=code,
            name=name,
            path=translate_url(full_path, code),
            url=request.build_absolute_uri(translate_url(path, code)),
            bidi=get_language_info(code)["bidi"],
        )
        for code, name in settings.LANGUAGES
    ]


def languages(request):
    versions = SimpleLazyObject(lambda: language_versions(request))
    default = SimpleLazyObject(lambda: next(version for version in versions if version.code == settings.LANGUAGE_CODE))
    return {"language_versions": versions, "default_language_version": default}
