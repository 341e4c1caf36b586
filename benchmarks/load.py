"""Load benchmark: gunicorn (2 sync workers) on PostgreSQL with the demo data plus the
national-scale dataset, driven by signed-in users over HTTP on 127.0.0.1 only.

1. Builds ``csp_load`` (unless it exists; ``--rebuild`` forces it): the 3.6 million
   observations of benchmarks/dashboard.py and the demo data (with its reports), then
   ``--users`` load users (editors of the demo partnership, viewers of one national
   partnership each), each with a draft data return of their own. An existing
   database is migrated first.
2. Collects static files and starts gunicorn with production settings behind a
   pretend HTTPS proxy (``X-Forwarded-Proto: https``), as in docs/deploy.md, on a
   free port; its log (errors with their request ids) is kept.
3. Ramp: the users sign in one after another (timed, outside the budget: checking a
   password is deliberately slow and happens once a day).
4. Paced run: for ``--duration`` seconds every user loops through a realistic mix
   (dashboards, measure pages, data-return saves, CSV exports, report previews,
   profile, resolutions, action plans), pausing 5 to 15 s between actions.
5. Saturation run: ``--saturation-users`` users with no pauses for
   ``--saturation-duration`` seconds.

For each run it prints requests, errors, median and 95th percentile per page and
throughput, then the CPU seconds used by the gunicorn workers (with their Chromium),
PostgreSQL, this client and every other process on the machine, which says what
limits throughput. Budget: no errors, and p95 under 1 s on every page (the preview
draws its charts in Chromium but is HTML, so it counts; PDFs are issued by the
background worker, outside this benchmark).

    .venv/bin/python benchmarks/load.py [--duration 180] [--users 50] [--rebuild]

``PG_URL`` names the PostgreSQL server (default ``postgres://postgres@127.0.0.1:5432``).
Every run is bounded by time and by ``--max-requests``; it only ever talks to 127.0.0.1.
The machine should be otherwise idle: the figures are only as good as the CPU left over.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.client
import io
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import psutil
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"  # never anything else
DB_NAME = "csp_load"
DEMO_SLUG = "safer-chorley-south-ribble"
LOAD_PASSWORD = "load-test-password-not-secret"
BUDGET_P95_MS = 1000.0
# Checking a password is deliberately slow (PBKDF2, 1,000,000 rounds in Django 5.2) and
# happens once per working day per person, so it is timed but outside the budget.
SIGN_IN = "sign in (password check)"


def _server_url() -> str:
    return os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")


def _database_url() -> str:
    return f"{_server_url()}/{DB_NAME}"


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


# --- building the database ----------------------------------------------------------


def _database_exists() -> bool:
    with psycopg.connect(f"{_server_url()}/postgres", autocommit=True) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
            is not None
        )


def _recreate_database() -> None:
    with psycopg.connect(f"{_server_url()}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def _django(env: str = "development") -> None:
    os.environ["DATABASE_URL"] = _database_url()
    os.environ["DJANGO_SETTINGS_MODULE"] = "cspportal.settings"
    os.environ["DJANGO_ENV"] = env
    import django

    django.setup()


def build(users: int) -> None:
    """National-scale figures (COPY), the demo, and per-user returns and reports."""
    from django.core.management import call_command

    from benchmarks import dashboard

    started = time.perf_counter()
    dashboard.build()  # migrations, 300 partnerships, 3.6 million observations
    call_command("seed_demo", stdout=io.StringIO())
    print(f"demo data: {time.perf_counter() - started:.0f} s in all so far")
    prepare_users(users)


def _user_quarter(n: int) -> date:
    """The first day of load user ``n``'s own quarter: one each, long before the demo
    figures start (April 2014)."""
    from cspportal.lib.periods import add_months

    return add_months(date(2001, 4, 1), 3 * n)


def prepare_users(users: int) -> None:
    """Load users, each with a draft return of their own (so that their saves never
    collide: collisions are tested in tests/operations) and reports to preview."""
    from accounts.models import User
    from crimestats import services as figures
    from crimestats.models import PartnershipMeasure
    from cspportal.lib.periods import add_months, month_end
    from partnerships.models import Partnership, PartnershipRole, Role
    from reports import services as reports
    from reports.models import Report

    demo = Partnership.objects.get(slug=DEMO_SLUG)
    supplier = (
        PartnershipMeasure.objects.filter(
            partnership=demo, supplier__isnull=False, measure__frequency="quarterly"
        )
        .select_related("supplier")
        .first()
        .supplier
    )
    national = list(Partnership.objects.filter(slug__startswith="bench-").order_by("slug"))
    for n in range(users):
        user = User.objects.filter(email=f"load{n:02d}@example.org").first()
        if user is None:
            user = User.objects.create_user(
                email=f"load{n:02d}@example.org", password=LOAD_PASSWORD, full_name=f"Load {n}"
            )
        PartnershipRole.objects.update_or_create(
            user=user,
            partnership=demo,
            defaults={"role": Role.EDITOR, "organisation": supplier},
        )
        if national:
            PartnershipRole.objects.update_or_create(
                user=user,
                partnership=national[(n * 7) % len(national)],
                defaults={"role": Role.VIEWER},
            )
        start = _user_quarter(n)
        figures.data_return_open(
            partnership=demo,
            organisation=supplier,
            period_type="quarter",
            period_start=start,
            period_end=month_end(add_months(start, 2)),
        )
    if not Report.objects.filter(partnership=demo).exists():
        reports.report_create(
            partnership=demo,
            created_by=None,
            type=Report.Type.ANNUAL,
            title="Progress Report",
            financial_year=2017,
            end_month=1,
            committee_name="Scrutiny Committee",
            meeting_date=date(2018, 3, 1),
            lead_member="",
            lead_officer="",
        )


def user_plans(users: int) -> list[dict]:
    """What each load user works on: their partnerships and their own return."""
    from crimestats.models import DataReturn
    from partnerships.models import Partnership, PartnershipRole
    from reports.models import Report

    demo = Partnership.objects.get(slug=DEMO_SLUG)
    report_ids = list(Report.objects.filter(partnership=demo).values_list("pk", flat=True))
    plans = []
    for n in range(users):
        email = f"load{n:02d}@example.org"
        national = (
            PartnershipRole.objects.filter(
                user__email=email, partnership__slug__startswith="bench-"
            )
            .values_list("partnership__slug", flat=True)
            .first()
        )
        plans.append(
            {
                "email": email,
                "demo": DEMO_SLUG,
                "national": national,
                "return_id": DataReturn.objects.filter(
                    partnership=demo, period_type="quarter", period_start=_user_quarter(n)
                )
                .values_list("pk", flat=True)
                .get(),
                "report_ids": report_ids,
            }
        )
    return plans


# --- the server -----------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    workdir: Path
    log: Path

    def logged_errors(self) -> int:
        return sum(" ERROR " in line for line in self.log.read_text().splitlines())

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(port: int, workers: int) -> Server:
    workdir = Path(tempfile.mkdtemp(prefix="csp-load-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cspportal.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": _database_url(),
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    # Kept after the run (outside workdir): server errors are logged with their request id.
    log = workdir.with_suffix(".log")
    process = subprocess.Popen(  # noqa: S603 (the venv's gunicorn)
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "cspportal.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
            # gunicorn 27's control socket lives in the user's home: leave any other
            # instance's socket alone.
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    server = Server(process, port, workdir, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/healthz", headers={"Host": HOST, "X-Forwarded-Proto": "https"})
            if conn.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.stop()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


# --- the client -----------------------------------------------------------------------


class FormParser(HTMLParser):
    """The fields of every form on a page, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": a.get("action", ""), "method": a.get("method", "get"), "fields": {}}
            )
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            fields[a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self._select, self._select_first = a.get("name"), None
        elif tag == "option" and self._select:
            if self._select_first is None:
                self._select_first = a.get("value", "")
                fields.setdefault(self._select, self._select_first)
            if "selected" in a:
                fields[self._select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


@dataclass
class Stats:
    started: float = field(default_factory=time.monotonic)
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)
    count: int = 0
    elapsed: float = 0.0
    # (start, end) on the monotonic clock of every request over the budget.
    slow: list[tuple[float, float]] = field(default_factory=list)

    def record(self, label: str, ms: float, error: str | None, started: float = 0.0) -> None:
        with self.lock:
            self.count += 1
            self.timings[label].append(ms)
            if error:
                self.errors[label].append(error)
            if ms >= BUDGET_P95_MS and label != SIGN_IN:
                self.slow.append((started, started + ms / 1000))


class StopRun(Exception):
    pass


class VirtualUser:
    def __init__(self, plan: dict, port: int, rng: random.Random) -> None:
        self.plan = plan
        self.port = port
        self.rng = rng
        self.cookies: dict[str, str] = {}
        self.exports: list[str] = []
        self.measure_urls: list[str] = []
        self.stats: Stats | None = None
        self.max_requests = 0

    # One request, timed from sending to the last byte of the body.
    def request(self, method: str, path: str, label: str, form: dict | None = None, expect=(200,)):
        if self.stats is not None and self.stats.count >= self.max_requests:
            raise StopRun
        origin = f"https://{HOST}:{self.port}"
        headers = {
            "Host": f"{HOST}:{self.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "csp-portal-load-benchmark",
            "Accept": "text/html",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = origin
            headers["Referer"] = origin + path
        error = None
        started, clock = time.perf_counter(), time.monotonic()
        try:
            conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
            status = response.status
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                value = rest.split(";", 1)[0]
                if "max-age=0" in cookie.lower() or value in ('""', ""):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            location = response.headers.get("Location", "")
            conn.close()
        except OSError as exc:
            status, content, location = 0, b"", ""
            error = f"{method} {path}: {exc}"
        ms = (time.perf_counter() - started) * 1000
        if error is None and status not in expect:
            error = f"{method} {path}: HTTP {status}"
        if error is None and b"Someone else saved this return" in content:
            error = f"{method} {path}: refused as stale"
        if self.stats is not None:
            self.stats.record(label, ms, error, clock)
        return status, content.decode("utf-8", "replace"), location

    def sign_in(self) -> None:
        status, page, _ = self.request("GET", "/accounts/sign-in/", "sign-in page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise SystemExit(f"The sign-in page has no form (HTTP {status}).")
        status, _, _ = self.request(
            "POST",
            "/accounts/sign-in/",
            SIGN_IN,
            form={
                "username": self.plan["email"],
                "password": LOAD_PASSWORD,
                "csrfmiddlewaretoken": token.group(1),
            },
            expect=(302,),
        )
        if status != 302:
            raise SystemExit(f"{self.plan['email']} could not sign in (HTTP {status})")

    def discover(self) -> None:
        """Export and measure links as a person finds them: on the pages."""
        for slug in filter(None, (self.plan["demo"], self.plan["national"])):
            _, page, _ = self.request("GET", f"/partnerships/{slug}/dashboard/", "dashboard")
            links = [html.unescape(h) for h in re.findall(r'href="([^"]+)"', page)]
            self.exports += [h for h in links if "/download/" in h and h.endswith(".csv")]
            self.measure_urls += [
                h for h in links if re.fullmatch(rf"/partnerships/{slug}/measures/[\w-]+/", h)
            ]
        self.exports = sorted(set(self.exports))
        self.measure_urls = sorted(set(self.measure_urls))

    # The actions, each as a person does it.
    def dashboard(self):
        slug = self.rng.choice([s for s in (self.plan["demo"], self.plan["national"]) if s])
        self.request("GET", f"/partnerships/{slug}/dashboard/", "dashboard")

    def measure(self):
        if self.measure_urls:
            self.request("GET", self.rng.choice(self.measure_urls), "measure page")

    def csv_export(self):
        if self.exports:
            self.request("GET", self.rng.choice(self.exports), "CSV export")

    def return_save(self):
        path = f"/partnerships/{self.plan['demo']}/figures/returns/{self.plan['return_id']}/"
        _, page, _ = self.request("GET", path, "data return page")
        parser = FormParser()
        parser.feed(page)
        grid = next((f for f in parser.forms if "version" in f["fields"]), None)
        if grid is None:
            self.stats.record("data return save", 0, f"GET {path}: no return form on the page")
            return
        fields = dict(grid["fields"])
        # The figure cells (value-<measure>-<area>), not their reasons or notes.
        figures = [name for name in fields if name.startswith("value-")]
        for name in self.rng.sample(figures, min(2, len(figures))):
            fields[name] = str(self.rng.randint(1, 99))
        fields["action"] = "save"
        self.request("POST", grid["action"] or path, "data return save", form=fields, expect=(302,))

    def report_preview(self):
        if self.plan["report_ids"]:
            pk = self.rng.choice(self.plan["report_ids"])
            self.request(
                "GET", f"/partnerships/{self.plan['demo']}/reports/{pk}/preview/", "report preview"
            )

    def profile(self):
        self.request("GET", f"/partnerships/{self.plan['demo']}/", "partnership profile")

    def resolutions(self):
        self.request(
            "GET", f"/partnerships/{self.plan['demo']}/resolutions/", "resolutions tracker"
        )

    def plan_list(self):
        self.request("GET", f"/partnerships/{self.plan['demo']}/plan/", "action plans")

    MIX = (
        ("dashboard", 25),
        ("measure", 20),
        ("return_save", 10),
        ("csv_export", 15),
        ("report_preview", 10),
        ("profile", 8),
        ("resolutions", 6),
        ("plan_list", 6),
    )

    def run(
        self,
        stats: Stats,
        deadline: float,
        pause: tuple[float, float],
        stop: threading.Event,
        max_requests: int,
    ):
        self.stats = stats
        self.max_requests = max_requests
        names = [name for name, _ in self.MIX]
        weights = [weight for _, weight in self.MIX]
        # Stagger the first action so users do not march in step.
        if pause[1] and stop.wait(self.rng.uniform(0, pause[1])):
            return
        while time.monotonic() < deadline and not stop.is_set():
            try:
                getattr(self, self.rng.choices(names, weights)[0])()
            except StopRun:
                stop.set()
                return
            if pause[1] and stop.wait(self.rng.uniform(*pause)):
                return


def drive(
    users: list[VirtualUser], seconds: float, pause: tuple[float, float], max_requests: int
) -> Stats:
    stats = Stats()
    stop = threading.Event()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=u.run, args=(stats, deadline, pause, stop, max_requests), daemon=True
        )
        for u in users
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0, deadline - time.monotonic()) + 90)
    stop.set()
    stats.elapsed = time.monotonic() - stats.started
    return stats


