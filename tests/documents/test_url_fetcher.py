"""The renderer loads the product's own files and data: images only.

On main, raw HTML given to WeasyPrint fetched ``http://127.0.0.1:…`` and embedded ``file:///etc/hostname``
in the PDF as an attachment. No user text reaches the renderer unescaped today; this makes sure it never can.
"""

import http.server
import threading
from pathlib import Path

import pytest
from django.conf import settings

from govinfo.documents import rendering

from .samples import issue_sample, pdf_text

pytestmark = pytest.mark.documents


@pytest.fixture
def listener():
    """A local web server that records every request made to it."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def test_html_naming_network_and_local_files_renders_without_fetching_or_embedding_them(listener):
    base, hits = listener
    html = f"""<html><head>
      <link rel="stylesheet" href="{base}/evil.css">
      <link rel="attachment" href="file:///etc/hostname">
      <link rel="stylesheet" href="govinfo/settings.py">
    </head><body>
      <p>正文</p>
      <img src="{base}/probe.png"><img src="file:///etc/hostname">
      <a rel="attachment" href="{settings.BASE_DIR}/manage.py">附件</a>
      <object data="file:///etc/passwd"></object>
    </body></html>"""
    pdf = rendering.html_to_pdf(html)
    assert pdf.startswith(b"%PDF-")
    assert hits == []
    assert b"/EmbeddedFile" not in pdf


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/x.png",
        "https://example.com/font.woff2",
        "ftp://example.com/x.css",
        "file:///etc/hostname",
        "file:///etc/passwd",
        "file://otherhost/static/css/govinfo.css",
        "data:text/html;base64,PGgxPng8L2gxPg==",
        "data:application/pdf;base64,JVBERi0=",
    ],
)
def test_the_fetcher_refuses(url):
    assert not rendering.allowed_url(url)
    with pytest.raises(ValueError, match="refused"):
        rendering.url_fetcher().fetch(url)


def test_the_fetcher_refuses_the_products_own_code_and_database():
    for path in ("govinfo/settings.py", "manage.py", "var/govinfo.sqlite3", "static/../govinfo/settings.py"):
        assert not rendering.allowed_url((Path(settings.BASE_DIR) / path).as_uri()), path


def test_the_fetcher_admits_the_products_static_files_and_data_images():
    assert rendering.allowed_url((Path(settings.BASE_DIR) / "static/pdf/gongwen.css").as_uri())
    assert rendering.allowed_url((Path(settings.BASE_DIR) / "static/img/favicon.svg").as_uri())
    assert rendering.allowed_url(rendering.qr_data_uri("https://govinfo.example.gov.cn/verify/abc/"))
    assert rendering.url_fetcher().fetch((Path(settings.BASE_DIR) / "static/img/favicon.svg").as_uri())


def test_an_issued_document_still_loads_its_qr_code(monkeypatch, ndrc, ndrc_signer):
    asked: list[tuple[str, bool]] = []
    allowed = rendering.allowed_url

    def spy(url):
        asked.append((url[:40], allowed(url)))
        return asked[-1][1]

    monkeypatch.setattr(rendering, "allowed_url", spy)
    document = issue_sample(ndrc, ndrc_signer)
    assert ("data:image/svg+xml;base64,", True) in [(url[:26], ok) for url, ok in asked]
    assert all(ok for _, ok in asked), asked  # the 公文 template asks for nothing it may not have
    assert document.doc_number in pdf_text(document)
