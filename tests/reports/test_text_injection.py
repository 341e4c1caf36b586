"""A03/A10: an officer's narrative text reaches the HTML preview and the PDF as text,
never as markup; and the PDF printer reads no file outside the app's static folders
and no network address, whatever the HTML asks for."""

import base64
import http.server
import io
import threading

import pytest
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from reports.assembly import assemble_report
from reports.pdf import html_to_pdf, render_pdf, report_url_fetcher, static_roots
from tests.reports.test_pdf import pdf_text_of

SCRIPT = '<script>alert("x")</script>'
IMAGE = '<img src="file:///etc/passwd">'
LINK = '<a href="file:///etc/passwd">passwords</a>'
BODY = f"Before {SCRIPT}\n\n{IMAGE}\n\n- {LINK}"


def _png(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _images(content: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(content)).pages)


def _uris(content: bytes) -> list[str]:
    uris = []
    for page in PdfReader(io.BytesIO(content)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


@pytest.fixture
def edited_section(editor_client, report, seed_sources):
    section = report.sections.get(key="background")
    response = editor_client.post(
        reverse("reports:section_edit", args=[report.partnership.slug, report.pk, section.pk]),
        {
            "title": "Background <i>in italics</i>",
            "included": "yes",
            "body": BODY,
            "version": report.version,
        },
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body == BODY
    return section


@pytest.mark.django_db
def test_markup_in_a_section_is_shown_as_text_in_the_preview(editor_client, report, edited_section):
    page = editor_client.get(
        reverse("reports:report_preview", args=[report.partnership.slug, report.pk])
    ).content.decode()

    for markup in (SCRIPT, IMAGE, LINK, "<i>in italics</i>"):
        assert markup not in page
    assert "Before &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in page
    assert "<li>&lt;a href=&quot;file:///etc/passwd&quot;&gt;passwords&lt;/a&gt;</li>" in page
    assert "Background &lt;i&gt;in italics&lt;/i&gt;</h2>" in page


@pytest.mark.django_db
def test_markup_in_a_section_is_printed_as_text_in_the_pdf(report, edited_section, no_chromium):
    content = render_pdf(assemble_report(report)).content

    text = pdf_text_of(content)
    assert f"Before {SCRIPT}" in text
    assert IMAGE in text
    assert LINK in text
    assert "Background <i>in italics</i>" in text
    # No link to the file was made, and nothing was read from it: without Chromium
    # the PDF has no images at all.
    assert _uris(content) == []
    assert _images(content) == 0


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.requests.append(self.path)
        body = _png()
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    """An HTTP server on the loopback address that records every request."""
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.requests
    server.shutdown()
    server.server_close()


@pytest.fixture
def static_folder(settings, tmp_path):
    """A static folder of the test's own holding one image, and a secret image
    beside it, outside any static folder."""
    static = tmp_path / "static"
    static.mkdir()
    (static / "logo.png").write_bytes(_png())
    (static / "charts").mkdir()
    (static / "charts" / "blue.png").write_bytes(_png("blue"))
    (tmp_path / "secret.png").write_bytes(_png())
    settings.STATICFILES_DIRS = [static]
    settings.STATIC_ROOT = tmp_path / "collected"
    return static


def test_the_pdf_printer_reads_no_other_file_and_no_network_address(local_server, static_folder):
    base, requests = local_server
    secret = static_folder.parent / "secret.png"
    html = (
        "<html lang='en-GB'><body><p>Hostile</p>"
        f"<img src='{secret.as_uri()}' alt=''>"
        "<img src='../secret.png' alt=''>"
        f"<img src='file://localhost{secret}' alt=''>"
        f"<img src='{base}/image.png' alt=''>"
        f"<link rel='stylesheet' href='{base}/style.css'>"
        f"<p style=\"background: url('{base}/background.png')\">x</p>"
        "</body></html>"
    )

    content, pages = html_to_pdf(html)

    assert pages == 1
    assert _images(content) == 0
    assert requests == []


def test_the_pdf_printer_still_reads_static_files_and_data_uris(static_folder):
    data_uri = "data:image/png;base64," + base64.b64encode(_png("green")).decode()
    html = (
        "<html lang='en-GB'><body>"
        "<img src='logo.png' alt='Logo'>"
        f"<img src='{(static_folder / 'charts' / 'blue.png').as_uri()}' alt='Blue'>"
        f"<img src='{data_uri}' alt='Chart'>"
        "</body></html>"
    )

    content, _pages = html_to_pdf(html)

    assert _images(content) == 3


def test_the_fetcher_refuses_with_a_reason(static_folder):
    fetcher = report_url_fetcher(static_roots())

    for url, message in [
        ("file:///etc/passwd", "Refused to read file:///etc/passwd: a report reads only"),
        (
            (static_folder / ".." / "secret.png").as_uri(),
            "a report reads only the app's static files.",
        ),
        ("file://files.example/share/a.png", "not a file on this server."),
        ("http://127.0.0.1:9/x.png", "Refused to fetch http://127.0.0.1:9/x.png: a report"),
        ("ftp://127.0.0.1/x.png", "never reads the network."),
    ]:
        with pytest.raises(ValueError, match=message.replace(".", r"\.")):
            fetcher.fetch(url)
    assert fetcher.fetch((static_folder / "logo.png").as_uri()).read() == _png()
