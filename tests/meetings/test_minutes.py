"""The minutes parser on the exact texts of the seed minutes, and on text it refuses."""

from pathlib import Path

import pytest

from meetings.minutes import DraftResolution, MinutesError, is_noting, parse_resolutions

SEEDS = Path(__file__).parent / "seeds"


def _seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def test_it_splits_seed_000_into_six_resolutions_numbered_1_to_6():
    parsed = parse_resolutions(_seed("000_chorley_scrutiny_2018.txt"))

    assert parsed.heading == "RESOLVED (Unanimously):"
    assert parsed.warnings == []
    assert parsed.drafts == [
        DraftResolution(
            1,
            "That the Partnership’s future reports to Scrutiny Committee include more "
            "measurable outcomes and measures of success.",
            False,
        ),
        DraftResolution(
            2,
            "That further consideration be given to the Partnership engaging more "
            "effectively with young people and youth groups.",
            False,
        ),
        DraftResolution(
            3,
            "That a more proactive and structured approach to child sexual exploitation be "
            "developed by the Partnership.",
            False,
        ),
        DraftResolution(
            4,
            "That the Partnership explores potential external funding sources to help "
            "deliver its objectives.",
            False,
        ),
        DraftResolution(
            5,
            "That the Committee welcomes the Partnership’s commitment to raise its profile "
            "and promote positive messages.",
            False,
        ),
        DraftResolution(
            6,
            "That future reports include resident confidence/safety perception data, "
            "including trends and comparisons.",
            False,
        ),
    ]


def test_it_ignores_the_discussion_bullets_before_the_heading_in_seed_000():
    parsed = parse_resolutions(_seed("000_chorley_scrutiny_2018.txt"))

    assert not any("MARAC" in d.text for d in parsed.drafts)


def test_it_splits_seed_003_and_marks_the_first_as_noted():
    parsed = parse_resolutions(_seed("003_lincolnshire_scrutiny.txt"))

    assert parsed.heading == "RESOLVED"
    assert parsed.warnings == []
    assert parsed.drafts == [
        DraftResolution(1, "That the report presented be received and noted.", True),
        DraftResolution(
            2,
            "That the Safter Lincolnshire Partnership Plan to reduce crime and disorder and "
            "anti-social behaviour in the county be endorsed and that updates on the "
            "progression of the delivery plan be received by the Committee at a future "
            "meeting.",
            False,
        ),
    ]


def test_it_numbers_the_four_bulleted_recommendations_of_seed_004():
    parsed = parse_resolutions(_seed("004_uttlesford_scrutiny_2024.txt"))

    assert parsed.heading == "Recommendations"
    assert parsed.warnings == []
    assert [(d.number, d.noted) for d in parsed.drafts] == [
        (1, False),
        (2, False),
        (3, False),
        (4, False),
    ]
    assert parsed.drafts[0].text == (
        "Scrutiny are provided an update on the Community Safety Action Plan once it has "
        "been agreed between partners"
    )
    assert parsed.drafts[3].text == (
        "The CSP Annual Report is delivered by UDC, Police and Fire to demonstrate "
        "collaborative working approach"
    )


def test_it_makes_seed_002s_single_resolution_noted():
    parsed = parse_resolutions(_seed("002_chesterfield_scrutiny.txt"))

    assert parsed.heading == "RESOLVED –"
    assert parsed.drafts == [DraftResolution(1, "That the report be noted.", True)]


def test_a_decision_on_the_heading_line_is_kept():
    parsed = parse_resolutions("RESOLVED – That the report be noted.")

    assert parsed.drafts == [DraftResolution(1, "That the report be noted.", True)]


def test_it_keeps_the_minutes_own_numbers_when_they_continue_from_an_earlier_item():
    parsed = parse_resolutions("RESOLVED\n5. That A be done.\n6. That B be done.")

    assert [(d.number, d.text) for d in parsed.drafts] == [
        (5, "That A be done."),
        (6, "That B be done."),
    ]


def test_seed_000s_resolutions_are_numbered_1_to_6_with_no_minute_number():
    parsed = parse_resolutions(_seed("000_chorley_scrutiny_2018.txt"))

    assert [d.number for d in parsed.drafts] == [1, 2, 3, 4, 5, 6]
    assert parsed.minute_number is None


def test_decisions_numbered_under_their_minute_keep_their_own_numbers():
    text = (
        "42. COMMUNITY SAFETY PARTNERSHIP\n\n"
        "The Committee considered the report.\n\n"
        "RESOLVED\n\n"
        "42.1 That the report be noted.\n"
        "42.2. That the Partnership report back on\n"
        "its funding position in March 2025.\n"
    )

    parsed = parse_resolutions(text)

    assert parsed.minute_number == 42
    assert parsed.warnings == []
    assert parsed.drafts == [
        DraftResolution(1, "That the report be noted.", True),
        DraftResolution(
            2, "That the Partnership report back on its funding position in March 2025.", False
        ),
    ]


