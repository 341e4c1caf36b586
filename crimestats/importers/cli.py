"""What the three import commands share: read the files, print the preview, store."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crimestats.importers.base import SourceFile, max_upload_bytes
from crimestats.importers.batches import import_commit, import_preview
from crimestats.services import ApprovedFigureConflict


def add_common_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--dry-run", action="store_true", help="Check and preview only; store nothing."
    )
    parser.add_argument(
        "--reason",
        default="",
        help="Why approved figures may change (needed with --allow-approved-changes).",
    )
    parser.add_argument(
        "--allow-approved-changes",
        action="store_true",
        help="Replace approved figures that differ (as new revisions, with --reason).",
    )


def read_sources(paths: list[str]) -> list[SourceFile]:
    sources = []
    for name in paths:
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"{name}: no such file.")
        if path.stat().st_size > max_upload_bytes():
            sources.append(SourceFile(path.name, path.read_bytes()[: max_upload_bytes() + 1]))
            continue
        sources.append(SourceFile(path.name, path.read_bytes()))
    return sources


def run_import(
    command: BaseCommand,
    *,
    format: str,
    paths: list[str],
    partnership=None,
    options: dict,
    describe,
) -> None:
    """Preview, print, then store unless --dry-run. Exits non-zero on any error."""
    if options["allow_approved_changes"] and not options["reason"].strip():
        raise CommandError("--allow-approved-changes needs a --reason.")
    batch, parsed = import_preview(
        format=format,
        sources=read_sources(paths),
        partnership=partnership,
        user=None,
        keep_file=False,
    )
    out = command.stdout
    out.write(f"Import #{batch.pk}: {batch.file_name}")
    out.write(f"SHA-256 {batch.checksum}")
    out.write(f"Rows read: {batch.rows_read:,}; rejected: {batch.rows_rejected:,}")
    if not parsed.ok:
        for error in parsed.errors[:50]:
            command.stderr.write(str(error))
        if len(parsed.errors) > 50:
            command.stderr.write(f"... and {len(parsed.errors) - 50} more errors.")
        raise CommandError("Nothing was stored: correct the file and import it again.")
    for line in describe(batch.summary):
        out.write(line)
    if batch.summary.get("already_imported"):
        out.write("This file was imported before: importing it again changes nothing.")
    conflicts = batch.summary.get("conflicts", [])
    if conflicts:
        out.write(f"{len(conflicts)} approved figure(s) would change:")
        for c in conflicts[:20]:
            out.write(
                f"  {c['partnership']}: {c['measure']}, {c['area']}, {c['period']}: "
                f"{c['current']} -> {c['new']}"
            )
    if options["dry_run"]:
        out.write("Dry run: nothing stored.")
        return
    try:
        batch = import_commit(
            batch=batch,
            user=None,
            parsed=parsed,
            reason=options["reason"],
            allow_approved_changes=options["allow_approved_changes"],
        )
    except ApprovedFigureConflict as exc:
        raise CommandError(
            f"Nothing was stored: {len(exc.conflicts)} approved figure(s) would change. "
            "Run again with --allow-approved-changes and a --reason."
        ) from None
    stored = batch.summary["stored"]
    extra = ", ".join(
        f"{k.replace('_', ' ')} {v}"
        for k, v in stored.items()
        if k not in ("created", "updated", "unchanged", "reason", "by")
    )
    command.stdout.write(
        command.style.SUCCESS(
            f"{batch.get_status_display()}: {stored['created']} figures created, "
            f"{stored['updated']} changed, {stored['unchanged']} unchanged"
            + (f"; {extra}" if extra else "")
            + "."
        )
    )
