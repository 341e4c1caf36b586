"""An officer records a meeting and its resolutions by keyboard; axe-core on each page."""

from datetime import date

from playwright.sync_api import Page, expect

from meetings.models import Meeting, Resolution
from tests.browser.conftest import axe_check, sign_in


def _type_into(page: Page, locator, text: str) -> None:
    locator.focus()
    page.keyboard.type(text)


def test_editor_records_a_meeting_and_its_resolutions_by_keyboard(cast, live_server, page: Page):
    sign_in(page, live_server.url, cast.editor.email)
    expect(page.get_by_role("heading", name=cast.partnership.name, level=1)).to_be_visible()

    page.get_by_role("link", name="Meetings", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Meetings", level=1)).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Record a meeting").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Record a meeting")).to_be_visible()
    axe_check(page)

    page.get_by_label("Scrutiny committee").focus()
    page.keyboard.press("Space")
    _type_into(page, page.get_by_label("Title"), "Scrutiny Committee")
    _type_into(page, page.get_by_label("Day"), "11")
    _type_into(page, page.get_by_label("Month"), "1")
    _type_into(page, page.get_by_label("Year"), "2024")
    _type_into(page, page.get_by_label("Start time"), "7pm")
    page.get_by_label("Testshire Council").focus()
    page.keyboard.press("Space")
    page.get_by_label("Testshire Police").focus()
    page.keyboard.press("Space")
    _type_into(page, page.get_by_label("Place"), "Council Chamber")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Meeting saved: Scrutiny Committee, 11 January 2024.")).to_be_visible()
    expect(page.get_by_role("heading", name="Scrutiny Committee, 11 January 2024")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Paste minutes to add resolutions").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Paste minutes")).to_be_visible()
    axe_check(page)

    page.get_by_label("Minutes").focus()
    page.keyboard.type("The Committee considered the report.")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("RESOLVED")
    page.keyboard.press("Enter")
    page.keyboard.type("1. That the report presented be received and noted.")
    page.keyboard.press("Enter")
    page.keyboard.type("2. That updates be received by the Committee at a future meeting.")
    page.get_by_role("button", name="Split into resolutions").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Check the resolutions")).to_be_visible()
    axe_check(page)

    owner = page.locator("#id_draft-1-owner")
    owner.focus()
    page.keyboard.type("Testshire Police")
    _type_into(page, page.locator("#id_draft-1-report_back_date"), "30/09/2024")
    page.get_by_role("button", name="Save the resolutions").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("2 resolutions saved.")).to_be_visible()
    axe_check(page)

    meeting = Meeting.objects.get(partnership=cast.partnership)
    assert list(
        Resolution.objects.filter(meeting=meeting)
        .order_by("number")
        .values_list("number", "status", "owner__name", "report_back_date")
    ) == [
        (1, "noted", None, None),
        (2, "open", "Testshire Police", date(2024, 9, 30)),
    ]

    page.get_by_role("link", name="Resolutions", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Outstanding resolutions")).to_be_visible()
    expect(page.get_by_text("Overdue", exact=True)).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Resolution 2").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Resolution 2", level=1)).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Add a response").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Add a response to resolution 2")).to_be_visible()
    axe_check(page)
    _type_into(
        page, page.get_by_label("What was done"), "Delivery plan update scheduled for March."
    )
    page.get_by_label("New status").focus()
    page.keyboard.type("In progress")
    page.get_by_role("button", name="Add the response").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Response to resolution 2 added.")).to_be_visible()
    expect(page.get_by_text("Status changed to in progress.")).to_be_visible()
    axe_check(page)


def test_a_viewer_sees_meetings_and_the_calendar_page_but_no_record_buttons(
    cast, live_server, page: Page
):
    from tests.factories import MeetingFactory

    MeetingFactory(partnership=cast.partnership, title="Responsible Authorities Group", body="rag")
    sign_in(page, live_server.url, cast.viewer.email)
    expect(page.get_by_role("heading", name=cast.partnership.name, level=1)).to_be_visible()

    page.goto(f"{live_server.url}/partnerships/{cast.partnership.slug}/meetings/")
    expect(page.get_by_role("link", name="Responsible Authorities Group")).to_be_visible()
    expect(page.get_by_role("link", name="Record a meeting")).to_have_count(0)
    axe_check(page)

    page.get_by_role("link", name="Subscribe from your calendar app").click()
    page.get_by_role("button", name="Create my calendar address").click()
    expect(page.get_by_text("Your calendar address is ready.")).to_be_visible()
    axe_check(page)


