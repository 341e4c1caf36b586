"""Helper for the backup and restore test, run in its own process against a real
database and media folder (``DATABASE_URL``, ``MEDIA_ROOT``):

    python -m tests.operations.backup_probe load       # add revisions, files, a report
    python -m tests.operations.backup_probe snapshot   # print every row and file as JSON

The snapshot covers every table of the project's apps, the audit history included,
and the SHA-256 of every stored file, so two snapshots are equal only when nothing
was lost or changed.
"""

import hashlib
import json
import os
import sys
from datetime import date
from decimal import Decimal

import django

APPS = (
    "accounts",
    "partnerships",
    "crimestats",
    "actionplans",
    "meetings",
    "notifications",
    "reports",
)
FAKE_PDF = b"%PDF-1.7\n% CSP Portal backup test: an issued committee report\n%%EOF\n"
IMPORT_CSV = b"measure,area,period,value\nall-crime,North,2017-04,120\n"


def load() -> None:
    from django.core.files.base import ContentFile
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from crimestats.models import DataReturn, ImportBatch, Observation
    from meetings.models import Meeting, Resolution, ResolutionResponse
    from partnerships.models import Partnership
    from reports.models import Report, ReportVersion

    officer = User.objects.create_user("backup.officer@example.org", "not-a-real-password")
    partnership = Partnership.objects.filter(is_reference=False).order_by("pk").first()
    with transaction.atomic():
        # Two corrections of one approved figure: three revisions in its history.
        observation = Observation.objects.filter(partnership=partnership).order_by("pk").first()
        for revision, value in ((2, Decimal("131.00")), (3, Decimal("127.00"))):
            observation.value = value
            observation.revision = revision
            observation.updated_by = officer
            observation.updated_at = timezone.now()
            observation._change_reason = f"Correction {revision - 1}: police re-extract"
            observation.save()

        data_return = DataReturn.objects.create(
            partnership=partnership,
            period_type="quarter",
            period_start=date(2017, 4, 1),
            period_end=date(2017, 6, 30),
            status=DataReturn.Status.APPROVED,
            approved_by=officer,
            approved_at=timezone.now(),
        )
        Observation.objects.filter(pk=observation.pk).update(data_return=data_return)

        batch = ImportBatch(
            partnership=partnership,
            format=ImportBatch.Format.TEMPLATE,
            file_name="figures.csv",
            checksum=hashlib.sha256(IMPORT_CSV).hexdigest(),
            status=ImportBatch.Status.STORED,
            rows_read=1,
            rows_stored=1,
            imported_by=officer,
        )
        batch.file.save("figures.csv", ContentFile(IMPORT_CSV), save=True)

        resolution = Resolution.objects.filter(meeting__partnership=partnership).first()
        if resolution is None:
            meeting = Meeting.objects.create(
                partnership=partnership, body="scrutiny", title="Scrutiny", date=date(2018, 3, 1)
            )
            resolution = Resolution.objects.create(meeting=meeting, number=1, text="RESOLVED")
        ResolutionResponse.objects.create(
            resolution=resolution,
            responded_on=date(2018, 6, 1),
            text="Resident confidence figures added to the quarterly report.",
            new_status=Resolution.Status.DISCHARGED,
            recorded_by=officer,
        )
        resolution.status = Resolution.Status.DISCHARGED
        resolution._change_reason = "Discharged at the June meeting"
        resolution.save()

        report = Report.objects.create(
            partnership=partnership,
            financial_year=2017,
            end_month=1,
            status=Report.Status.ISSUED,
            created_by=officer,
        )
        version = ReportVersion(
            report=report,
            number=1,
            title="Progress Report",
            period_label=report.period_label,
            snapshot={"headline": "All crime rose by 20.4%", "figures": [[1234, 1486]]},
            checksum=hashlib.sha256(FAKE_PDF).hexdigest(),
            size=len(FAKE_PDF),
            page_count=1,
            issued_by=officer,
            issued_at=timezone.now(),
        )
        version.pdf.save("report-v1.pdf", ContentFile(FAKE_PDF), save=True)


def _jsonable(value):
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def snapshot() -> dict:
    from django.apps import apps
    from django.core.files.storage import storages
    from django.db import models

    storage = storages["default"]
    tables = {}
    files = {}
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        file_fields = [f.attname for f in model._meta.fields if isinstance(f, models.FileField)]
        rows = []
        for row in model._default_manager.order_by("pk").values():
            rows.append({key: _jsonable(value) for key, value in row.items()})
            for name in file_fields:
                if row[name] and row[name] not in files:
                    with storage.open(row[name], "rb") as stored:
                        files[row[name]] = hashlib.sha256(stored.read()).hexdigest()
        tables[model._meta.label] = rows
    return {"tables": tables, "files": files}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cspportal.settings")
    django.setup()
    if sys.argv[1:] == ["load"]:
        load()
    elif sys.argv[1:] == ["snapshot"]:
        json.dump(snapshot(), sys.stdout, default=str, sort_keys=True)
    else:
        sys.exit("usage: python -m tests.operations.backup_probe load|snapshot")


if __name__ == "__main__":
    main()
