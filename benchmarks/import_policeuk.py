"""Benchmark the police.uk importer on a synthetic national month, against a bare
``pandas.read_csv`` of the same files, on SQLite and on PostgreSQL in one run.

Generates ~500,000 street-level rows over 40 forces (one CSV per force, in the
police.uk format: 12 columns, ~9% rows with no location, ~1% in areas outside the
partnership, one in twenty anti-social behaviour) and imports them into one
partnership whose 320 areas cover those forces (4,800 figures and their history
rows), on a fresh SQLite database and a fresh PostgreSQL database. Each engine runs
``--repeat`` times (default 3): a bare ``pandas.read_csv`` of the files, then the
whole import (read, check, count, store) into a new partnership; the medians are
printed, with the ratio of each import to the read_csv just before it. Then it times
the 25 real City of London files.

Budget (issue 13), on each engine, by the wall clock: at least 300,000 rows/s and at
most 2 times the bare read_csv; the 25 real files in under 3 s of CPU. CPU-time
figures are printed beside them. The exit status is 1 when a budget is missed.

    .venv/bin/python benchmarks/import_policeuk.py                 # both databases
    .venv/bin/python benchmarks/import_policeuk.py --database sqlite
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/csp_bench_imports \\
        .venv/bin/python benchmarks/import_policeuk.py --database postgres
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
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


MIN_ROWS_PER_SECOND = 300_000
MAX_RATIO_TO_READ_CSV = 2.0
MAX_REAL_FILES_CPU_SECONDS = 3.0


def run_one(database: str, repeat: int, result_file: Path | None) -> bool:
    """Runs in its own process: settings read DATABASE_URL once, at start-up.
    Returns whether every budget was met."""
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
        result = _measure(database, paths, repeat)
    if result_file is not None:
        result_file.write_text(json.dumps(result))
    return result["within"]


def _recreate_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def _timed(function):
    """(result, wall seconds, CPU seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _import_national(paths: list[Path], run: int) -> dict:
    """Import the files into a new partnership of 320 areas, as the command line
    does (no user), timing the preview (read, check, count) and the store."""
    from crimestats.importers.base import SourceFile
    from crimestats.importers.batches import import_commit, import_preview
    from crimestats.models import ImportBatch, Observation
    from partnerships.models import Area, Partnership

    partnership = Partnership.objects.create(name=f"National benchmark {run}", slug=f"bench-{run}")
    Area.objects.bulk_create(
        Area(partnership=partnership, name=area_name(f, a), kind=Area.Kind.DISTRICT)
        for f in range(FORCES)
        for a in range(AREAS_PER_FORCE)
    )

    def preview():
        sources = [SourceFile(p.name, p.read_bytes()) for p in paths]
        return import_preview(
            format=ImportBatch.Format.POLICEUK_STREET,
            sources=sources,
            partnership=partnership,
            user=None,
            keep_file=False,
        )

    (batch, parsed), preview_wall, preview_cpu = _timed(preview)
    assert parsed.ok, parsed.errors[:3]
    batch, store_wall, store_cpu = _timed(
        lambda: import_commit(batch=batch, user=None, parsed=parsed)
    )
    return {
        "wall": preview_wall + store_wall,
        "cpu": preview_cpu + store_cpu,
        "preview": preview_wall,
        "store": store_wall,
        "figures": Observation.objects.filter(partnership=partnership).count(),
        "status": batch.status,
    }


def _measure(database: str, paths: list[Path], repeat: int) -> dict:
    import pandas as pd

    runs = []
    for run in range(1, repeat + 1):
        rows, bare_wall, bare_cpu = _timed(lambda: sum(len(pd.read_csv(p)) for p in paths))
        imported = _import_national(paths, run)
        runs.append({"rows": rows, "bare_wall": bare_wall, "bare_cpu": bare_cpu, **imported})
        print(
            f"[{database}] run {run}: read_csv {bare_wall:.2f} s; import {imported['wall']:.2f} s "
            f"(check and count {imported['preview']:.2f} s, store {imported['store']:.2f} s), "
            f"{imported['wall'] / bare_wall:.2f} x read_csv; {imported['figures']:,} figures, "
            f"status {imported['status']}; load average {os.getloadavg()[0]:.1f}"
        )
    rows = runs[0]["rows"]

    def median(key):
        return statistics.median(r[key] for r in runs)

    wall, cpu = median("wall"), median("cpu")
    ratio = statistics.median(r["wall"] / r["bare_wall"] for r in runs)
    cpu_ratio = statistics.median(r["cpu"] / r["bare_cpu"] for r in runs)
    within = rows / wall >= MIN_ROWS_PER_SECOND and ratio <= MAX_RATIO_TO_READ_CSV
    budget = f"budget (>= {MIN_ROWS_PER_SECOND:,} rows/s, <= {MAX_RATIO_TO_READ_CSV:g} x read_csv)"
    print(
        f"[{database}] median of {len(runs)}: read_csv {median('bare_wall'):.2f} s "
        f"(CPU {median('bare_cpu'):.2f} s); import {wall:.2f} s (CPU {cpu:.2f} s in this "
        f"process; check and count {median('preview'):.2f} s, store {median('store'):.2f} s)"
    )
    print(
        f"[{database}] wall clock: {rows:,} rows at {rows / wall:,.0f} rows/s, "
        f"{ratio:.2f} x read_csv; {budget}: {'within' if within else 'OVER'}"
    )
    print(
        f"[{database}] CPU time: {rows / cpu:,.0f} rows/s, {cpu_ratio:.2f} x read_csv "
        "(for information: the budget is on the wall clock)"
    )
    real = _import_real_files()
    if real is not None:
        real_within = real["cpu"] < MAX_REAL_FILES_CPU_SECONDS
        within = within and real_within
        print(
            f"[{database}] the {real['files']} real City of London files ({real['rows']:,} "
            f"rows): {real['wall']:.2f} s, CPU {real['cpu']:.2f} s; budget (< "
            f"{MAX_REAL_FILES_CPU_SECONDS:g} s of CPU): {'within' if real_within else 'OVER'}"
        )
    return {
        "database": database,
        "runs": len(runs),
        "rows": rows,
        "bare_wall": median("bare_wall"),
        "wall": wall,
        "rows_per_second": rows / wall,
        "ratio": ratio,
        "cpu_ratio": cpu_ratio,
        "real_cpu": real["cpu"] if real else None,
        "within": within,
    }


def _import_real_files() -> dict | None:
    from crimestats.importers.base import SourceFile
    from crimestats.importers.batches import import_commit, import_preview
    from crimestats.models import ImportBatch
    from partnerships.models import Area, Partnership

    with zipfile.ZipFile(REAL_FILES) as archive:
        real = [SourceFile(name, archive.read(name)) for name in sorted(archive.namelist())]
    if not real:
        return None
    city = Partnership.objects.create(name="City of London", slug="city")
    Area.objects.bulk_create(
        [Area(partnership=city, name="City of London"), Area(partnership=city, name="Camden")]
    )

    def run():
        batch, parsed = import_preview(
            format=ImportBatch.Format.POLICEUK_STREET,
            sources=real,
            partnership=city,
            user=None,
            keep_file=False,
        )
        import_commit(batch=batch, user=None, parsed=parsed)
        return parsed.rows_read

    rows, wall, cpu = _timed(run)
    return {"files": len(real), "rows": rows, "wall": wall, "cpu": cpu}


def _machine() -> str:
    import pandas as pd

    return (
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; Python "
        f"{sys.version.split()[0]}, pandas {pd.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=3, help="imports per engine (median)")
    parser.add_argument("--result-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.database != "both":
        sys.exit(0 if run_one(args.database, args.repeat, args.result_file) else 1)
    print(f"Machine: {_machine()}")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for database in ("sqlite", "postgres"):
            result_file = Path(tmp) / f"{database}.json"
            subprocess.run(  # noqa: S603 (re-runs this script with fixed arguments)
                [
                    sys.executable,
                    __file__,
                    "--database",
                    database,
                    "--repeat",
                    str(args.repeat),
                    "--result-file",
                    str(result_file),
                ],
                check=False,
            )
            if result_file.exists():
                results.append(json.loads(result_file.read_text()))
    print(f"\nA national month of {ROWS:,} police.uk rows, median of {args.repeat} imports each:")
    print(f"{'engine':<10} {'read_csv':>9} {'import':>8} {'rows/s':>10} {'x read_csv':>11}  budget")
    for r in results:
        print(
            f"{r['database']:<10} {r['bare_wall']:>7.2f} s {r['wall']:>6.2f} s "
            f"{r['rows_per_second']:>10,.0f} {r['ratio']:>11.2f}  "
            f"{'within' if r['within'] else 'OVER'}"
        )
    within = len(results) == 2 and all(r["within"] for r in results)
    print(
        f"Budget: >= {MIN_ROWS_PER_SECOND:,} rows/s and <= {MAX_RATIO_TO_READ_CSV:g} x read_csv "
        f"on the wall clock, on both engines: {'within' if within else 'OVER'}"
    )
    sys.exit(0 if within else 1)


if __name__ == "__main__":
    main()
