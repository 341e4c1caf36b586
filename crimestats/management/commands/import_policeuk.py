"""python manage.py import_policeuk --partnership SLUG FILE [FILE ...]"""

from django.core.management.base import BaseCommand, CommandError

from crimestats.importers.cli import add_common_arguments, run_import
from crimestats.models import ImportBatch
from partnerships.models import Partnership
from partnerships.selectors import reference_partnership_message


def describe(summary: dict) -> list[str]:
    lines = [
        f"Months: {', '.join(summary['months'])}; forces: {', '.join(summary['forces'])}",
        f"Rows in the partnership's areas: {summary['rows_in_areas']:,}; outside them: "
        f"{summary['rows_outside']:,}; with no location (kept for the force): "
        f"{summary['rows_no_location']:,}; of which anti-social behaviour: "
        f"{summary['asb_rows']:,}",
        f"Figures to store: {summary['figures']:,}",
    ]
    for missing in summary["areas_without_rows"][:10]:
        lines.append(f"  No rows for {missing['area']} in {missing['label']}: nothing stored.")
    return lines


class Command(BaseCommand):
    help = "Import police.uk street-level crime CSVs (or zips of them) into a partnership."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="The partnership's slug.")
        parser.add_argument("files", nargs="+", help="police.uk street CSV or zip files.")
        add_common_arguments(parser)

    def handle(self, *args, **options):
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership with the slug '{options['partnership']}'.")
        if partnership.is_reference:
            raise CommandError(reference_partnership_message(partnership, then="import again"))
        run_import(
            self,
            format=ImportBatch.Format.POLICEUK_STREET,
            paths=options["files"],
            partnership=partnership,
            options=options,
            describe=describe,
        )
