"""The one way the app makes outbound HTTP requests (webhooks, followed sources): SSRF-safe.

- http and https only, no credentials in the URL;
- the host is resolved once and every address must be public (not private, loopback, link-local,
  multicast, reserved...), unless the host is listed in FACTCHECK_FETCH_ALLOW_HOSTS (test hosts
  such as 127.0.0.1); the connection then goes to the vetted address itself (Host header and TLS
  name kept), so a second DNS answer cannot swap in an internal address;
- every redirect target is checked again, with a limit on their number;
- limits on the response size, on time (connect, read, and a total deadline) and, when asked, on
  the response's content type.

Built on urllib3 (maintained; already required by requests).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_TIMEOUT = 10.0
MAX_REDIRECTS = 5
USER_AGENT = "Factcheck/1.0 (+https://github.com/factcheck)"


class FetchError(Exception):
    """A request refused before it was sent, or a response outside the limits."""


class UnsafeURL(FetchError):
    """The URL's scheme, host or address is not allowed."""


@dataclass
class Response:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    redirects: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def allowed_hosts() -> set[str]:
    return {host.strip().lower() for host in getattr(settings, "FACTCHECK_FETCH_ALLOW_HOSTS", []) if host.strip()}


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    address: str  # the vetted IP address to connect to
    path: str  # path and query


def check_url(url: str) -> Target:
    """Parse, resolve and vet `url`; raises UnsafeURL with a reason a user can act on."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeURL(f"Not a valid URL: {error}.") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeURL("Only http and https URLs are allowed.")
    if parts.username or parts.password:
        raise UnsafeURL("URLs with credentials are not allowed.")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise UnsafeURL("The URL has no host.")
    port = port or (443 if scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeURL(f"The host {host!r} does not resolve.") from None
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if address not in addresses:
            addresses.append(address)
    if host not in allowed_hosts():
        refused = [str(a) for a in addresses if not _is_public(a)]
        if refused:
            raise UnsafeURL(f"The host {host!r} resolves to a non-public address ({', '.join(refused)}).")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme=scheme, host=host, port=port, address=str(addresses[0]), path=path)


def _pool(target: Target, timeout: urllib3.Timeout):
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=timeout,
            retries=False,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
        )
    return urllib3.HTTPConnectionPool(target.address, target.port, timeout=timeout, retries=False)


def fetch(
    url: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    content_types: tuple[str, ...] | None = None,
    follow_redirects: bool | None = None,
) -> Response:
    """One request within the rules above. Redirects are followed (each target re-checked) for
    GET/HEAD unless `follow_redirects` is False; a POST's redirect is returned as is. Raises
    FetchError (UnsafeURL for refused targets) or urllib3's errors for network failures."""
    method = method.upper()
    if follow_redirects is None:
        follow_redirects = method in ("GET", "HEAD")
    deadline = time.monotonic() + timeout
    redirects: list[str] = []
    while True:
        target = check_url(url)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"Timed out after {timeout:g} s.")
        pool = _pool(target, urllib3.Timeout(connect=min(remaining, timeout), read=min(remaining, timeout)))
        default_port = 443 if target.scheme == "https" else 80
        host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
        request_headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity", **(headers or {})}
        request_headers["Host"] = host_header
        try:
            response = pool.urlopen(
                method,
                target.path,
                body=body,
                headers=request_headers,
                redirect=False,
                preload_content=False,
                assert_same_host=False,
            )
            if follow_redirects and response.status in (301, 302, 303, 307, 308) and response.headers.get("location"):
                response.drain_conn()
                if len(redirects) >= MAX_REDIRECTS:
                    raise FetchError(f"More than {MAX_REDIRECTS} redirects.")
                url = urljoin(url, response.headers["location"])
                redirects.append(url)
                if response.status == 303:
                    method, body = "GET", None
                continue
            response_headers = {key.lower(): value for key, value in response.headers.items()}
            result = Response(url=url, status=response.status, headers=response_headers, body=b"", redirects=redirects)
            if content_types is not None and result.content_type not in content_types:
                raise FetchError(f"Unexpected content type {result.content_type!r}.")
            declared = response_headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"The response is larger than {max_bytes} bytes.")
            chunks, size = [], 0
            for chunk in response.stream(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"The response is larger than {max_bytes} bytes.")
                if time.monotonic() > deadline:
                    raise FetchError(f"Timed out after {timeout:g} s.")
                chunks.append(chunk)
            result.body = b"".join(chunks)
            return result
        finally:
            pool.close()
