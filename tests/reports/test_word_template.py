"""The council's Word template: a manager uploads it (refused when it is not a plain
Word document, with a message naming the field and nothing kept), every Word
download then starts from it (its fonts, heading colours, margins, header and footer),
a style it lacks falls back cleanly, and a manager can remove it."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from reports.models import WordTemplate

SLUG = "safer-testshire"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MACRO_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
MAROON = RGBColor(0x80, 0x00, 0x20)


@pytest.fixture(autouse=True)
def storage(settings):
    """A storage of the test's own, so that "nothing stored" means this test stored
    nothing (the test settings' in-memory storage lives as long as the process)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def url(name, *args):
    return reverse(f"reports:{name}", args=[SLUG, *args])


def council_template(*, drop: tuple[str, ...] = ()) -> bytes:
    """A council's template as Word would save one: Heading 1 in Georgia, maroon,
    20 pt; A4 with 30 mm left and 25 mm top margins; the council's name in the header
    and "OFFICIAL" in the footer; a line of sample text. ``drop`` leaves styles out."""
    word = Document()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(25)
    section.left_margin, section.right_margin = Mm(30), Mm(20)
    heading = word.styles["Heading 1"]
    fonts = heading.element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    heading.font.name = "Georgia"
    heading.font.color.rgb = MAROON
    heading.font.size = Pt(20)
    section.header.paragraphs[0].text = "Testshire Borough Council"
    section.footer.paragraphs[0].text = "OFFICIAL"
    word.add_paragraph("Replace this text with the committee report.")
    for name in drop:
        element = word.styles[name].element
        element.getparent().remove(element)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def rezip(data: bytes, *, replace: dict[str, bytes] | None = None, add=None) -> bytes:
    """The same package with some parts replaced or added."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def content_types(data: bytes, main: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("[Content_Types].xml").decode()
    return text.replace(DOCUMENT_TYPE, main).encode()


def upload(client, name: str, data: bytes):
    return client.post(url("word_template"), {"template": SimpleUploadedFile(name, data)})


def read(content: bytes):
    return Document(io.BytesIO(content))


def nothing_stored():
    assert not WordTemplate.objects.exists()
    assert not default_storage.exists("word-templates")


@pytest.mark.django_db
def test_a_managers_template_gives_every_download_its_styles_margins_header_and_footer(
    manager_client, editor_client, report, seed_sources, no_chromium, cast
):
    response = upload(manager_client, "testshire-committee.docx", council_template())
    assert response.status_code == 302
    stored = WordTemplate.objects.get()
    assert stored.partnership == cast.partnership
    assert stored.original_name == "testshire-committee.docx"
    assert stored.uploaded_by == cast.manager
    page = manager_client.get(url("word_template")).content.decode()
    assert "Word template uploaded: testshire-committee.docx. Word downloads now use it." in page
    assert "testshire-committee.docx" in page

    word = read(editor_client.get(url("report_draft_docx", report.pk)).content)
    heading = word.styles["Heading 1"]
    assert heading.font.name == "Georgia"
    assert heading.font.color.rgb == MAROON
    assert heading.font.size == Pt(20)
    section = word.sections[0]
    margins = [section.top_margin, section.left_margin, section.right_margin]
    assert [round(m.mm, 1) for m in margins] == [25, 30, 20]
    assert [round(section.page_width.mm), round(section.page_height.mm)] == [210, 297]
    sections = [p for p in word.paragraphs if p.style.name == "Heading 1"]
    assert sections[1].text == "1. Purpose of the report"
    header = [p.text for p in section.header.paragraphs]
    assert header == ["DRAFT: not issued", "Testshire Borough Council"]
    footer = [p.text for p in section.footer.paragraphs]
    assert footer == ["OFFICIAL", "Safer Testshire CSP\tPage 1 of 1"]
    # The right-hand tab stop is at the template's text width (210 - 30 - 20 mm).
    stop = section.footer.paragraphs[-1].paragraph_format.tab_stops[0]
    assert round(stop.position.mm) == 160
    text = " ".join(p.text for p in word.paragraphs)
    assert "Replace this text" not in text
    assert word.core_properties.author == "Safer Testshire CSP"


@pytest.mark.django_db
def test_an_issued_version_is_built_in_the_template_and_keeps_it_after_removal(
    manager_client,
    editor_client,
    report,
    seed_sources,
    no_chromium,
    django_capture_on_commit_callbacks,
):
    upload(manager_client, "council.docx", council_template())
    editor_client.post(url("report_issue", report.pk), {"version": report.version})
    issued = editor_client.get(url("version_docx_download", report.pk, 1)).content
    assert read(issued).styles["Heading 1"].font.name == "Georgia"
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(url("word_template_remove"))
    assert response.status_code == 302
    assert not WordTemplate.objects.exists()
    assert not default_storage.listdir("word-templates/safer-testshire")[1]
    page = manager_client.get(url("word_template")).content.decode()
    assert "Word template removed. Word downloads use the plain layout." in page
    assert editor_client.get(url("version_docx_download", report.pk, 1)).content == issued
    draft = read(editor_client.get(url("report_draft_docx", report.pk)).content)
    assert draft.styles["Heading 1"].font.name == "Arial"


@pytest.mark.django_db
def test_a_style_missing_from_the_template_falls_back_cleanly(
    manager_client, editor_client, report, seed_sources, no_chromium
):
    upload(manager_client, "council.docx", council_template(drop=("Heading 2", "List Bullet")))
    assert WordTemplate.objects.exists()
    word = read(editor_client.get(url("report_draft_docx", report.pk)).content)
    # Heading 2 is copied from Word's defaults: a chart's heading is still a heading.
    charts = [p for p in word.paragraphs if p.text.startswith("Chart 1: ")]
    assert [p.style.name for p in charts] == ["Heading 2"]
    assert word.styles["Heading 2"].element.find(f".//{qn('w:outlineLvl')}") is not None
    # A bulleted list without its style: plain paragraphs with the bullet in the text.
    progress = [p.text for p in word.paragraphs if p.text.startswith("\u2022 ")]
    assert "\u2022 Anti-social behaviour changed by -6.0%." in progress
    assert "List Bullet" not in {p.style.name for p in word.paragraphs}
    assert word.styles["Heading 1"].font.name == "Georgia"


@pytest.mark.django_db
def test_a_new_template_replaces_the_one_before(
    manager_client, cast, django_capture_on_commit_callbacks
):
    upload(manager_client, "first.docx", council_template())
    first = WordTemplate.objects.get().file.name
    second = council_template(drop=("Heading 3",))
    with django_capture_on_commit_callbacks(execute=True):
        upload(manager_client, "second.docx", second)
    stored = WordTemplate.objects.get()
    assert stored.original_name == "second.docx"
    assert not default_storage.exists(first)
    with stored.file.open("rb") as handle:
        assert handle.read() == second


def macro_enabled() -> bytes:
    data = council_template()
    return rezip(
        data,
        replace={"[Content_Types].xml": content_types(data, MACRO_TYPE)},
        add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 macros"},
    )


def word_template_dotx() -> bytes:
    data = council_template()
    return rezip(data, replace={"[Content_Types].xml": content_types(data, TEMPLATE_TYPE)})


def with_a_dtd() -> bytes:
    data = council_template()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode()
    declaration, rest = body.split("?>", 1)
    bomb = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>'
    return rezip(data, replace={"word/document.xml": f"{declaration}?>{bomb}{rest}".encode()})


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "Not a document.")
    return out.getvalue()


NOT_USABLE = "is not a Word document that can be used: "
BAD_UPLOADS = [
    (
        "council.docx",
        macro_enabled,
        f"Word template: council.docx {NOT_USABLE}it contains macros (it is a "
        "macro-enabled Word document, .docm); save it from Word as a Word Document "
        "(.docx), which has none.",
    ),
    (
        "council.docm",
        macro_enabled,
        f"Word template: council.docm {NOT_USABLE}it contains macros (it is a "
        "macro-enabled Word document, .docm); save it from Word as a Word Document "
        "(.docx), which has none.",
    ),
    (
        "council.docx",
        word_template_dotx,
        f"Word template: council.docx {NOT_USABLE}it is a Word template (.dotx); save "
        "it from Word as a Word Document (.docx).",
    ),
    (
        "notes.docx",
        plain_zip,
        f"Word template: notes.docx {NOT_USABLE}it is a zip, but without the parts of a "
        "Word document ([Content_Types].xml and word/document.xml).",
    ),
    (
        "council.docx",
        with_a_dtd,
        f"Word template: council.docx {NOT_USABLE}the part word/document.xml declares a "
        "DTD or entities, which Word never writes.",
    ),
    (
        "paper.docx",
        lambda: b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n",
        "Word template: paper.docx is a PDF document, not a Word document (.docx).",
    ),
    (
        "council.docx",
        lambda: b"PK\x03\x04" + b"\x00" * (5 * 1024 * 1024),
        "Word template: council.docx is 5.0 MB, over the 5 MB limit.",
    ),
    (
        "council.doc",
        council_template,
        "Word template: council.doc is a Word document (.docx), but its name ends in "
        ".doc: rename it to end in .docx and upload it again.",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "build", "message"), BAD_UPLOADS)
def test_a_bad_template_is_refused_with_a_message_naming_the_field(
    manager_client, name, build, message
):
    response = upload(manager_client, name, build())
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<a href="#id_template">{message}</a>' in page
    nothing_stored()


@pytest.mark.django_db
def test_no_file_or_an_empty_file_is_refused(manager_client):
    page = manager_client.post(url("word_template"), {}).content.decode()
    assert '<a href="#id_template">Word template: choose a .docx file to upload.</a>' in page
    page = upload(manager_client, "empty.docx", b"").content.decode()
    assert '<a href="#id_template">Word template: the file is empty.</a>' in page
    nothing_stored()


@pytest.mark.django_db
def test_only_a_manager_changes_the_template(
    editor_client, viewer_client, manager_client, report, cast
):
    for client in (editor_client, viewer_client):
        assert client.get(url("word_template")).status_code == 403
        assert upload(client, "council.docx", council_template()).status_code == 403
    nothing_stored()
    upload(manager_client, "council.docx", council_template())
    for client in (editor_client, viewer_client):
        assert client.post(url("word_template_remove")).status_code == 403
    assert WordTemplate.objects.count() == 1
    listing = manager_client.get(url("report_list")).content.decode()
    assert f'href="{url("word_template")}">Word template for reports</a>' in listing
    assert url("word_template") not in editor_client.get(url("report_list")).content.decode()


@pytest.mark.django_db
def test_outsiders_get_404_and_anonymous_users_sign_in_first(outsider_client, client, cast):
    assert outsider_client.get(url("word_template")).status_code == 404
    for page in (url("word_template"), url("word_template_remove")):
        assert outsider_client.post(page).status_code == 404, page
        assert client.post(page)["Location"].startswith(reverse("accounts:login")), page
    assert upload(outsider_client, "council.docx", council_template()).status_code == 404
    nothing_stored()
