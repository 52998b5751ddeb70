"""URL normalisation: one spelling per web address, so re-imports find what they created before.

Articles are keyed on :func:`normalise_url`; review URLs on :func:`normalise_url` with their
fragment kept (``#verdict-12`` names one verdict on a claim page).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only say how a reader arrived (campaign and click trackers).
TRACKING_PREFIXES = ("utm_", "mtm_", "pk_")
TRACKING_PARAMS = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid",
    "yclid", "_ga", "_gl", "ref_src", "ref_url", "cmpid", "ocid", "ito", "smid", "s_cid",
}  # fmt: skip
# Fragments that address a separate document inside a page (a reader comment) are kept.
_DOCUMENT_FRAGMENT = re.compile(r"^(?:comment|comments|reply|post|c)-?\d+$", re.IGNORECASE)
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


@lru_cache(maxsize=4096)  # pure; an import normalises each review URL twice (batching, then writing)
def normalise_url(url: str, *, keep_fragment: bool = False) -> str:
    """Lower-case scheme and host, no default port, no tracking parameters, no fragment (unless
    it names a comment, or ``keep_fragment``). Path and remaining query are kept as written:
    servers may treat them case-sensitively. Non-web strings come back stripped, unchanged."""
    url = (url or "").strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port if parts.port is not None and str(parts.port) != _DEFAULT_PORTS[scheme] else None
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (f"{userinfo}@" if userinfo else "") + host + (f":{port}" if port else "")
    query_pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query = urlencode(query_pairs, doseq=True) if query_pairs else ""
    fragment = parts.fragment if keep_fragment or _DOCUMENT_FRAGMENT.match(parts.fragment) else ""
    return urlunsplit((scheme, netloc, parts.path or "/", query, fragment))


def domain_of(url: str | None) -> str:
    """The host of a web address without ``www.``, lower-case; empty for anything else."""
    if not url:
        return ""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def is_site_root(url: str | None) -> bool:
    """True for a homepage address (no path beyond "/", no query): it names a whole site, so its
    domain can identify an organisation; a profile page (twitter.com/someone) cannot."""
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return bool(parts.hostname) and parts.path in ("", "/") and not parts.query
