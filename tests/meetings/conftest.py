from dataclasses import dataclass
from datetime import date, time

import pytest

from meetings.models import AgendaItem, Meeting, Resolution
from tests.factories import AgendaItemFactory, MeetingFactory, ResolutionFactory


@dataclass
class MeetingSet:
    meeting: Meeting
    item: AgendaItem
    resolution: Resolution
    later: Meeting


@pytest.fixture
def meetings(cast) -> MeetingSet:
    """A scrutiny committee of partnership A with one item and one resolution, and a
    later Responsible Authorities Group meeting it reports back to."""
    meeting = MeetingFactory(
        partnership=cast.partnership,
        title="Scrutiny Committee",
        date=date(2024, 1, 11),
        start_time=time(19, 0),
        place="Council Chamber",
    )
    meeting.organisations.set([cast.council, cast.police])
    later = MeetingFactory(
        partnership=cast.partnership,
        body="rag",
        title="Responsible Authorities Group",
        date=date(2024, 4, 25),
    )
    item = AgendaItemFactory(meeting=meeting, number=7, title="Community Safety Partnership")
    resolution = ResolutionFactory(
        meeting=meeting,
        agenda_item=item,
        number=1,
        text="That future reports include resident confidence data.",
        owner=cast.council,
        report_back_meeting=later,
    )
    return MeetingSet(meeting, item, resolution, later)
