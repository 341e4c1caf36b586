"""An editor marks a meeting, a resolution or an action private in the existing forms."""

from __future__ import annotations

from actionplans.forms import ActionForm
from meetings.forms import MeetingForm, ResolutionForm
from tests.factories import ActionFactory, ActionPlanFactory, MeetingFactory, ObjectiveFactory


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
