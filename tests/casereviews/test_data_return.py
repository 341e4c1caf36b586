"""The data return grid shows the register's figures as "from the case review
register", and neither the grid nor an uploaded template can type over them."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from crimestats.models import DataReturn, Measure, Observation, PartnershipMeasure
from tests.casereviews.conftest import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def council_quarter(cast) -> DataReturn:
    for code in ("community-trigger-applications", "idva-referrals"):
        PartnershipMeasure.objects.create(
            partnership=cast.partnership,
            measure=Measure.objects.get(code=code),
            supplier=cast.council,
        )
    return DataReturn.objects.create(
        partnership=cast.partnership,
        organisation=cast.council,
        period_type="quarter",
        period_start=date(2024, 4, 1),
        period_end=date(2024, 6, 30),
    )


def _url(cast, data_return) -> str:
    return reverse("crimestats:return_edit", args=[cast.partnership.slug, data_return.pk])


def test_the_grid_shows_the_register_figure_and_ignores_a_typed_one(
    cast, council_quarter, editor_client
):
    make_application(cast, "A", received_on=date(2024, 5, 1))
    make_application(cast, "B", received_on=date(2024, 6, 3))
    applications = Measure.objects.get(code="community-trigger-applications")
    idva = Measure.objects.get(code="idva-referrals")
    page = editor_client.get(_url(cast, council_quarter)).content.decode()
    assert "From the case review register" in page
    assert f'name="value-{applications.pk}-all"' not in page
    assert f'name="value-{idva.pk}-all"' in page
    response = editor_client.post(
        _url(cast, council_quarter),
        {
            "version": council_quarter.version,
            "action": "save",
            f"value-{applications.pk}-all": "99",
            f"value-{idva.pk}-all": "7",
        },
    )
    assert response.status_code == 302
    figures = dict(
        Observation.objects.filter(
            partnership=cast.partnership, period_start=date(2024, 4, 1), area__isnull=True
        ).values_list("measure__code", "value")
    )
    assert figures["community-trigger-applications"] == Decimal(2)
    assert figures["idva-referrals"] == Decimal(7)


def test_an_uploaded_template_cannot_type_over_a_register_figure(cast, council_quarter):
    from crimestats.importers import template
    from crimestats.importers.base import SourceFile

    make_application(cast, "A", received_on=date(2024, 5, 1))
    text = (
        "measure_code,measure,area,period_start,period_end,value,not_supplied_reason,note\n"
        "community-trigger-applications,Community trigger applications,Whole partnership,"
        "2024-04-01,2024-06-30,9,,\n"
        "idva-referrals,IDVA referrals,Whole partnership,2024-04-01,2024-06-30,7,,\n"
    )
    context = template.context_for(partnership=cast.partnership, data_return=council_quarter)
    parsed = template.parse([SourceFile("figures.csv", text.encode())], context)
    assert [(e.row, e.column, e.message) for e in parsed.errors] == [
        (
            2,
            "value",
            "Row 2 (Community trigger applications, whole partnership): this figure is "
            "counted from the ASB case review register; change the register, not the figure",
        )
    ]
    assert [(i.value, i.measure_id) for i in parsed.rows] == [
        (Decimal(7), Measure.objects.get(code="idva-referrals").pk)
    ]