def test_a_list_numbered_under_two_minutes_is_left_whole():
    parsed = parse_resolutions("RESOLVED\n42.1 That A.\n43.1 That B.")

    assert parsed.drafts == [DraftResolution(1, "42.1. That A.\n43.1. That B.", False)]
    assert parsed.split_by_hand == 2
    assert parsed.warnings == [
        "The list is numbered 42.1, 43.1, which is not a sequence, so it was left whole: "
        "split it into separate resolutions by hand."
    ]


def test_a_decimal_at_the_start_of_a_wrapped_line_stays_in_its_resolution():
    parsed = parse_resolutions("RESOLVED\n1. That a fund of\n2.5 million be set up.\n2. That B.")

    assert parsed.minute_number is None
    assert [(d.number, d.text) for d in parsed.drafts] == [
        (1, "That a fund of 2.5 million be set up."),
        (2, "That B."),
    ]


def test_a_wrapped_resolution_is_joined_and_lettered_parts_stay_inside_it():
    text = (
        "RESOLVED\n"
        "1. That the Partnership report back on\n"
        "   its funding position.\n"
        "2. That officers:\n"
        "(a) circulate the figures;\n"
        "(b) invite the police to the next meeting.\n"
    )

    parsed = parse_resolutions(text)

    assert [(d.number, d.text) for d in parsed.drafts] == [
        (1, "That the Partnership report back on its funding position."),
        (
            2,
            "That officers:\n(a) circulate the figures;\n(b) invite the police to the next "
            "meeting.",
        ),
    ]


def test_a_pasted_list_without_a_heading_is_accepted():
    parsed = parse_resolutions("1. That A be done.\n2. That B be noted.")

    assert parsed.heading == ""
    assert [(d.number, d.noted) for d in parsed.drafts] == [(1, False), (2, True)]


def test_text_after_the_decisions_is_left_out_with_a_warning():
    parsed = parse_resolutions(
        "RESOLVED – That the report be noted.\n\nThe meeting closed at 7.45pm."
    )

    assert parsed.drafts == [DraftResolution(1, "That the report be noted.", True)]
    assert parsed.warnings == [
        'Text after the last resolution was left out, from "The meeting closed at 7.45pm.".'
    ]


def test_an_out_of_sequence_list_is_left_whole_for_the_officer_to_split():
    parsed = parse_resolutions("RESOLVED\n1. That A.\n3. That B.\n2. That C.")

    assert parsed.drafts == [DraftResolution(1, "1. That A.\n3. That B.\n2. That C.", False)]
    assert parsed.split_by_hand == 3
    assert parsed.warnings == [
        "The list is numbered 1, 3, 2, which is not a sequence, so it was left whole: "
        "split it into separate resolutions by hand."
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Paste the text of the minutes: the box is empty."),
        ("   \n\u00a0\n", "Paste the text of the minutes: the box is empty."),
        (
            "The Committee discussed the report at length and the issue was resolved.",
            "No resolutions found: the text has no RESOLVED or Recommendations heading and "
            "does not start with a numbered list. Paste the part of the minutes from RESOLVED "
            "to the end of the decisions, or add the resolutions one by one.",
        ),
        (
            "RESOLVED (Unanimously):\n\n\n",
            'Nothing follows "RESOLVED (Unanimously):": paste the decisions under it too.',
        ),
        (
            "RESOLVED – That the report be noted.\n\nItem 7\nRESOLVED\n1. That A.",
            "The text has 2 RESOLVED or Recommendations headings. Paste the minutes of one "
            "agenda item at a time.",
        ),
    ],
)
def test_it_refuses_text_it_cannot_split(text, message):
    with pytest.raises(MinutesError) as error:
        parse_resolutions(text)

    assert str(error.value) == message


def test_5_10pm_in_the_text_is_not_taken_for_resolution_5():
    with pytest.raises(MinutesError):
        parse_resolutions("5.10pm to 5.50pm\n\nMinutes:\n\nThe Cabinet Member introduced...")


@pytest.mark.parametrize(
    ("text", "noted"),
    [
        ("That the report be noted.", True),
        ("That the report presented be received and noted.", True),
        ("That the contents of the update be noted", True),
        ("The report was noted.", True),
        ("That the report be noted and that officers report back in March.", False),
        ("That the Plan be endorsed.", False),
    ],
)
def test_it_knows_a_noting_resolution(text, noted):
    assert is_noting(text) is noted
