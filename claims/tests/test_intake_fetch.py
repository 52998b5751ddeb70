"""The SSRF-safe fetcher (claims/intake/fetch.py) against a real receiver on 127.0.0.1."""

import pytest

from claims.intake.fetch import FetchError, UnsafeURL, check_url, fetch
from claims.tests.receivers import http_receiver


@pytest.fixture
def receiver():
    with http_receiver() as running:
        yield running


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8000/",
        "http://[::1]/",
        "http://10.1.2.3/",
        "http://192.168.0.1/admin",
        "http://172.16.0.5/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",  # carrier-grade NAT
    ],
)
def test_private_and_loopback_addresses_are_refused(settings, url):
    settings.FACTCHECK_FETCH_ALLOW_HOSTS = []
    with pytest.raises(UnsafeURL, match="non-public address"):
        check_url(url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/file", "Only http and https"),
        ("file:///etc/passwd", "Only http and https"),
        ("gopher://example.org/", "Only http and https"),
        ("http://user:pw@example.org/", "credentials"),
        ("http:///nohost", "no host"),
        ("http://no-such-host.invalid/", "does not resolve"),
        ("http://example.org:99999/", "Not a valid URL"),
    ],
)
def test_other_unsafe_urls_are_refused_with_a_reason(url, reason):
    with pytest.raises(UnsafeURL, match=reason):
        check_url(url)


def test_loopback_is_refused_by_fetch_until_allowed(settings, receiver):
    settings.FACTCHECK_FETCH_ALLOW_HOSTS = []
    with pytest.raises(UnsafeURL):
        fetch(receiver.base_url + "/page")
    assert receiver.requests == []  # refused before anything was sent
    settings.FACTCHECK_FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    receiver.answer((200, {"Content-Type": "text/plain"}, b"hello"))
    response = fetch(receiver.base_url + "/page?x=1")
    assert (response.status, response.body, response.content_type) == (200, b"hello", "text/plain")
    assert receiver.requests[0].path == "/page?x=1"
    assert receiver.requests[0].headers["Host"] == receiver.base_url.removeprefix("http://")


def test_redirects_are_checked_again(settings, receiver):
    settings.FACTCHECK_FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    port = receiver.base_url.rsplit(":", 1)[1]
    # 127.0.0.1 is allowed, but the redirect points at localhost (not listed): refused.
    receiver.answer((302, {"Location": f"http://localhost:{port}/inside"}, b""))
    with pytest.raises(UnsafeURL, match="localhost"):
        fetch(receiver.base_url + "/start")
    assert [r.path for r in receiver.requests] == ["/start"]
    # A redirect to an allowed host is followed.
    receiver.answer((301, {"Location": "/next"}, b""), (200, {}, b"done"))
    response = fetch(receiver.base_url + "/again")
    assert response.body == b"done" and response.redirects == [receiver.base_url + "/next"]


def test_redirect_loops_stop(settings, receiver):
    settings.FACTCHECK_FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    receiver.answer((302, {"Location": "/loop"}, b""))
    with pytest.raises(FetchError, match="redirects"):
        fetch(receiver.base_url + "/loop")


def test_size_and_content_type_limits(settings, receiver):
    settings.FACTCHECK_FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    receiver.answer((200, {"Content-Type": "application/json"}, b"x" * 5000))
    with pytest.raises(FetchError, match="larger than 1000 bytes"):
        fetch(receiver.base_url + "/big", max_bytes=1000)
    with pytest.raises(FetchError, match="content type 'application/json'"):
        fetch(receiver.base_url + "/big", content_types=("application/rss+xml",))
    assert len(fetch(receiver.base_url + "/big", content_types=("application/json",)).body) == 5000


def test_https_certificates_are_verified_against_the_host_name(settings, tmp_path):
    """The connection goes to the vetted address, but TLS still checks the certificate for the
    URL's host: a self-signed certificate is refused."""
    import ssl
    import subprocess
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    import urllib3

    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    settings.FACTCHECK_FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    try:
        with pytest.raises(urllib3.exceptions.SSLError, match="CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
            fetch(f"https://127.0.0.1:{server.server_address[1]}/")
    finally:
        thread.join(5)
        server.server_close()
