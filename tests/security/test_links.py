"""A03: the two places where a user types a link (an action update's evidence, an
agenda item's paper) accept only web addresses, so a link printed on a page can never
run script (``javascript:``) or carry a document of its own (``data:``)."""

import pytest
from django.core.exceptions import ValidationError

from actionplans.forms import ActionUpdateForm
from meetings.forms import AgendaItemForm

FIELDS = [ActionUpdateForm.base_fields["evidence_url"], AgendaItemForm.base_fields["paper_link"]]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
    ],
)
def test_a_link_that_is_not_a_web_address_is_refused(field, link):
    with pytest.raises(ValidationError) as refused:
        field.clean(link)

    assert refused.value.messages == [
        f"{field.name}: enter a web address starting https:// or http://, "
        "like https://www.example.gov.uk/papers/item-4.pdf"
    ]


@pytest.mark.parametrize("field", FIELDS)
def test_a_web_address_is_kept_and_a_bare_one_gets_https(field):
    assert field.clean("https://example.org/minutes.pdf") == "https://example.org/minutes.pdf"
    assert field.clean("example.org/minutes.pdf") == "https://example.org/minutes.pdf"