def report(title: str, stats: Stats) -> bool:
    total = sum(len(v) for v in stats.timings.values())
    errors = sum(len(v) for v in stats.errors.values())
    print(f"\n{title}")
    print(
        f"  {'page':36} {'requests':>8} {'errors':>6} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}"
    )
    ok = errors == 0
    for label in sorted(stats.timings):
        values = stats.timings[label]
        median, p95 = statistics.median(values), _percentile(values, 95)
        flag = ""
        if p95 >= BUDGET_P95_MS and label != SIGN_IN:
            flag, ok = "  over budget", False
        print(
            f"  {label:36} {len(values):>8} {len(stats.errors.get(label, [])):>6} "
            f"{median:>10.0f} {p95:>8.0f} {max(values):>8.0f}{flag}"
        )
    print(f"  {'all pages':36} {total:>8} {errors:>6}")
    print(f"  throughput: {total / stats.elapsed:.1f} requests/s over {stats.elapsed:.0f} s")
    for label, messages in stats.errors.items():
        for message in messages[:5]:
            print(f"  error ({label}): {message}")
    return ok


class CpuSampler(threading.Thread):
    """CPU seconds used during a run by groups of processes (the gunicorn workers with
    the Chromium they start, the PostgreSQL backends serving csp_load, this client),
    sampled twice a second so that processes which come and go are counted too."""

    def __init__(self, groups: dict[str, Callable[[], list[psutil.Process]]]) -> None:
        super().__init__(daemon=True)
        self.groups = groups
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self.halt = threading.Event()
        self.started_at = time.time()
        self.machine_before = psutil.cpu_times()
        self.machine_after = self.machine_before
        # (from, to, cores busy with other processes' work) for each sampling interval.
        self.others: list[tuple[float, float, float]] = []
        self._previous = (time.monotonic(), 0.0)

    def sample(self) -> None:
        for name, find in self.groups.items():
            for process in find():
                with contextlib.suppress(psutil.Error):
                    times = process.cpu_times()
                    used = times.user + times.system
                    key = (name, process.pid)
                    if key not in self.first:
                        # Started during the run: all its CPU time belongs to the run.
                        new = process.create_time() > self.started_at
                        self.first[key] = 0.0 if new else used
                    self.last[key] = used
        now = time.monotonic()
        ours = sum(used - self.first[key] for key, used in self.last.items())
        self.machine_after = psutil.cpu_times()
        others = self.machine_busy() - ours
        then, others_before = self._previous
        if now > then:
            self.others.append((then, now, max(0.0, (others - others_before) / (now - then))))
        self._previous = (now, others)

    def contended(self, start: float, end: float) -> bool:
        """Whether other processes kept more than one core busy at some point while a
        request was served (the machine has two)."""
        return any(cores > 1.0 for then, now, cores in self.others if then < end and now > start)

    def run(self) -> None:
        while not self.halt.wait(0.5):
            self.sample()

    def finish(self) -> dict[str, float]:
        self.halt.set()
        self.join()
        self.sample()
        totals = dict.fromkeys(self.groups, 0.0)
        for (name, pid), used in self.last.items():
            totals[name] += used - self.first[(name, pid)]
        return totals

    def machine_busy(self) -> float:
        """CPU seconds the whole machine spent busy (all processes, every core)."""
        before, after = self.machine_before, self.machine_after
        idle = (after.idle - before.idle) + (after.iowait - before.iowait)
        return sum(after) - sum(before) - idle


