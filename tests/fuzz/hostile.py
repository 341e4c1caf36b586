"""The hostile values the fuzz suite posts, by category, and which categories a form
must refuse outright and which it may accept (stored as typed, escaped on output).

A field's kind (what the page's HTML says it is: a number box, a date's three boxes, a
link, a file, a list of choices, the hidden version) decides which categories it gets.
"""

from __future__ import annotations

from hypothesis import strategies as st

# A marker no page prints of its own accord: found raw in a response, it was not escaped.
MARKUP = "<script>fuzz()</script>"

OTHER_DIGITS = {
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
    "extended-arabic-indic": "۰۱۲۳۴۵۶۷۸۹",
    "devanagari": "०१२३४५६७८९",
    "full-width": "０１２３４５６７８９",
    "bengali": "০১২৩৪৫৬৭৮৯",
}


def _in_script(number: str, script: str) -> str:
    digits = OTHER_DIGITS[script]
    return "".join(digits[int(c)] if c.isdigit() else c for c in number)


other_digits = st.builds(
    _in_script,
    st.sampled_from(["7", "12", "2024", "15.5", "100000"]),
    st.sampled_from(sorted(OTHER_DIGITS)),
)
controls = st.builds(
    "".join,
    st.lists(st.sampled_from(["\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f"]), min_size=1),
).map(lambda c: f"Fuzz{c}text")
nul = st.sampled_from(["\x00", "Fuzz\x00text", "12\x00", "\x00<script>"])
markup = st.sampled_from(
    [
        MARKUP,
        f'"><{MARKUP[1:]}',
        f"</textarea>{MARKUP}",
        f"{{{{ 7|add:7 }}}}{MARKUP}",
        f"<img src=x onerror=alert(1)>{MARKUP}",
    ]
)
formula = st.builds(
    lambda prefix, body: prefix + body,
    st.sampled_from(["=", "+", "@", "-", "\t=", "\r="]),
    st.sampled_from(
        ['HYPERLINK("http://evil.example","x")', "1+1", "cmd|' /C calc'!A0", "SUM(A1)"]
    ),
)
wrong_type = st.sampled_from(
    ["abc", "1e5", "0x10", "1,2,3", "12 34", "½", "--1", "1.2.3", "true", "[]", "None", " "]
)
out_of_range = st.sampled_from(
    [
        "NaN",
        "Infinity",
        "-Infinity",
        "1e999",
        "9" * 40,
        "-" + "9" * 40,
        str(2**63),
        str(-(2**63) - 1),
        "0." + "0" * 60 + "1",
    ]
)
bad_dates = st.sampled_from(
    [
        ("1", "1", "1"),
        ("31", "12", "9999"),
        ("31", "2", "2024"),
        ("30", "2", "2023"),
        ("29", "2", "2023"),
        ("0", "1", "2024"),
        ("1", "13", "2024"),
        ("32", "1", "2024"),
        ("1", "1", "99999999999999999999"),
        ("-1", "1", "2024"),
        ("1", "1", "1999"),
        ("1", "1", "2101"),
        ("x", "y", "z"),
        ("1.5", "1", "2024"),
    ]
)
other_digit_dates = st.sampled_from(sorted(OTHER_DIGITS)).map(
    lambda script: tuple(_in_script(part, script) for part in ("11", "1", "2024"))
)
bad_links = st.sampled_from(
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example/x",
        "http://127.0.0.1/admin",
        "http://localhost/",
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "ftp://example.org/x",
        "https://",
    ]
)
bad_emails = st.sampled_from(
    ["not-an-email", "a@", "@example.org", "a@b@c.example", "a b@example.org", MARKUP]
)
tampered_versions = st.sampled_from(["", "0", "-1", "abc", "1.5", "999999", "9" * 30, "٣"])

# Categories whose every value must be refused: nothing saved, the field named.
MUST_REFUSE = {
    "nul",
    "over-long",
    "wrong-type",
    "out-of-range",
    "other-digits-in-number",
    "bad-date",
    "other-digits-in-date",
    "bad-link",
    "bad-email",
    "bad-file",
    "bad-choice",
    "other-partnership-id",
    "tampered-version",
    "missing-version",
}
# Categories a free-text box may accept: the text is stored as typed and escaped
# wherever it is shown (pages) or neutralised (downloads). A refusal must still name
# the field; an acceptance must never print the markup raw.
MAY_ACCEPT = {
    "markup",
    "formula-prefix",
    "control-characters",
    "other-digits-in-text",
    "hidden",
    "any-value-ticks",
}

# Which categories each kind of field gets.
CATEGORIES_BY_KIND = {
    "text": ["markup", "formula-prefix", "control-characters", "other-digits-in-text", "nul"],
    "number": ["wrong-type", "out-of-range", "other-digits-in-number", "nul"],
    "date": ["bad-date", "other-digits-in-date", "wrong-type"],
    "link": ["bad-link", "nul", "markup"],
    "email": ["bad-email", "nul"],
    "password": ["nul", "markup"],
    # NUL in a list's value is one more value off the list: "bad-choice" covers it.
    "choice": ["bad-choice"],
    # A lone checkbox is a yes/no: a browser sends its value only when ticked, and Django
    # reads any value sent as ticked, so no value is "bad".
    "boolean": ["any-value-ticks"],
    "select": ["bad-choice", "other-partnership-id"],
    "file": ["bad-file"],
    "version": ["tampered-version", "missing-version"],
    "hidden": ["hidden"],
}
assert {c for cs in CATEGORIES_BY_KIND.values() for c in cs} <= MUST_REFUSE | MAY_ACCEPT | {
    "over-long"
}
