"""python manage.py import_ons_csp policeforceareatablesyedecember2024.xlsx"""

from django.core.management.base import BaseCommand

from crimestats.importers.cli import add_common_arguments, run_import
from crimestats.models import ImportBatch


def describe(summary: dict) -> list[str]:
    lines = [f"Tables: {t['sheet']}: {t['kind']}" for t in summary["tables"]]
    lines += [
        f"Periods: {', '.join(summary['periods'])}; code vintage {summary['vintage']}",
        f"CSPs: {summary['csps']} ({len(summary['in_app'])} in the app, "
        f"{summary['reference_existing']} reference partnerships already known, "
        f"{summary['reference_new']} new reference partnerships)",
        f"Force totals: {len(summary['force_rows'])} rows; unassigned: "
        f"{len(summary['unassigned_rows'])}; not in a CSP: "
        + ", ".join(sorted({r["name"] for r in summary["other_rows"]})),
        f"Local authority lookup rows: {summary['mapping_rows']}; populations: "
        f"{summary['populations']}",
        f"Figures to store: {summary['figures']:,}",
    ]
    if summary["headings_skipped"]:
        lines.append(f"Not stored (no measure): {', '.join(summary['headings_skipped'])}")
    return lines


class Command(BaseCommand):
    help = "Import an ONS police force area tables workbook (the CSP tables C1 to C5)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The ONS workbook (.xlsx).")
        add_common_arguments(parser)

    def handle(self, *args, **options):
        run_import(
            self,
            format=ImportBatch.Format.ONS_PFA_TABLES,
            paths=[options["file"]],
            options=options,
            describe=describe,
        )