def test_a_stale_edit_is_refused_and_a_resolution_is_deleted_after_confirming(
    cast, live_server, page: Page
):
    from meetings import services
    from tests.factories import AgendaItemFactory, MeetingFactory, ResolutionFactory

    meeting = MeetingFactory(
        partnership=cast.partnership, title="Scrutiny Committee", date=date(2024, 1, 11)
    )
    item = AgendaItemFactory(meeting=meeting, number=7, title="Community Safety Partnership")
    resolution = ResolutionFactory(
        meeting=meeting, agenda_item=item, number=2, text="That the report be noted."
    )
    sign_in(page, live_server.url, cast.editor.email)
    expect(page.get_by_role("heading", name=cast.partnership.name, level=1)).to_be_visible()
    page.goto(
        f"{live_server.url}/partnerships/{cast.partnership.slug}/resolutions/{resolution.pk}/"
    )
    expect(page.get_by_role("heading", name="Resolution 2", level=1)).to_be_visible()

    page.get_by_role("link", name="Change the resolution").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Change resolution 2 (item 7)")).to_be_visible()
    # Someone else saves the resolution while the form is open.
    resolution.status = Resolution.Status.DISCHARGED
    services.resolution_save(resolution=resolution, expected_version=1)
    _type_into(page, page.get_by_label("Resolution", exact=True), " Again.")
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Changed by someone else")).to_be_visible()
    expect(page.get_by_text("From Open to Discharged")).to_be_visible()
    axe_check(page)
    assert Resolution.objects.get(pk=resolution.pk).text == "That the report be noted."

    page.get_by_role("link", name="Cancel and go back").focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Delete the resolution").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Delete resolution 2 (item 7)?")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Delete the resolution").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("Resolution 2 (item 7) of Scrutiny Committee, 11 January 2024 deleted.")
    ).to_be_visible()
    axe_check(page)
    assert not Resolution.objects.filter(pk=resolution.pk).exists()


def _tracker_data(cast) -> dict[str, Resolution]:
    from tests.factories import AgendaItemFactory, MeetingFactory, ResolutionFactory

    january = MeetingFactory(
        partnership=cast.partnership, title="Scrutiny Committee", date=date(2024, 1, 11)
    )
    item = AgendaItemFactory(meeting=january, number=7, title="Community safety")
    rag = MeetingFactory(
        partnership=cast.partnership,
        body="rag",
        title="Responsible Authorities Group",
        date=date(2024, 2, 20),
    )
    return {
        "confidence": ResolutionFactory(
            meeting=january,
            agenda_item=item,
            number=1,
            text="That future reports to the Committee include resident confidence data, "
            "with trends over the last three years, broken down by ward.",
            owner=cast.council,
            report_back_date=date(2024, 3, 31),
        ),
        "noted": ResolutionFactory(
            meeting=january,
            agenda_item=item,
            number=2,
            text="That the report be noted.",
            status=Resolution.Status.NOTED,
        ),
        "patrols": ResolutionFactory(
            meeting=rag,
            number=1,
            text="That anonymised patrol data be shared with every partner each month.",
            owner=cast.police,
            status=Resolution.Status.IN_PROGRESS,
        ),
    }


def _page_width(page: Page, width: int) -> int:
    page.set_viewport_size({"width": width, "height": 900})
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_viewer_filters_the_tracker_and_opens_a_resolution_by_keyboard(
    cast, live_server, page: Page
):
    rows = _tracker_data(cast)
    sign_in(page, live_server.url, cast.viewer.email)
    page.goto(f"{live_server.url}/partnerships/{cast.partnership.slug}/resolutions/")

    expect(page.get_by_role("heading", name="Outstanding resolutions", level=1)).to_be_visible()
    expect(page.locator("#tracker-count")).to_have_text(
        "2 resolutions from 2 meetings, 1 of them overdue."
    )
    expect(page.get_by_text("That the report be noted.")).to_have_count(0)
    assert _page_width(page, 320) <= 320
    axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    axe_check(page)

    page.get_by_label("Status", exact=True).focus()
    page.keyboard.type("Any status")
    page.get_by_label("Body", exact=True).focus()
    page.keyboard.type("Scrutiny committee")
    page.get_by_role("button", name="Filter").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name="All resolutions of the scrutiny committee", level=1)
    ).to_be_visible()
    expect(page.locator("#tracker-count")).to_have_text(
        "2 resolutions from 1 meeting, 1 of them overdue."
    )
    expect(
        page.get_by_role("heading", name="Scrutiny Committee, 11 January 2024", exact=True)
    ).to_have_count(1)
    assert _page_width(page, 320) <= 320
    axe_check(page)

    link = page.get_by_role(
        "link",
        name="Resolution 1 (item 7): That future reports to the Committee include resident "
        "confidence data\u2026 (Scrutiny Committee, 11 January 2024)",
        exact=True,
    )
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Resolution 1", level=1)).to_be_visible()
    assert page.url.endswith(f"/resolutions/{rows['confidence'].pk}/")
    axe_check(page)


def test_a_bad_filter_in_the_address_is_shown_on_its_field(cast, live_server, page: Page):
    _tracker_data(cast)
    sign_in(page, live_server.url, cast.viewer.email)
    page.goto(f"{live_server.url}/partnerships/{cast.partnership.slug}/resolutions/?status=pending")

    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    page.get_by_role("link", name="Status: Choose a status from the list.").click()
    expect(page.get_by_label("Status", exact=True)).to_be_focused()
    expect(page.locator("#tracker-count")).to_have_text(
        "2 resolutions from 2 meetings, 1 of them overdue."
    )
    axe_check(page)
