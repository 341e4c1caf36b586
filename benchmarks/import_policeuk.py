"""Benchmark the police.uk importer on a synthetic national month.

Generates ~500,000 street-level rows over 40 forces (one CSV per force, in the
police.uk format: 12 columns, ~9% rows with no location, ~1% in areas outside the
partnership, one in twenty anti-social behaviour) and imports them into one
partnership whose 320 areas cover those forces, on a fresh SQLite database and a
fresh PostgreSQL database. Prints rows per second and the ratio of the whole import
(read, check, count, store) to a bare ``pandas.read_csv`` of the same files, then
times the 25 real City of London files. Budget: >= 100,000 rows/s, ratio <= 3, and
the 25 real files in under 3 s.

    .venv/bin/python benchmarks/import_policeuk.py                 # both databases
    .venv/bin/python benchmarks/import_policeuk.py --database sqlite
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/csp_bench_imports \\
        .venv/bin/python benchmarks/import_policeuk.py --database postgres
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL_FILES = ROOT / "tests" / "imports" / "fixtures" / "city-of-london-street-25-months.zip"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/csp_bench_imports"
FORCES = 40
AREAS_PER_FORCE = 8
LSOAS_PER_AREA = 60
ROWS = 500_000
MONTH = "2025-05"
CRIME_TYPES = [
    "Anti-social behaviour",
    "Violence and sexual offences",
    "Public order",
    "Criminal damage and arson",
    "Burglary",
    "Vehicle crime",
    "Shoplifting",
    "Bicycle theft",
    "Theft from the person",
    "Other theft",
    "Robbery",
    "Drugs",
    "Possession of weapons",
    "Other crime",
]
WEIGHTS = [5, 33, 9, 8, 5, 7, 9, 1, 2, 9, 1, 3, 1, 7]
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context"
)


def area_name(force: int, area: int) -> str:
    return f"Borough {force:02d}{area:01d}"


def generate(folder: Path) -> list[Path]:
    """One file per force, written with numpy/pandas so generation stays quick."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(2025)
    per_force = ROWS // FORCES
    weights = np.array(WEIGHTS, dtype=float) / sum(WEIGHTS)
    paths = []
    for force in range(FORCES):
        force_name = f"Force {force:02d} Police"
        n = per_force
        types = np.array(CRIME_TYPES)[rng.choice(len(CRIME_TYPES), n, p=weights)]
        area = rng.integers(0, AREAS_PER_FORCE, n)
        lsoa = rng.integers(1, LSOAS_PER_AREA + 1, n)
        kind = rng.random(n)
        no_location = kind < 0.09
        outside = (kind >= 0.09) & (kind < 0.10)
        names = np.array([area_name(force, a) for a in range(AREAS_PER_FORCE)], dtype=object)[area]
        names = np.where(outside, f"Elsewhere {force:02d}", names)
        lsoa_names = names + " " + pd.Series(lsoa).map("{:03d}A".format).to_numpy(dtype=object)
        codes = "E01" + pd.Series(force * 10_000 + area * 100 + lsoa + outside * 5_000).map(
            "{:06d}".format
        ).to_numpy(dtype=object)
        ids = pd.Series(rng.integers(0, 2**63, n)).map("{:064x}".format).to_numpy(dtype=object)
        asb = types == "Anti-social behaviour"
        frame = pd.DataFrame(
            {
                "Crime ID": np.where(asb, "", ids),
                "Month": MONTH,
                "Reported by": force_name,
                "Falls within": force_name,
                "Longitude": np.where(no_location, "", "-0.107682"),
                "Latitude": np.where(no_location, "", "51.517786"),
                "Location": np.where(no_location, "No location", "On or near High Street"),
                "LSOA code": np.where(no_location, "", codes),
                "LSOA name": np.where(no_location, "", lsoa_names),
                "Crime type": types,
                "Last outcome category": np.where(
                    asb, "", "Investigation complete; no suspect identified"
                ),
                "Context": "",
            }
        )
        path = folder / f"{MONTH}-force-{force:02d}-street.csv"
        frame.to_csv(path, index=False, lineterminator="\r\n")
        paths.append(path)
    return paths


