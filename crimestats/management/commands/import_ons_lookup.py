"""python manage.py import_ons_lookup LAD24_CSP24_PFA24_EW_LU.csv"""

from django.core.management.base import BaseCommand

from crimestats.importers.cli import add_common_arguments, run_import
from crimestats.models import ImportBatch


def describe(summary: dict) -> list[str]:
    return [
        f"Vintage {summary['vintage']}: {summary['rows']} local authority rows, "
        f"{summary['csps']} CSPs, {summary['forces']} police force areas"
    ]


class Command(BaseCommand):
    help = "Import the ONS local authority -> CSP -> police force area lookup CSV."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The lookup CSV (LADyyCD, ..., PFAyyNM).")
        add_common_arguments(parser)

    def handle(self, *args, **options):
        run_import(
            self,
            format=ImportBatch.Format.ONS_LOOKUP,
            paths=[options["file"]],
            options=options,
            describe=describe,
        )
