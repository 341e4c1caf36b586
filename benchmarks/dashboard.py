"""Dashboard benchmark on a national-scale PostgreSQL database.

Builds ``csp_bench`` (300 partnerships x 20 measures x 5 areas x 120 months: 3.6
million observations, loaded with COPY), then over at least 100 requests prints:

- the full dashboard page's server time (median, 95th percentile) and query count;
- the data step alone (selectors and analysis: everything but tables, charts and
  templates);
- the bare SQL of the data step: the same statements run on the raw psycopg
  connection, rows fetched, nothing else.

Budget (issue 15, the summary-first dashboard): page median at most 60 ms and 95th
percentile at most 100 ms, uncached (no request is served from a cache: every one
is cold); data step at most 2 x the bare SQL.

    .venv/bin/python benchmarks/dashboard.py [--requests 200] [--keep]

``PG_URL`` names the server (default ``postgres://postgres@127.0.0.1:5432``); the
database is dropped at the end unless ``--keep`` (then ``--reuse`` skips the build).
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PARTNERSHIPS, MEASURES, AREAS, MONTHS = 300, 20, 5, 120
FIRST_MONTH = date(2015, 4, 1)  # 120 months: April 2015 to March 2025
DB_NAME = "csp_bench"
BUDGET_PAGE_MS = 60.0
BUDGET_PAGE_P95_MS = 100.0
BUDGET_RATIO = 2.0


def _server_url() -> str:
    return os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")


def _admin(sql: str) -> None:
    with psycopg.connect(f"{_server_url()}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def build() -> None:
    """Schema by migrations, then partnerships, areas and users through the ORM and
    the 3.6 million observations through COPY."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from crimestats.models import Measure, PartnershipMeasure
    from cspportal.lib.periods import add_months, month_end
    from partnerships.models import Area, Partnership, PartnershipRole, Role

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    partnerships = Partnership.objects.bulk_create(
        Partnership(name=f"Bench CSP {i:03d}", slug=f"bench-{i:03d}") for i in range(PARTNERSHIPS)
    )
    areas = Area.objects.bulk_create(
        Area(
            partnership=p,
            name=f"Area {j}",
            population=80_000 + 1_000 * j,
            population_year=2021,
        )
        for p in partnerships
        for j in range(AREAS)
    )
    measures = list(
        Measure.objects.filter(unit="count", frequency="monthly").order_by("display_order", "code")
    )[:MEASURES]
    PartnershipMeasure.objects.bulk_create(
        PartnershipMeasure(partnership=p, measure=m) for p in partnerships for m in measures
    )
    viewer = User.objects.create_user(email="bench@example.org", password="bench-password")
    PartnershipRole.objects.bulk_create(
        PartnershipRole(user=viewer, partnership=p, role=Role.VIEWER) for p in partnerships
    )
    print(f"schema and reference rows: {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    months = [add_months(FIRST_MONTH, i) for i in range(MONTHS)]
    spans = [(m.isoformat(), month_end(m).isoformat()) for m in months]
    now = timezone.now().isoformat()
    columns = (
        "partnership_id, measure_id, area_id, period_type, period_start, period_end, value, "
        "status, not_supplied_reason, note, source, revision, is_approved, updated_at, "
        "published_rate_note, published_pct_change_note"
    )
    by_partnership: dict[int, list[int]] = {}
    for area in areas:
        by_partnership.setdefault(area.partnership_id, []).append(area.id)
    with connection.cursor() as cursor:
        raw = cursor.connection
        with (
            raw.cursor() as pg,
            pg.copy(f"COPY crimestats_observation ({columns}) FROM STDIN") as copy,
        ):
            for p in partnerships:
                buffer = io.StringIO()
                for m_index, measure in enumerate(measures):
                    for a_index, area_id in enumerate(by_partnership[p.id]):
                        base = 20 + (p.id * 7 + m_index * 13 + a_index * 3) % 180
                        for i, (start, end) in enumerate(spans):
                            value = base + (i * 37 + m_index) % 23 + i // 12
                            buffer.write(
                                f"{p.id}\t{measure.id}\t{area_id}\tmonth\t{start}\t{end}\t"
                                f"{value}\tsupplied\t\t\tpoliceuk\t1\tt\t{now}\t\t\n"
                            )
                copy.write(buffer.getvalue())
        cursor.execute("ANALYZE crimestats_observation")
        cursor.execute("SELECT count(*) FROM crimestats_observation")
        total = cursor.fetchone()[0]
    print(f"COPY of {total:,} observations: {time.perf_counter() - started:.1f} s")


def measure(requests: int) -> bool:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from partnerships.models import Partnership
    from reports.dashboard import selectors as dashboard_selectors

    viewer = User.objects.get(email="bench@example.org")
    client = Client()
    client.force_login(viewer)
    slugs = list(Partnership.objects.order_by("slug").values_list("slug", flat=True)[:50])
    partnerships = {p.slug: p for p in Partnership.objects.filter(slug__in=slugs)}

    # Warm up: imports, plotly validators, template loading, PostgreSQL caches.
    for slug in slugs[:10]:
        response = client.get(f"/partnerships/{slug}/dashboard/")
        assert response.status_code == 200, response.status_code
    # As a gunicorn worker does once the app is loaded (gunicorn.conf.py).
    gc.freeze()
    with CaptureQueriesContext(connection) as page_queries:
        client.get(f"/partnerships/{slugs[0]}/dashboard/")
    page_query_count = len(page_queries.captured_queries)

    page_ms, data_ms, sql_ms = [], [], []
    for i in range(requests):
        slug = slugs[i % len(slugs)]
        started = time.perf_counter()
        response = client.get(f"/partnerships/{slug}/dashboard/")
        page_ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200

        partnership = partnerships[slug]
        with CaptureQueriesContext(connection) as data_queries:
            started = time.perf_counter()
            catalogue = dashboard_selectors.dashboard_catalogue(partnership)
            data = dashboard_selectors.dashboard_data(partnership, catalogue=catalogue)
            data_ms.append((time.perf_counter() - started) * 1000)
        assert data is not None and len(data.measures) == MEASURES

        statements = [q["sql"] for q in data_queries.captured_queries]
        raw = connection.connection
        started = time.perf_counter()
        with raw.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
        sql_ms.append((time.perf_counter() - started) * 1000)
        reset_queries()

    page_median, page_p95 = statistics.median(page_ms), _percentile(page_ms, 95)
    data_median, data_p95 = statistics.median(data_ms), _percentile(data_ms, 95)
    sql_median, sql_p95 = statistics.median(sql_ms), _percentile(sql_ms, 95)
    ratio = data_median / sql_median
    print()
    print(f"Dashboard benchmark: {requests} requests over {len(slugs)} partnerships")
    print(
        f"  full page          median {page_median:7.1f} ms   p95 {page_p95:7.1f} ms   "
        f"queries {page_query_count}"
    )
    print(
        f"  data step          median {data_median:7.1f} ms   p95 {data_p95:7.1f} ms   "
        f"queries {len(statements)}"
    )
    print(f"  bare SQL (same)    median {sql_median:7.1f} ms   p95 {sql_p95:7.1f} ms")
    print(f"  data step / bare SQL = {ratio:.2f} (budget {BUDGET_RATIO:.0f})")
    ok_page = page_median <= BUDGET_PAGE_MS and page_p95 <= BUDGET_PAGE_P95_MS
    ok_ratio = ratio <= BUDGET_RATIO
    print(
        f"  page budget median {BUDGET_PAGE_MS:.0f} ms, p95 {BUDGET_PAGE_P95_MS:.0f} ms: "
        f"{'met' if ok_page else 'MISSED'}; "
        f"data step budget: {'met' if ok_ratio else 'MISSED'}"
    )
    return ok_page and ok_ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument("--reuse", action="store_true", help="Use an existing csp_bench.")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = f"{_server_url()}/{DB_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cspportal.settings")
    # Plain static storage: the benchmark does not need collectstatic's manifest.
    os.environ.setdefault("DEBUG", "false")
    if not args.reuse:
        _admin(f"DROP DATABASE IF EXISTS {DB_NAME}")
        _admin(f"CREATE DATABASE {DB_NAME}")
    try:
        import django

        django.setup()
        from django.conf import settings

        settings.ALLOWED_HOSTS = ["*"]
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        if not args.reuse:
            build()
        ok = measure(args.requests)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            _admin(f"DROP DATABASE IF EXISTS {DB_NAME}")
            print(f"dropped {DB_NAME}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
