"""What `make run` serves, as a new user meets it: a fresh SQLite database, the demo,
the development server and the background worker started by `scripts/serve-dev.sh`,
and the demo report issued from the browser. Nothing here runs in-process: the
server and the worker are the processes `make run` starts, with the app's own
settings (the database task backend, not the tests' immediate one)."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import axe_check, check_pages_now, sign_in

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
DEMO = "safer-chorley-south-ribble"
DRAFT_WAIT = 120_000  # ms


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_from_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def served(tmp_path):
    """The demo served as `make run` serves it; yields its base URL and the script's
    process. Stops it with Ctrl+C (SIGINT to the process group) afterwards."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TASKS_"))},
        "DJANGO_SETTINGS_MODULE": "cspportal.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PY": PYTHON,
    }
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    for command in (["migrate", "--noinput"], ["seed_demo", "--base-url", base]):
        done = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
            [PYTHON, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    assert f"Sign in at {base}/accounts/sign-in/" in done.stdout
    log = (tmp_path / "serve.log").open("w")
    script = subprocess.Popen(  # noqa: S603 (our own script)
        ["/bin/bash", "scripts/serve-dev.sh", "127.0.0.1", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # As from a terminal: Ctrl+C (SIGINT) is not ignored. A test runner's worker
        # process may ignore it, and its children would inherit that.
        preexec_fn=_as_from_a_terminal,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            assert script.poll() is None, (tmp_path / "serve.log").read_text()
            time.sleep(0.3)
    yield base, script
    if script.poll() is None:
        os.killpg(script.pid, signal.SIGINT)
        try:
            script.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(script.pid, signal.SIGKILL)
            script.wait(timeout=10)
    log.close()
    # Shown by pytest only when the test fails: what the server and the worker said.
    print((tmp_path / "serve.log").read_text()[-6000:])


def _commands(process: psutil.Process) -> list[str]:
    return [
        " ".join(child.cmdline()[1:3])
        for child in process.children(recursive=True)
        if child.is_running() and child.status() != psutil.STATUS_ZOMBIE
    ]


def test_make_run_issues_the_demo_report_with_its_worker(served, page: Page, tmp_path):
    base, script = served
    running = _commands(psutil.Process(script.pid))
    assert "manage.py db_worker" in running
    assert "manage.py runserver" in running

    sign_in(page, base, "officer@example.org", "demo-password")
    page.goto(f"{base}/partnerships/{DEMO}/reports/")
    page.get_by_role("link", name=re.compile("^Progress Report: April 2018")).first.click()
    axe_check(page)

    # The draft prints while the officer waits: about 5 s here, with Chromium starting
    # for the charts. CI runs other browsers beside it on 2 cores, so allow for that.
    with page.expect_download(timeout=DRAFT_WAIT) as download_info:
        page.get_by_role("link", name="Download a draft PDF").click(timeout=DRAFT_WAIT)
    draft = PdfReader(download_info.value.path())
    pages = [p.extract_text() for p in draft.pages]
    assert all("DRAFT: not issued" in text for text in pages), "every page says DRAFT"

    page.get_by_role("link", name="Issue the report").click()
    expect(page.get_by_role("heading", name="Issue version 1 of the report?")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Yes, issue version 1").click()
    # The worker process takes the job up and the page reloads itself when it is done.
    expect(page.get_by_role("link", name=re.compile(r"^Download version 1 .*\(PDF"))).to_be_visible(
        timeout=90_000
    )
    axe_check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download version 1 .*\(PDF")).click()
    issued = PdfReader(download_info.value.path())
    text = "\n".join(p.extract_text() for p in issued.pages)
    assert "DRAFT: not issued" not in text
    assert "Version 1" in text
    assert len(issued.pages) == len(draft.pages)

    # The server is about to stop: check its pages at 320 px while it serves their styles.
    check_pages_now(page)
    # Ctrl+C stops the server and the worker together.
    children = psutil.Process(script.pid).children(recursive=True)
    os.killpg(script.pid, signal.SIGINT)
    assert script.wait(timeout=60) == 130
    gone, alive = psutil.wait_procs(children, timeout=30)
    assert alive == []
