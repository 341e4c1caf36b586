"""The plan page, its export and ``plan_progress``: RAG summary, exceptions first,
each action's history, and targets judged from the figures."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actionplans.selectors import plan_progress, plan_progress_for_plan
from actionplans.targets import Outcome
from crimestats.models import Measure
from tests.factories import (
    ActionFactory,
    ActionUpdateFactory,
    MeasureTargetFactory,
    ObjectiveFactory,
    ObservationFactory,
)

SLUG = "safer-testshire"


@pytest.fixture
def figures(cast):
    """All crime for the whole partnership: 100 a month in April-December 2023, 90 a
    month in April-November 2024, December 2024 not supplied."""
    measure = Measure.objects.get(code="all-crime")
    for month in range(4, 13):
        ObservationFactory(
            partnership=cast.partnership,
            measure=measure,
            period_start=date(2023, month, 1),
            value=100,
        )
        if month < 12:
            ObservationFactory(
                partnership=cast.partnership,
                measure=measure,
                period_start=date(2024, month, 1),
                value=90,
            )
    ObservationFactory(
        partnership=cast.partnership,
        measure=measure,
        period_start=date(2024, 12, 1),
        value=None,
        status="not_supplied",
    )
    # Another partnership's figures never count.
    ObservationFactory(
        partnership=cast.other_partnership, measure=measure, period_start=date(2024, 12, 1)
    )
    return measure


@pytest.fixture
def history(setup, cast):
    ActionUpdateFactory(
        action=setup.council_action, financial_year=2024, quarter=3, rag_status="amber"
    )
    ActionUpdateFactory(
        action=setup.council_action, financial_year=2024, quarter=4, rag_status="green"
    )
    ActionUpdateFactory(
        action=setup.police_action, financial_year=2024, quarter=2, rag_status="red"
    )


def test_a_reduction_target_is_judged_from_the_latest_year_to_date(setup, figures):
    target = MeasureTargetFactory(
        objective=setup.objective, measure=figures, baseline_year=2023, change_pct=5
    )
    progress = plan_progress_for_plan(setup.plan)
    [row] = progress.targets
    assert row.target == target
    evaluation = row.evaluation
    assert evaluation.outcome is Outcome.MET
    assert (evaluation.current, evaluation.baseline) == (Decimal(720), Decimal(800))
    assert evaluation.target_value == Decimal("760.00")
    assert evaluation.pct_change == pytest.approx(-10.0)
    assert evaluation.period_label == (
        "April to November 2024/25 compared with April to November 2023/24"
    )
    assert evaluation.notes == ()


def test_a_target_the_figures_miss_is_not_met(setup, figures):
    MeasureTargetFactory(objective=setup.objective, measure=figures, change_pct=15)
    [row] = plan_progress_for_plan(setup.plan).targets
    assert row.evaluation.outcome is Outcome.NOT_MET
    assert row.evaluation.target_value == Decimal("680.00")


def test_the_plan_page_shows_the_target_in_words(setup, figures, viewer_client):
    MeasureTargetFactory(objective=setup.objective, measure=figures, change_pct=5)
    html = viewer_client.get(
        reverse("actionplans:plan_detail", args=[SLUG, setup.plan.pk])
    ).content.decode()
    assert "Reduce All crime (total recorded crime excluding fraud) by 5% against 2023/24" in html
    assert "On course to meet the target" in html
    assert "Now 720 against 800 in the baseline months (-10.0%). Target: 760 or fewer." in html


def test_rag_summary_by_priority_and_group(setup, history):
    progress = plan_progress_for_plan(setup.plan)
    assert progress.as_of == date(2025, 2, 10)
    assert progress.quarter.label == "Q4 2024/25"
    [priority] = progress.by_priority
    [group] = progress.by_group
    for counts, label in ((priority, "Violent crime"), (group, "Domestic abuse group")):
        assert counts.label == label
        assert (counts.red, counts.amber, counts.green, counts.not_rated) == (1, 0, 1, 0)
        assert (counts.total, counts.complete, counts.overdue) == (2, 0, 1)


def test_exceptions_list_red_overdue_and_missing_updates_most_serious_first(setup, history):
    extra = ActionFactory(
        objective=setup.objective,
        title="Hate crime training",
        rag_status="amber",
        start_date=date(2024, 4, 1),
        due_date=date(2025, 3, 31),
    )
    ActionUpdateFactory(action=extra, financial_year=2024, quarter=4, rag_status="amber")
    ActionFactory(objective=setup.objective, title="Not started yet", start_date=date(2025, 3, 1))
    ActionFactory(
        objective=setup.objective, title="Finished", status="complete", rag_status="green"
    )
    progress = plan_progress_for_plan(setup.plan)
    assert [(row.action.title, row.reasons) for row in progress.exceptions] == [
        ("Operation Genga", ["RAG status red", "Overdue", "No update for Q4 2024/25"]),
        ("Hate crime training", ["RAG status amber"]),
    ]


def test_each_action_keeps_its_history_over_quarters(setup, history):
    progress = plan_progress_for_plan(setup.plan)
    council = next(r for r in progress.actions if r.action == setup.council_action)
    assert [(u.period.label, u.rag_status) for u in council.updates] == [
        ("Q3 2024/25", "amber"),
        ("Q4 2024/25", "green"),
    ]
    assert [q.label for q in progress.quarters][:2] == ["Q1 2024/25", "Q2 2024/25"]
    assert len(progress.quarters) == 4


def test_plan_progress_for_a_report_date_uses_the_plan_covering_it(setup, history, cast):
    progress = plan_progress(cast.partnership, as_of=date(2024, 12, 31))
    assert progress.plan == setup.plan
    assert progress.quarter.label == "Q3 2024/25"
    # The Q4 update did not exist yet on 31 December.
    council = next(r for r in progress.actions if r.action == setup.council_action)
    assert [u.period.label for u in council.updates] == ["Q3 2024/25"]
    assert not setup.police_action.is_overdue_on(date(2024, 12, 31))
    assert plan_progress(cast.partnership, as_of=date(2020, 6, 1)) is None


def test_plan_progress_never_reports_a_draft(setup, cast):
    setup.plan.status = "draft"
    setup.plan.save()
    assert plan_progress(cast.partnership, as_of=date(2025, 1, 1)) is None


def test_a_plan_that_has_ended_is_shown_as_it_stood_on_its_last_day(cast, frozen_today):
    from tests.factories import ActionPlanFactory

    plan = ActionPlanFactory(partnership=cast.partnership, start_year=2018, end_year=2018)
    ActionFactory(objective=ObjectiveFactory(plan=plan), due_date=date(2019, 3, 31))
    progress = plan_progress_for_plan(plan)
    assert progress.as_of == date(2019, 3, 31)
    assert progress.quarter.label == "Q4 2018/19"
    assert progress.actions[0].is_overdue is False


def test_the_plan_page_lists_exceptions_before_the_plan(setup, history, viewer_client):
    html = viewer_client.get(
        reverse("actionplans:plan_detail", args=[SLUG, setup.plan.pk])
    ).content.decode()
    assert (
        html.index('id="exceptions"') < html.index('id="summary"') < html.index('id="objectives"')
    )
    assert "RAG status red; Overdue; No update for Q4 2024/25 (due 31 January 2025)" in html
    assert "2 actions: 1 red, 0 amber, 1 green, 0 not yet rated; 0 complete and 1 overdue." in html
    assert "Q3 2024/25: Amber" in html


def test_the_plan_page_runs_a_fixed_number_of_queries(
    setup, history, figures, viewer_client, django_assert_num_queries
):
    MeasureTargetFactory(objective=setup.objective, measure=figures)
    url = reverse("actionplans:plan_detail", args=[SLUG, setup.plan.pk])
    viewer_client.get(url)
    # session, user, role, plan, objectives, actions, updates, action targets,
    # objective targets, figures, area count, the partnership switcher
    with django_assert_num_queries(12):
        assert viewer_client.get(url).status_code == 200
    for n in range(3):
        objective = ObjectiveFactory(plan=setup.plan)
        action = ActionFactory(objective=objective)
        ActionUpdateFactory(action=action, quarter=n + 1)
        MeasureTargetFactory(action=action, objective=None, measure=figures)
    with django_assert_num_queries(12):
        assert viewer_client.get(url).status_code == 200


def test_the_csv_export_has_one_row_per_action_with_its_quarters(setup, history, viewer_client):
    response = viewer_client.get(
        reverse("actionplans:plan_export", args=[SLUG, setup.plan.pk, "csv"])
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="safer-testshire-action-plan-2024.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-4:] == [
        "Q1 2024/25 RAG status",
        "Q2 2024/25 RAG status",
        "Q3 2024/25 RAG status",
        "Q4 2024/25 RAG status",
    ]
    assert rows[1] == [
        "Reduce domestic abuse",
        "Violent crime",
        "Domestic abuse group",
        "Sanctuary Scheme",
        "Testshire Council",
        "Housing Options Manager",
        "2024-04-01",
        "2025-03-31",
        "On track",
        "Green",
        "No",
        "Q4 2024/25",
        "Delivered as planned.",
        "",
        "",
        "Amber",
        "Green",
    ]
    assert rows[2][3] == "Operation Genga"
    assert rows[2][10] == "Yes"
    assert len(rows) == 3


def test_the_xlsx_export_neutralises_formulas(setup, viewer_client):
    setup.council_action.owner_name = '=HYPERLINK("http://evil")'
    setup.council_action.save()
    response = viewer_client.get(
        reverse("actionplans:plan_export", args=[SLUG, setup.plan.pk, "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=6).value == '\'=HYPERLINK("http://evil")'


def test_an_unknown_export_format_is_404(setup, viewer_client):
    url = reverse("actionplans:plan_export", args=[SLUG, setup.plan.pk, "pdf"])
    assert viewer_client.get(url).status_code == 404


def test_a_quarterly_measure_is_judged_on_its_quarterly_figures(setup, cast):
    marac = Measure.objects.get(code="marac-cases")
    assert marac.frequency == "quarterly"
    for year, values in ((2023, [80, 90, 100]), (2024, [70, 80, 85])):
        for quarter, value in enumerate(values):
            start = date(year, 4 + 3 * quarter, 1)
            ObservationFactory(
                partnership=cast.partnership,
                measure=marac,
                period_type="quarter",
                period_start=start,
                period_end=date(year, 6 + 3 * quarter, 30 if quarter != 2 else 31),
                value=value,
            )
    # A monthly figure of the same measure is not mixed in.
    ObservationFactory(
        partnership=cast.partnership, measure=marac, period_start=date(2024, 4, 1), value=999
    )
    MeasureTargetFactory(objective=setup.objective, measure=marac, change_pct=10)
    [row] = plan_progress_for_plan(setup.plan).targets
    assert (row.evaluation.current, row.evaluation.baseline) == (Decimal(235), Decimal(270))
    assert row.evaluation.outcome is Outcome.MET
    assert row.evaluation.period_label == (
        "April to December 2024/25 compared with April to December 2023/24"
    )
