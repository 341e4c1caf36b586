"""Evidence attached to an action update is judged by its content too: a program or a
web page under an accepted name is refused, and nothing is stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplans.models import ActionUpdate
from tests.hostile.make_corpus import pdf_bytes


def _post(client, cast, plan, upload):
    url = reverse("actionplans:update_add", args=[cast.partnership.slug, plan.council_action.pk])
    return client.post(
        url,
        {
            "period": "2024-Q4",
            "rag_status": "amber",
            "status": "at_risk",
            "narrative": "Patrols started.",
            "evidence_file": upload,
        },
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "minutes.pdf",
            b"MZ\x90\x00" + b"\x00" * 60,
            "The evidence file minutes.pdf is a Windows program, not a PDF, Word, Excel, CSV, "
            "text or image file.",
        ),
        (
            "notes.txt",
            b"<html><script>alert(1)</script></html>",
            "The evidence file notes.txt is an HTML page, not a PDF, Word, Excel, CSV, text or "
            "image file.",
        ),
    ],
)
def test_evidence_is_refused_by_its_content(name, data, message, cast, editor_client, plan):
    response = _post(editor_client, cast, plan, SimpleUploadedFile(name, data, ""))

    assert response.status_code == 200
    assert response.context["form"].errors["evidence_file"] == [message]
    assert ActionUpdate.objects.count() == 0


def test_a_real_pdf_is_accepted_as_evidence_sent_as_text(cast, editor_client, plan):
    pdf = SimpleUploadedFile("minutes.pdf", pdf_bytes(), "text/plain")

    response = _post(editor_client, cast, plan, pdf)

    assert response.status_code == 302
    assert ActionUpdate.objects.get().evidence_file.name.endswith(".pdf")


def test_an_outsider_cannot_attach_evidence(cast, outsider_client, plan):
    pdf = SimpleUploadedFile("minutes.pdf", pdf_bytes(), "application/pdf")

    assert _post(outsider_client, cast, plan, pdf).status_code == 404
    assert ActionUpdate.objects.count() == 0