def run_one(database: str) -> None:
    """Runs in its own process: settings read DATABASE_URL once, at start-up."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if database == "sqlite":
            os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
        else:
            url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
            _recreate_postgres(url)
            os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cspportal.settings")
        # As in production: with DEBUG on, Django keeps every query's SQL in memory.
        os.environ["DEBUG"] = "false"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        paths = generate(folder)
        print(
            f"[{database}] generated {ROWS:,} rows in {len(paths)} files "
            f"({sum(p.stat().st_size for p in paths) / 1e6:.0f} MB) in "
            f"{time.perf_counter() - started:.1f} s"
        )
        _measure(database, paths)


def _recreate_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def _measure(database: str, paths: list[Path]) -> None:
    import pandas as pd

    from crimestats.importers.base import SourceFile
    from crimestats.importers.batches import import_commit, import_preview
    from crimestats.models import ImportBatch, Observation
    from partnerships.models import Area, Partnership

    partnership = Partnership.objects.create(name="National benchmark", slug="bench")
    Area.objects.bulk_create(
        Area(partnership=partnership, name=area_name(f, a), kind=Area.Kind.DISTRICT)
        for f in range(FORCES)
        for a in range(AREAS_PER_FORCE)
    )
    city = Partnership.objects.create(name="City of London", slug="city")
    Area.objects.bulk_create(
        [Area(partnership=city, name="City of London"), Area(partnership=city, name="Camden")]
    )

    wall, cpu = time.perf_counter(), time.process_time()
    rows = sum(len(pd.read_csv(p)) for p in paths)
    bare_wall, bare_cpu = time.perf_counter() - wall, time.process_time() - cpu

    wall, cpu = time.perf_counter(), time.process_time()
    sources = [SourceFile(p.name, p.read_bytes()) for p in paths]
    batch, parsed = import_preview(
        format=ImportBatch.Format.POLICEUK_STREET,
        sources=sources,
        partnership=partnership,
        user=None,
        keep_file=False,
    )
    preview_wall = time.perf_counter() - wall
    assert parsed.ok, parsed.errors[:3]
    batch = import_commit(batch=batch, user=None, parsed=parsed)
    whole_wall, whole_cpu = time.perf_counter() - wall, time.process_time() - cpu
    stored = Observation.objects.filter(partnership=partnership).count()

    print(f"[{database}] load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"[{database}] bare pandas.read_csv of the same files: {bare_wall:.2f} s "
        f"(CPU {bare_cpu:.2f} s)"
    )
    print(
        f"[{database}] import: {whole_wall:.2f} s (CPU {whole_cpu:.2f} s in this process; "
        f"check and count {preview_wall:.2f} s, store {whole_wall - preview_wall:.2f} s), "
        f"{stored:,} figures, status {batch.status}"
    )
    for label, took, base in (
        ("wall clock", whole_wall, bare_wall),
        ("CPU time", whole_cpu, bare_cpu),
    ):
        rate, ratio = rows / took, took / base
        verdict = "within" if rate >= 100_000 and ratio <= 3 else "OVER"
        print(
            f"[{database}] {label}: {rows:,} rows at {rate:,.0f} rows/s; ratio to bare "
            f"read_csv {ratio:.2f}; budget (>= 100,000 rows/s, ratio <= 3): {verdict}"
        )

    with zipfile.ZipFile(REAL_FILES) as archive:
        real = [SourceFile(name, archive.read(name)) for name in sorted(archive.namelist())]
    if real:
        started, cpu = time.perf_counter(), time.process_time()
        batch, parsed = import_preview(
            format=ImportBatch.Format.POLICEUK_STREET,
            sources=real,
            partnership=city,
            user=None,
            keep_file=False,
        )
        import_commit(batch=batch, user=None, parsed=parsed)
        took, took_cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"[{database}] the {len(real)} real City of London files ({parsed.rows_read:,} "
            f"rows): {took:.2f} s, CPU {took_cpu:.2f} s "
            f"({'within' if took < 3 else 'OVER'} the 3 s budget on the wall clock)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    if args.database == "both":
        for database in ("sqlite", "postgres"):
            subprocess.run(  # noqa: S603 (re-runs this script with a fixed argument)
                [sys.executable, __file__, "--database", database], check=True
            )
        return
    run_one(args.database)


if __name__ == "__main__":
    main()