def _postgres_backends() -> list[psutil.Process]:
    with psycopg.connect(f"{_server_url()}/postgres", autocommit=True) as conn:
        pids = [
            row[0]
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [DB_NAME]
            )
        ]
    found = []
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            found.append(psutil.Process(pid))
    return found


def run_measured(
    title: str,
    server: Server,
    users: list[VirtualUser],
    seconds: float,
    pause: tuple[float, float],
    max_requests: int,
) -> bool:
    """Drive the users, then print the figures per page and where the CPU went."""
    master = psutil.Process(server.process.pid)
    sampler = CpuSampler(
        {
            "gunicorn": lambda: master.children(recursive=True),
            "postgres": _postgres_backends,
            "client": lambda: [psutil.Process()],
        }
    )
    load_before = os.getloadavg()[0]
    sampler.start()
    stats = drive(users, seconds, pause, max_requests)
    used = sampler.finish()
    ok = report(title, stats)
    elapsed = stats.elapsed
    total = sum(len(v) for v in stats.timings.values())
    cores = psutil.cpu_count()
    busy = sampler.machine_busy()
    ours = sum(used.values())
    print(
        f"  CPU seconds: gunicorn workers (and their Chromium) {used['gunicorn']:.0f}, "
        f"PostgreSQL {used['postgres']:.0f}, this client {used['client']:.0f}; "
        f"other processes on the machine {max(0.0, busy - ours):.0f}; "
        f"available {cores * elapsed:.0f} ({cores} cores x {elapsed:.0f} s)"
    )
    if total:
        print(
            f"  per request: {1000 * used['gunicorn'] / total:.0f} ms in gunicorn, "
            f"{1000 * used['postgres'] / total:.0f} ms in PostgreSQL"
        )
    print(
        f"  machine {100 * busy / (cores * elapsed):.0f}% busy during the run; "
        f"load average {load_before:.1f} before it"
    )
    if stats.slow:
        contended = sum(sampler.contended(start, end) for start, end in stats.slow)
        print(
            f"  {len(stats.slow)} requests over {BUDGET_P95_MS:.0f} ms; {contended} of them "
            f"while other processes kept more than one core busy"
        )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=180, help="Seconds of the paced run.")
    parser.add_argument("--min-pause", type=float, default=5)
    parser.add_argument("--max-pause", type=float, default=15)
    parser.add_argument("--max-requests", type=int, default=20_000, help="Per run.")
    parser.add_argument("--saturation-users", type=int, default=8)
    parser.add_argument("--saturation-duration", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=0, help="Default: a free port.")
    parser.add_argument("--rebuild", action="store_true", help="Drop and rebuild csp_load.")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    if args.rebuild or not _database_exists():
        print(f"Building {DB_NAME} (national-scale data: a few minutes)...")
        _recreate_database()
        _django()
        build(args.users)
    else:
        _django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # the code may be newer than the database
        prepare_users(args.users)
    plans = user_plans(args.users)

    port = args.port or _free_port()
    server = start_server(port, args.workers)
    try:
        rng = random.Random(args.seed)
        users = [VirtualUser(plan, port, random.Random(rng.random())) for plan in plans]
        ramp = Stats()
        for user in users:
            user.stats = ramp
            user.max_requests = args.max_requests
            user.sign_in()
        users[0].discover()
        first_national = users[0].plan["national"]
        for user in users[1:]:
            own = user.plan["national"]

            def localise(urls, own=own):
                if not (first_national and own):
                    return list(urls)
                return [u.replace(f"/{first_national}/", f"/{own}/") for u in urls]

            user.exports = localise(users[0].exports)
            user.measure_urls = localise(users[0].measure_urls)
        ramp.elapsed = time.monotonic() - ramp.started
        report(f"Ramp: {len(users)} users sign in one after another", ramp)
        print(
            f"  {len(users[0].exports)} CSV exports and "
            f"{len(users[0].measure_urls)} measure pages found"
        )

        ok = run_measured(
            f"Paced run: {len(users)} users, {args.min_pause:.0f}-{args.max_pause:.0f} s pauses, "
            f"{args.duration:.0f} s, gunicorn {args.workers} workers, PostgreSQL",
            server,
            users,
            args.duration,
            (args.min_pause, args.max_pause),
            args.max_requests,
        )
        run_measured(
            f"Saturation: {args.saturation_users} users, no pauses, "
            f"{args.saturation_duration:.0f} s",
            server,
            users[: args.saturation_users],
            args.saturation_duration,
            (0, 0),
            args.max_requests,
        )
    finally:
        server.stop()
        print(f"\nServer log: {server.log} ({server.logged_errors()} errors logged)")
    print(
        f"\nBudget (no errors, p95 < {BUDGET_P95_MS:.0f} ms on every page but the password check): "
        f"{'MET' if ok else 'NOT MET'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
