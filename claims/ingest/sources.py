"""Find or create the Sources an import names (fact-checkers, claimants, outlets, authors).

A source is matched by its web domain when the reference names a whole organisation (a homepage
address, or a fact-checker), otherwise by the slug of its name or the name itself (sources created
by hand may have another slug); unmatched references become new
Sources. Matching is batched: one query per batch; the new ones (and their history rows) are
written with COPY (claims/ingest/copying.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from claims.choices import SourceKind
from claims.ingest.copying import copy_history, copy_rows, model_row, reserve_ids
from claims.ingest.links import domain_of, is_site_root
from claims.models import Source

_NAME_MAX = Source._meta.get_field("name").max_length
_SLUG_MAX = Source._meta.get_field("slug").max_length
_HOMEPAGE_MAX = Source._meta.get_field("homepage").max_length


@dataclass(frozen=True)
class SourceRef:
    """A party as an import names it: a name and/or a URL, and the kind to create it as."""

    name: str | None
    url: str | None
    kind: str
    match_domain: bool = False  # the URL's domain identifies the party (organisations only)

    @classmethod
    def organisation(cls, name: str | None, url: str | None, kind: str = SourceKind.OUTLET) -> SourceRef | None:
        if not (name or url):
            return None
        return cls(name=name, url=url, kind=kind, match_domain=bool(domain_of(url)))

    @classmethod
    def party(cls, name: str | None, url: str | None, kind: str | None) -> SourceRef | None:
        """A claimant: matched by domain only when it is an organisation and the URL is a homepage."""
        if not (name or url):
            return None
        kind = kind or SourceKind.PERSON
        by_domain = kind not in (SourceKind.PERSON, SourceKind.ANONYMOUS) and is_site_root(url)
        return cls(name=name, url=url, kind=kind, match_domain=by_domain)

    @property
    def domain(self) -> str:
        return domain_of(self.url) if self.match_domain else ""

    @cached_property  # looked up several times per batch; the dataclass is frozen, the cache is not a field
    def slug(self) -> str:
        return slugify(self.name or domain_of(self.url) or self.url or "")[:_SLUG_MAX].strip("-") or "source"


class SourceResolver:
    """Resolves SourceRefs to Sources with a cache shared by the batches of one import.

    Call :meth:`forget` when a batch rolls back: Sources it created no longer exist.
    """

    CACHE_LIMIT = 50_000
    FIELDS = ("id", "kind", "name", "slug", "domain", "homepage")

    def __init__(self, *, by=None, change_reason: str = "Created by import"):
        self.by = by
        self.change_reason = change_reason
        self._by_domain: dict[str, Source] = {}
        self._by_slug: dict[str, Source] = {}
        self._by_name: dict[str, Source] = {}
        self.created = 0

    def forget(self) -> None:
        self._by_domain.clear()
        self._by_slug.clear()
        self._by_name.clear()

    def _cached(self, ref: SourceRef) -> Source | None:
        return (
            (ref.domain and self._by_domain.get(ref.domain))
            or self._by_slug.get(ref.slug)
            or (ref.name and self._by_name.get(ref.name.casefold()))
            or None
        )

    def _remember(self, source: Source) -> None:
        if source.domain:
            self._by_domain.setdefault(source.domain, source)
        self._by_slug.setdefault(source.slug, source)
        self._by_name.setdefault(source.name.casefold(), source)

    def resolve(self, refs: Iterable[SourceRef | None]) -> dict[SourceRef, Source]:
        """Sources for every reference, creating the missing ones (a constant number of queries)."""
        refs = {ref for ref in refs if ref is not None}
        if len(self._by_slug) > self.CACHE_LIMIT:
            self.forget()
        missing = [ref for ref in refs if self._cached(ref) is None]
        if missing:
            domains = {ref.domain for ref in missing if ref.domain}
            slugs = {ref.slug for ref in missing}
            names = {ref.name for ref in missing if ref.name}
            found = (
                Source.objects.filter(Q(domain__in=domains) | Q(slug__in=slugs) | Q(name__in=names))
                .only(*self.FIELDS)  # what imports use; not the cached scores (JSON) or descriptions
                .order_by("id")
            )
            for source in found:
                self._remember(source)
        new_sources: list[Source] = []
        for ref in sorted(missing, key=lambda r: (r.slug, r.domain)):
            if self._cached(ref) is None:
                source = Source(
                    kind=ref.kind,
                    name=(ref.name or ref.domain or ref.url or ref.slug)[:_NAME_MAX],
                    slug=ref.slug,
                    domain=ref.domain,
                    homepage=ref.url if ref.url and ref.match_domain and len(ref.url) <= _HOMEPAGE_MAX else "",
                )
                new_sources.append(source)
                self._remember(source)
        if new_sources:
            now = timezone.now()
            for source, pk in zip(new_sources, reserve_ids({Source: len(new_sources)})[Source], strict=True):
                source.pk, source.created_at, source.updated_at = pk, now, now
                source._state.adding, source._state.db = False, "default"
            rows = [model_row(source) for source in new_sources]
            copy_rows(Source, rows, now=now)
            copy_history(Source, rows, history_type="+", user=self.by, reason=self.change_reason, now=now)
            self.created += len(new_sources)
        return {ref: self._cached(ref) for ref in refs}
