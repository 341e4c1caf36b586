"""The one validation layer: strict figures, sensible dates, safe links, each refusal
naming the field and showing what is accepted."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cspportal.lib.forms import GovukDateField, LinkField
from cspportal.lib.validation import (
    FigureKind,
    check_date_range,
    check_link,
    read_date_parts,
    read_figure,
)

SUBJECT = "Violence with injury, Chorley"
COUNT, GBP, PCT, RATE = FigureKind.COUNT, FigureKind.GBP, FigureKind.PERCENTAGE, FigureKind.RATE


@pytest.mark.parametrize(
    ("kind", "typed", "value"),
    [
        (COUNT, "0", Decimal("0")),
        (COUNT, "7", Decimal("7")),
        (COUNT, "1234", Decimal("1234")),
        (COUNT, "1,234", Decimal("1234")),
        (COUNT, "12,345,678", Decimal("12345678")),
        (COUNT, "  125 \t", Decimal("125")),
        (COUNT, "007", Decimal("7")),
        (GBP, "£10,000", Decimal("10000")),
        (GBP, "10000", Decimal("10000")),
        (GBP, "£1,234.50", Decimal("1234.50")),
        (GBP, "0.5", Decimal("0.5")),
        (PCT, "67", Decimal("67")),
        (PCT, "67.5%", Decimal("67.5")),
        (PCT, "100%", Decimal("100")),
        (PCT, "0.25", Decimal("0.25")),
        (RATE, "12.75", Decimal("12.75")),
        (RATE, "1,000.5", Decimal("1000.5")),
        (COUNT, "999,999,999,999", Decimal("999999999999")),
    ],
)
def test_it_accepts_a_well_formed_figure(kind, typed, value):
    assert read_figure(typed, kind=kind, subject=SUBJECT) == value


@pytest.mark.parametrize("typed", ["", "   ", "\t\n"])
def test_an_empty_entry_is_no_figure(typed):
    assert read_figure(typed, kind=COUNT, subject=SUBJECT) is None


WHOLE = f"{SUBJECT}: enter a whole number, like 1,234 (you entered “{{}}”)"
MONEY = f"{SUBJECT}: enter an amount in pounds, like £1,234.50 (you entered “{{}}”)"
PERCENT = f"{SUBJECT}: enter a percentage, like 67.5% (you entered “{{}}”)"
NUMBER = f"{SUBJECT}: enter a number, like 12.5 (you entered “{{}}”)"


@pytest.mark.parametrize(
    ("kind", "typed", "message"),
    [
        # Other scripts' digits: Arabic-Indic, full-width, Devanagari.
        (COUNT, "١٢٣", WHOLE.format("١٢٣")),
        (COUNT, "１２３", WHOLE.format("１２３")),
        (COUNT, "१२३", WHOLE.format("१२३")),
        # Thousands separators only in groups of three.
        (COUNT, "1,2", WHOLE.format("1,2")),
        (COUNT, "12,34", WHOLE.format("12,34")),
        (COUNT, "1,2345", WHOLE.format("1,2345")),
        (COUNT, ",123", WHOLE.format(",123")),
        (COUNT, "123,", WHOLE.format("123,")),
        (COUNT, "1,,234", WHOLE.format("1,,234")),
        (COUNT, "1234,567", WHOLE.format("1234,567")),
        # Spaces inside, underscores, exponents, signs, words.
        (COUNT, "1 2 3", WHOLE.format("1 2 3")),
        (COUNT, "1 234", WHOLE.format("1 234")),
        (COUNT, "1\u00a0234", WHOLE.format("1\u00a0234")),
        (COUNT, "1_000", WHOLE.format("1_000")),
        (COUNT, "1e3", WHOLE.format("1e3")),
        (COUNT, "1E3", WHOLE.format("1E3")),
        (COUNT, "+5", WHOLE.format("+5")),
        (COUNT, "NaN", WHOLE.format("NaN")),
        (COUNT, "Infinity", WHOLE.format("Infinity")),
        (COUNT, "inf", WHOLE.format("inf")),
        (COUNT, "twelve", WHOLE.format("twelve")),
        (COUNT, "0x1F", WHOLE.format("0x1F")),
        (COUNT, "1.2.3", WHOLE.format("1.2.3")),
        (COUNT, "5.", WHOLE.format("5.")),
        (COUNT, ".5", WHOLE.format(".5")),
        # A count is whole; "£" and "%" belong to money and percentages only.
        (COUNT, "2.5", WHOLE.format("2.5")),
        (COUNT, "2.0", WHOLE.format("2.0")),
        (COUNT, "£5", WHOLE.format("£5")),
        (COUNT, "5%", WHOLE.format("5%")),
        (GBP, "5£", MONEY.format("5£")),
        (GBP, "£ 5", MONEY.format("£ 5")),
        (GBP, "$5", MONEY.format("$5")),
        (GBP, "5%", MONEY.format("5%")),
        (GBP, "£1,2", MONEY.format("£1,2")),
        (PCT, "%5", PERCENT.format("%5")),
        (PCT, "£5", PERCENT.format("£5")),
        (PCT, "5 %", PERCENT.format("5 %")),
        (PCT, "67,5", PERCENT.format("67,5")),
        (RATE, "12%", NUMBER.format("12%")),
        (RATE, "1e-3", NUMBER.format("1e-3")),
        # Negative figures.
        (COUNT, "-3", f"{SUBJECT}: the figure cannot be negative (you entered “-3”)"),
        (COUNT, "\u22123", f"{SUBJECT}: the figure cannot be negative (you entered “\u22123”)"),
        (GBP, "-£5", f"{SUBJECT}: the figure cannot be negative (you entered “-£5”)"),
        (GBP, "£-5", f"{SUBJECT}: the figure cannot be negative (you entered “£-5”)"),
        (PCT, "-1%", f"{SUBJECT}: the figure cannot be negative (you entered “-1%”)"),
        (COUNT, "-", WHOLE.format("-")),
        # Decimal places, range.
        (
            GBP,
            "£1.234",
            f"{SUBJECT}: use no more than 2 decimal places, like 12.75 (you entered “£1.234”)",
        ),
        (
            RATE,
            "0.125",
            f"{SUBJECT}: use no more than 2 decimal places, like 12.75 (you entered “0.125”)",
        ),
        (PCT, "101", f"{SUBJECT}: a percentage must be 100 or less (you entered 101)"),
        (PCT, "100.5%", f"{SUBJECT}: a percentage must be 100 or less (you entered 100.5%)"),
        (
            COUNT,
            "1,000,000,000,000",
            f"{SUBJECT}: the figure is too large (the largest accepted is 999,999,999,999.99; "
            "you entered “1,000,000,000,000”)",
        ),
        # A long entry is shown cut short.
        (COUNT, "x" * 50, WHOLE.format("x" * 40 + "…")),
    ],
)
def test_it_refuses_a_malformed_figure_naming_it_with_an_example(kind, typed, message):
    with pytest.raises(ValidationError) as refused:
        read_figure(typed, kind=kind, subject=SUBJECT)
    assert refused.value.messages == [message]


def test_the_kind_can_be_given_as_the_measure_unit_text():
    assert read_figure("£5.50", kind="gbp", subject=SUBJECT) == Decimal("5.50")


LABEL = "Date of the meeting"


@pytest.mark.parametrize(
    ("parts", "value"),
    [
        (("11", "1", "2024"), date(2024, 1, 11)),
        (("01", "01", "2000"), date(2000, 1, 1)),
        (("31", "12", "2100"), date(2100, 12, 31)),
        (("29", "2", "2024"), date(2024, 2, 29)),
        ((" 5 ", " 6 ", " 2025 "), date(2025, 6, 5)),
    ],
)
def test_it_accepts_a_real_date_in_range(parts, value):
    assert read_date_parts(*parts, label=LABEL) == value


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (
            ("30", "2", "2024"),
            "Date of the meeting: enter a real date, like 11 1 2024 (30 February does not exist)",
        ),
        (
            ("29", "2", "2023"),
            "Date of the meeting: enter a real date, like 11 1 2024 "
            "(29 February 2023 does not exist)",
        ),
        (
            ("31", "4", "2024"),
            "Date of the meeting: enter a real date, like 11 1 2024 (31 April does not exist)",
        ),
        (
            ("0", "1", "2024"),
            "Date of the meeting: enter a real date, like 11 1 2024 (0 January does not exist)",
        ),
        (
            ("1", "13", "2024"),
            "Date of the meeting: enter a real date, like 11 1 2024 (there is no month 13)",
        ),
        (
            ("1", "0", "2024"),
            "Date of the meeting: enter a real date, like 11 1 2024 (there is no month 0)",
        ),
        (
            ("1", "1", "1"),
            "Date of the meeting: enter a date between 1 January 2000 and 31 December 2100 "
            "(you entered the year 1)",
        ),
        (
            ("31", "12", "9999"),
            "Date of the meeting: enter a date between 1 January 2000 and 31 December 2100 "
            "(you entered the year 9999)",
        ),
        (
            ("31", "12", "1999"),
            "Date of the meeting: enter a date between 1 January 2000 and 31 December 2100 "
            "(you entered the year 1999)",
        ),
        (
            ("1", "1", "20245"),
            "Date of the meeting: enter the year as a number, like 11 1 2024 (you entered “20245”)",
        ),
        (
            ("١", "1", "2024"),
            "Date of the meeting: enter the day as a number, like 11 1 2024 (you entered “١”)",
        ),
        (
            ("1", "Jan", "2024"),
            "Date of the meeting: enter the month as a number, like 11 1 2024 (you entered “Jan”)",
        ),
        (
            ("1", "1", "-2024"),
            "Date of the meeting: enter the year as a number, like 11 1 2024 (you entered “-2024”)",
        ),
        (
            ("1", "1\x00", "2024"),
            "Date of the meeting: enter the month as a number, like 11 1 2024 "
            "(you entered “1\x00”)",
        ),
        (("", "1", "2024"), "Date of the meeting: enter the day, like 11 1 2024"),
        (("1", "1", ""), "Date of the meeting: enter the year, like 11 1 2024"),
    ],
)
def test_it_refuses_an_impossible_or_implausible_date_naming_the_field(parts, message):
    with pytest.raises(ValidationError) as refused:
        read_date_parts(*parts, label=LABEL)
    assert refused.value.messages == [message]
    assert "out of range" not in message


def test_a_date_range_can_be_narrowed():
    with pytest.raises(ValidationError) as refused:
        check_date_range(
            date(2030, 4, 1), label="Due date", earliest=date(2024, 4, 1), latest=date(2027, 3, 31)
        )
    assert refused.value.messages == [
        "Due date: enter a date between 1 April 2024 and 31 March 2027 (you entered 1 April 2030)"
    ]
    assert check_date_range(date(2024, 4, 1), label="Due date") == date(2024, 4, 1)


def test_the_govuk_date_field_reads_its_boxes_through_the_layer():
    field = GovukDateField(label="Date", name=LABEL, required=True)
    assert field.clean(["11", "1", "2024"]) == date(2024, 1, 11)
    with pytest.raises(ValidationError) as refused:
        field.clean(["30", "2", "2024"])
    assert refused.value.messages == [
        "Date of the meeting: enter a real date, like 11 1 2024 (30 February does not exist)"
    ]
    with pytest.raises(ValidationError) as missing:
        field.clean(["", "", ""])
    assert missing.value.messages == ["Enter the date of the meeting, like 11 1 2024"]
    optional = GovukDateField(label="Due date", required=False)
    assert optional.clean(["", "", ""]) is None
    with pytest.raises(ValidationError) as partial:
        optional.clean(["31", "", "2025"])
    assert partial.value.messages == ["Due date: enter the month, like 11 1 2024"]


LINK = "Link to the paper"


@pytest.mark.parametrize(
    "link",
    [
        "https://www.example.gov.uk/papers/item-4.pdf",
        "http://example.org/",
        "HTTPS://Example.ORG/x?y=1#z",
        "https://8.8.8.8/report",
        "https://[2001:4860:4860::8888]/report",
        "https://example.org:8443/x",
    ],
)
def test_it_accepts_a_public_web_link(link):
    assert check_link(link, label=LINK) == link


EXAMPLE = ", like https://www.example.gov.uk/papers/item-4.pdf"
PRIVATE = f"{LINK}: the link points at a private or local network address; enter a public one"
LOCAL = f"{LINK}: the link points at this computer; enter a public address{EXAMPLE}"


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("//evil.example/x", f"{LINK}: enter the full address, starting https://{EXAMPLE}"),
        ("\\\\evil.example\\x", f"{LINK}: enter the full address, starting https://{EXAMPLE}"),
        (
            "javascript:alert(1)",
            f"{LINK}: enter a web address starting https:// or http://{EXAMPLE}",
        ),
        (
            "ftp://example.org/x",
            f"{LINK}: enter a web address starting https:// or http://{EXAMPLE}",
        ),
        (
            "file:///etc/passwd",
            f"{LINK}: enter a web address starting https:// or http://{EXAMPLE}",
        ),
        ("https:///path", f"{LINK}: enter a web address with a site name{EXAMPLE}"),
        (
            "https://user:secret@example.org/",
            f"{LINK}: a link cannot hold a user name or password; enter the public address"
            f"{EXAMPLE}",
        ),
        (
            "https://user@example.org/",
            f"{LINK}: a link cannot hold a user name or password; enter the public address"
            f"{EXAMPLE}",
        ),
        ("http://localhost/admin", LOCAL),
        ("http://LOCALHOST./admin", LOCAL),
        ("http://app.localhost/", LOCAL),
        ("http://127.0.0.1/", PRIVATE + EXAMPLE),
        ("http://127.8.9.10:8000/", PRIVATE + EXAMPLE),
        ("http://10.1.2.3/", PRIVATE + EXAMPLE),
        ("http://172.16.0.1/", PRIVATE + EXAMPLE),
        ("http://192.168.1.1/", PRIVATE + EXAMPLE),
        ("http://169.254.169.254/latest/meta-data/", PRIVATE + EXAMPLE),
        ("http://0.0.0.0/", PRIVATE + EXAMPLE),
        ("http://100.64.0.1/", PRIVATE + EXAMPLE),
        ("http://224.0.0.1/", PRIVATE + EXAMPLE),
        ("http://[::1]/", PRIVATE + EXAMPLE),
        ("http://[::]/", PRIVATE + EXAMPLE),
        ("http://[fc00::1]/", PRIVATE + EXAMPLE),
        ("http://[fd12:3456::1]/", PRIVATE + EXAMPLE),
        ("http://[fe80::1]/", PRIVATE + EXAMPLE),
        ("http://[::ffff:127.0.0.1]/", PRIVATE + EXAMPLE),
        ("http://127.1/", f"{LINK}: enter a web address with a site name{EXAMPLE}"),
        ("http://2130706433/", f"{LINK}: enter a web address with a site name{EXAMPLE}"),
        ("http://0x7f000001/", f"{LINK}: enter a web address with a site name{EXAMPLE}"),
        ("http://[::1/", f"{LINK}: enter a real web address{EXAMPLE}"),
        ("https://example.org:port/", f"{LINK}: enter a real web address{EXAMPLE}"),
        (
            "https://exa mple.org/",
            f"{LINK}: a link cannot contain spaces or control characters; enter the address"
            f"{EXAMPLE}",
        ),
        (
            "https://example.org/\x00",
            f"{LINK}: a link cannot contain spaces or control characters; enter the address"
            f"{EXAMPLE}",
        ),
        (
            "https://example.org/" + "a" * 500,
            f"{LINK}: a link can be at most 500 characters; enter a shorter address{EXAMPLE}",
        ),
    ],
)
def test_it_refuses_an_unsafe_link_naming_the_field(link, message):
    with pytest.raises(ValidationError) as refused:
        check_link(link, label=LINK)
    assert refused.value.messages == [message]


def test_the_link_field_adds_https_to_a_bare_address_but_not_to_a_scheme_relative_one():
    field = LinkField(label="Or a link to the paper", name=LINK, required=False)
    assert field.clean("example.org/minutes.pdf") == "https://example.org/minutes.pdf"
    assert field.clean("") == ""
    with pytest.raises(ValidationError) as refused:
        field.clean("//example.org/minutes.pdf")
    assert refused.value.messages == [f"{LINK}: enter the full address, starting https://{EXAMPLE}"]
    with pytest.raises(ValidationError) as private:
        field.clean("192.168.0.10/minutes.pdf")
    assert private.value.messages == [PRIVATE + EXAMPLE]


def test_the_model_validators_say_what_the_forms_say():
    from cspportal.lib.validation import DateInRange, PublicLink

    DateInRange("Date of the meeting")(date(2024, 1, 11))
    DateInRange("Date of the meeting")(None)
    PublicLink("Link to the paper")("https://www.example.gov.uk/p.pdf")
    PublicLink("Link to the paper")("")
    with pytest.raises(ValidationError) as early:
        DateInRange("Date of the meeting")(date(1, 1, 1))
    with pytest.raises(ValidationError) as local:
        PublicLink("Link to the paper")("http://127.0.0.1/p.pdf")
    assert early.value.messages == [
        "Date of the meeting: enter a date between 1 January 2000 and 31 December 2100 "
        "(you entered 1 January 1)"
    ]
    assert local.value.messages == [
        "Link to the paper: the link points at a private or local network address; enter a "
        "public one, like https://www.example.gov.uk/papers/item-4.pdf"
    ]
    assert DateInRange("Due date").deconstruct() == (
        "cspportal.lib.validation.DateInRange",
        ("Due date",),
        {},
    )
