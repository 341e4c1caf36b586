"""An editor marks a meeting, a resolution or an action private in the existing forms."""

from __future__ import annotations

from actionplans.forms import ActionForm
from meetings.forms import MeetingForm, ResolutionForm
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    MeetingFactory,
    ObjectiveFactory,
    ResolutionFactory,
)


def test_the_meeting_form_sets_and_clears_private(cast):
    meeting = MeetingFactory(partnership=cast.partnership, title="Board", body="board")
    data = {"body": "board", "title": "Board", "date_0": "11", "date_1": "1", "date_2": "2024"}
    data["version"] = str(meeting.version)
    form = MeetingForm({**data, "is_private": "on"}, instance=meeting, partnership=cast.partnership)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["is_private"] is True
    assert "Private meeting: keep it and its resolutions off the public pages" in form.as_div()
    form = MeetingForm(data, instance=meeting, partnership=cast.partnership)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["is_private"] is False


def test_the_resolution_and_action_forms_offer_private(cast):
    meeting = MeetingFactory(partnership=cast.partnership)
    assert "is_private" in ResolutionForm(meeting=meeting).fields
    objective = ObjectiveFactory(plan=ActionPlanFactory(partnership=cast.partnership))
    action = ActionFactory(objective=objective, lead_organisation=cast.council)
    form = ActionForm(instance=action)
    assert form.fields["is_private"].label == (
        "Private action: keep it out of the public action plan summary"
    )
    assert form.initial["is_private"] is False
    assert action.is_private is False


def test_a_private_record_says_so_on_its_page(cast, viewer_client):
    meeting = MeetingFactory(partnership=cast.partnership, is_private=True)
    resolution = ResolutionFactory(meeting=meeting, is_private=True)
    objective = ObjectiveFactory(plan=ActionPlanFactory(partnership=cast.partnership))
    action = ActionFactory(objective=objective, lead_organisation=cast.council, is_private=True)
    public = MeetingFactory(partnership=cast.partnership)
    base = "/partnerships/safer-testshire"
    pages = {
        f"{base}/meetings/{meeting.pk}/": "This meeting is private",
        f"{base}/resolutions/{resolution.pk}/": "This resolution is private",
        f"{base}/plan/actions/{action.pk}/": "This action is private",
    }
    for url, words in pages.items():
        assert words in viewer_client.get(url).content.decode(), url
    assert "is private" not in viewer_client.get(f"{base}/meetings/{public.pk}/").content.decode()
