"""Agenda papers are judged by their content and size, whatever name and Content-Type
the browser sends, and a part sent with no Content-Type at all is checked like any
other: a program or a web page named .pdf is refused, a real PDF sent as text/plain
is accepted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import AgendaItem
from tests.hostile.make_corpus import pdf_bytes

BOUNDARY = "hostile-boundary"
NOT_A_PAPER = "not a PDF, Word, spreadsheet or slides file."


def _url(cast, meetings) -> str:
    return reverse("meetings:agenda_item_create", args=[cast.partnership.slug, meetings.meeting.pk])


def _multipart(name: str, data: bytes, content_type: str | None) -> bytes:
    """A form post whose file part carries ``content_type``, or no Content-Type line."""
    lines = []
    for field, value in [("number", "8"), ("title", "Community safety plan"), ("minutes", "")]:
        lines += [
            f"--{BOUNDARY}".encode(),
            f'Content-Disposition: form-data; name="{field}"'.encode(),
            b"",
            value.encode(),
        ]
    lines += [
        f"--{BOUNDARY}".encode(),
        f'Content-Disposition: form-data; name="paper_file"; filename="{name}"'.encode(),
    ]
    if content_type is not None:
        lines.append(f"Content-Type: {content_type}".encode())
    lines += [b"", data, f"--{BOUNDARY}--".encode(), b""]
    return b"\r\n".join(lines)


def _post(client, url: str, name: str, data: bytes, content_type: str | None):
    return client.post(
        url,
        _multipart(name, data, content_type),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


@pytest.mark.parametrize("content_type", [None, "application/pdf", "text/plain"])
@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("paper_program_as_pdf", f"The paper agenda.pdf is a Windows program, {NOT_A_PAPER}"),
        ("paper_html_as_pdf", f"The paper agenda.pdf is an HTML page, {NOT_A_PAPER}"),
        (
            "paper_pdf_named_docx",
            "The paper agenda.docx is a PDF document, but its name ends in .docx: rename it "
            "to end in .pdf and upload it again.",
        ),
    ],
)
def test_a_paper_is_refused_by_its_content(
    key, message, content_type, cast, editor_client, meetings, hostile, unchanged
):
    file = hostile(key)
    unchanged()

    response = _post(editor_client, _url(cast, meetings), file.name, file.data, content_type)

    assert response.status_code == 200
    assert response.context["form"].errors == {"paper_file": [message]}


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-msdownload"])
def test_a_real_pdf_is_accepted_whatever_its_content_type(
    content_type, cast, editor_client, meetings, hostile
):
    file = hostile("paper_pdf")

    response = _post(editor_client, _url(cast, meetings), file.name, file.data, content_type)

    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meetings.meeting, number=8)
    with item.paper_file.open("rb") as stored:
        assert stored.read() == pdf_bytes()


def test_a_paper_over_20_mb_without_a_content_type_is_refused(
    cast, editor_client, meetings, unchanged
):
    unchanged()
    big = pdf_bytes() + b"\n%" + b"x" * (20 * 1024 * 1024)

    response = _post(editor_client, _url(cast, meetings), "agenda.pdf", big, None)

    assert response.context["form"].errors == {
        "paper_file": ["The paper must be smaller than 20 MB."]
    }


def test_a_changed_paper_is_checked_too(cast, editor_client, meetings, hostile, unchanged):
    file = hostile("paper_program_as_pdf")
    unchanged()
    url = reverse(
        "meetings:agenda_item_update",
        args=[cast.partnership.slug, meetings.meeting.pk, meetings.item.pk],
    )

    response = editor_client.post(
        url,
        {
            "number": 7,
            "title": meetings.item.title,
            "minutes": "",
            "version": meetings.item.version,
            "paper_file": SimpleUploadedFile(file.name, file.data, content_type=""),
        },
    )

    assert response.context["form"].errors == {
        "paper_file": [f"The paper agenda.pdf is a Windows program, {NOT_A_PAPER}"]
    }
    meetings.item.refresh_from_db()
    assert not meetings.item.paper_file


def test_an_outsider_and_a_viewer_cannot_add_a_paper(
    cast, outsider_client, viewer_client, meetings, hostile, unchanged
):
    file = hostile("paper_pdf")
    unchanged()
    url = _url(cast, meetings)

    assert _post(outsider_client, url, file.name, file.data, None).status_code == 404
    assert _post(viewer_client, url, file.name, file.data, None).status_code == 403
