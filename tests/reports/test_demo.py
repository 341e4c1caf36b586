"""The demo's annual report reads like seed 001, with real tables and charts."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from crimestats.demo import QUARTERLY, SURVEY
from reports import services
from reports.models import Report
from tests.reports.test_pdf import pdf_info, pdf_text, structure


@pytest.mark.django_db
def test_the_demo_annual_report_is_issued_with_the_seed_figures(tmp_path):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    report = Report.objects.get(partnership__slug="safer-chorley-south-ribble", financial_year=2017)
    version = report.versions.get()
    assert report.is_issued
    assert version.number == 1
    assert version.issued_by.email == "officer@example.org"
    path = tmp_path / "demo.pdf"
    path.write_bytes(services.version_pdf_bytes(version))
    text = pdf_text(path)
    pages = text.split("\f")[:-1]
    assert version.page_count == len(pages) >= 10
    assert f"Page 1 of {version.page_count}" in pages[0]
    assert "Safer Chorley and South Ribble CSP" in pages[-1].strip().splitlines()[-1]
    assert "Period covered: April 2017 to January 2018" in text
    assert "15 March 2018" in pages[0]
    # Seed 001: South Ribble all crime +20.4% (Chorley +19.3%), burglary +34%,
    # domestic abuse +22.6%, theft +19%, alcohol-related +0.9%, ASB -6%.
    south_ribble = [line.split() for line in text.splitlines() if ": South Ribble" in line]
    changes = {" ".join(w[: w.index("Ribble") + 1]): w[-1] for w in south_ribble}
    assert changes["All crime: South Ribble"] == "+20.4%"
    assert changes["Burglary: South Ribble"] == "+34.0%"
    assert changes["Domestic abuse-related crimes: South Ribble"] == "+22.6%"
    assert changes["Theft offences: South Ribble"] == "+19.0%"
    assert changes["Alcohol-related crime: South Ribble"] == "+0.9%"
    assert changes["Anti-social behaviour incidents: South Ribble"] == "-6.0%"
    assert "All crime: Chorley" in text and "+19.3%" in text
    assert "Operation Genga" in text
    # Seed 001's MARAC (346 cases, 454 children, 8% declaring a disability, 8% male,
    # October 2016 to September 2017) and survey (1,753 contacts, 67% confident, 31%
    # unsure), worked out here from the demo's quarterly figures.
    quarters = slice(2, 6)  # 2016/17 Q3 to 2017/18 Q2
    cases = QUARTERLY["marac-cases"][quarters]
    children = sum(QUARTERLY["marac-children"][quarters])
    shares = {
        code: sum(p * c for p, c in zip(QUARTERLY[code][quarters], cases, strict=True)) / sum(cases)
        for code in ("marac-disability-pct", "marac-male-pct")
    }
    assert (sum(cases), children) == (346, 454)
    assert {code: round(v) for code, v in shares.items()} == {
        "marac-disability-pct": 8,
        "marac-male-pct": 8,
    }
    flat = " ".join(text.split())
    assert (
        "The latest MARAC figures on record, for October 2016 to September 2017, show that: "
        f"• {sum(cases)} cases were discussed • {children} children lived in the households"
    ) in flat
    assert f"• {shares['marac-disability-pct']:.1f}% of the victims declared a disability" in flat
    assert f"• {shares['marac-male-pct']:.1f}% of the victims were male" in flat
    answered, safe, unsure = SURVEY[2017]
    assert (answered, safe, unsure) == (1753, 67, 31)
    assert (
        f"The residents' survey in South Ribble for 2017/18: {answered:,} residents answered, "
        f"{safe:.1f}% feel safe and {unsure:.1f}% are unsure."
    ) in flat
    assert "2. Recommendations 1. That the committee notes the progress" in flat
    # Significance in the tables' words; "statistically significant" only where the two
    # notes explain what the words mean.
    assert (
        "• All crime rose by 19.8% (2,341 more crimes) in April to January 2017/18 compared "
        "with the same period in 2016/17; the increase is unlikely to be chance."
    ) in flat
    assert (
        "• Alcohol-related crime rose by 2.5% (36 more crimes) in April to January 2017/18 "
        "compared with the same period in 2016/17; the increase could be chance."
    ) in flat
    assert "Since 2016/17 that is up 2.0 percentage points, which could be chance." in flat
    assert flat.count("statistically significant") == 2
    assert "'Unlikely to be chance' means statistically significant at the 95% level" in flat
    assert "'Unlikely to be chance' for the share feeling safe means statistically" in flat
    # The monthly tables leave February and March 2018 blank: after the period, so not
    # yet there rather than missing ("No figure").
    later_months = [line.split() for line in text.splitlines() if line[:4] in ("Feb ", "Mar ")]
    assert len(later_months) == 6  # all crime, ASB, domestic abuse
    assert all(len(words) == 4 for words in later_months)  # the month and three years
    assert "No figure" not in text
    assert pdf_info(path)["Tagged"] == "yes"
    counts, alts = structure(PdfReader(path))
    assert counts["/Figure"] == len(alts) >= 6
    assert version.charts_drawn is True

    # Loading the demo again changes nothing: the issued version stays as it was.
    call_command("seed_demo", force=True, stdout=io.StringIO())
    assert Report.objects.filter(partnership__slug="safer-chorley-south-ribble").count() == 2
    assert report.versions.get().checksum == version.checksum
