"""Throwaway databases for tests that run the app in separate processes (backup and
restore, races between processes): SQLite files always, and PostgreSQL databases on
the suite's server when the suite runs on PostgreSQL (``make test-postgres``)."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import psycopg
import pytest


class PostgresServer:
    """Creates and drops databases on the server the suite runs on."""

    def __init__(self, url: str) -> None:
        self.config = dj_database_url.parse(url)
        self.created: list[str] = []

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(
            dbname="postgres",
            host=self.config["HOST"] or "127.0.0.1",
            port=self.config["PORT"] or 5432,
            user=self.config["USER"] or "postgres",
            password=self.config["PASSWORD"] or None,
            autocommit=True,
        )

    def create(self, name: str) -> str:
        with self._admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        c = self.config
        auth = c["USER"] + (f":{c['PASSWORD']}" if c["PASSWORD"] else "")
        return f"postgres://{auth}@{c['HOST'] or '127.0.0.1'}:{c['PORT'] or 5432}/{name}"

    def drop_all(self) -> None:
        with self._admin() as admin:
            for name in self.created:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _engines() -> list[str]:
    # Chosen when the tests are collected, so a run on SQLite has no PostgreSQL case to skip.
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return ["sqlite", "postgresql"]
    return ["sqlite"]


@pytest.fixture(params=_engines())
def new_database(request, tmp_path):
    """A function returning the URL of a new, empty database of the engine."""
    if request.param == "sqlite":
        yield lambda: f"sqlite:///{tmp_path / f'db-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    server = PostgresServer(os.environ["DATABASE_URL"])
    try:
        yield lambda: server.create(f"csp_ops_{uuid.uuid4().hex[:12]}")
    finally:
        server.drop_all()


def subprocess_env(database_url: str, media_root: Path | None = None) -> dict[str, str]:
    """The environment for running the app in another process against ``database_url``
    (and ``media_root``): this one's, without settings that would point it elsewhere."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "AWS_", "STORAGE_", "DATABASE_URL", "MEDIA_ROOT"))
    }
    env.update(DJANGO_SETTINGS_MODULE="cspportal.settings", DATABASE_URL=database_url)
    if media_root is not None:
        env["MEDIA_ROOT"] = str(media_root)
    return env


ROOT = Path(__file__).resolve().parents[2]


def run_probe(env: dict[str, str], module: str, *args: object) -> dict:
    """Run ``python -m tests.operations.<module> ARGS`` against the app in another
    process and return the JSON it prints."""
    result = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-m", f"tests.operations.{module}", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def migrated(database_url: str) -> dict[str, str]:
    """The environment of a process against ``database_url``, migrated to today's schema."""
    env = subprocess_env(database_url)
    migrate = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    return env
