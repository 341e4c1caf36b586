"""The demo's annual report reads like seed 001, with real tables and charts."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

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
