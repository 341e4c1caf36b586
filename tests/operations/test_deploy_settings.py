"""Production settings: ``check --deploy`` clean, storage switchable to S3, loud failures."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_SECRET = "test-only-production-secret-" + "k3y" * 20


def _run(code_or_args: list[str], timeout: int = 120, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "AWS_", "STORAGE_", "SECRET_KEY", "ALLOWED_HOSTS"))
    }
    clean.update(env)
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _production(**extra: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "cspportal.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": PRODUCTION_SECRET,
        "ALLOWED_HOSTS": "csp.example.gov.uk",
        **extra,
    }


def _setting(name: str, **env: str) -> str:
    result = _run(
        [
            "-c",
            f"import django; django.setup(); from django.conf import settings; "
            f"print(repr(settings.{name}))",
        ],
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_reports_nothing_in_production():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], **_production())

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_check_deploy_is_also_clean_with_s3_storage():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        **_production(AWS_STORAGE_BUCKET_NAME="csp-portal-media"),
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = _production()
    del env["SECRET_KEY"]

    result = _run(["manage.py", "check"], **env)

    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable." in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _run(["manage.py", "check"], **_production(SECRET_KEY="too-short"))

    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters in production." in result.stderr


def test_production_turns_debug_off_and_cookies_secure():
    env = _production()

    assert _setting("DEBUG", **env) == "False"
    assert _setting("SESSION_COOKIE_SECURE", **env) == "True"
    assert _setting("CSRF_COOKIE_SECURE", **env) == "True"
    assert _setting("SECURE_HSTS_SECONDS", **env) == "31536000"
    assert _setting("SECURE_SSL_REDIRECT", **env) == "True"


def test_media_storage_is_a_local_folder_by_default():
    assert _setting("STORAGES['default']", **_production()) == (
        "{'BACKEND': 'django.core.files.storage.FileSystemStorage'}"
    )


def test_media_storage_switches_to_s3_when_a_bucket_is_set():
    env = _production(
        AWS_STORAGE_BUCKET_NAME="csp-portal-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.net",
        AWS_S3_REGION_NAME="eu-west-2",
    )

    storage = _setting("STORAGES['default']", **env)

    assert storage == (
        "{'BACKEND': 'storages.backends.s3.S3Storage', 'OPTIONS': {"
        "'bucket_name': 'csp-portal-media', 'location': '', 'region_name': 'eu-west-2', "
        "'endpoint_url': 'https://s3.example.net', 'default_acl': None, "
        "'querystring_auth': True, 'querystring_expire': 300, 'file_overwrite': False}}"
    )


def test_storage_backend_s3_without_a_bucket_fails_loudly():
    result = _run(["manage.py", "check"], **_production(STORAGE_BACKEND="s3"))

    assert result.returncode != 0
    assert "STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME." in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("STORAGE_BACKEND", "ftp", "STORAGE_BACKEND must be one of local, s3, not 'ftp'."),
        ("DEBUG", "ture", "DEBUG must be true or false, not 'ture'."),
        ("SESSION_COOKIE_AGE", "8h", "SESSION_COOKIE_AGE must be a whole number, not '8h'."),
    ],
)
def test_a_typo_in_the_environment_stops_the_app(name, value, message):
    result = _run(["manage.py", "check"], **_production(**{name: value}))

    assert result.returncode != 0
    assert message in result.stderr


def test_upload_limits_and_session_expiry():
    env = _production()

    assert _setting("DATA_UPLOAD_MAX_MEMORY_SIZE", **env) == "2621440"
    assert _setting("FILE_UPLOAD_MAX_MEMORY_SIZE", **env) == "2621440"
    assert _setting("SESSION_COOKIE_AGE", **env) == "28800"
    assert _setting("SESSION_EXPIRE_AT_BROWSER_CLOSE", **env) == "True"


def test_collectstatic_works_with_the_production_manifest_storage(tmp_path):
    result = _run(
        ["manage.py", "collectstatic", "--noinput", "-v0"],
        # Brotli and gzip of every file, plotly.js included: 40 s of CPU, more on a
        # machine running the rest of the suite beside it.
        timeout=600,
        **_production(STATIC_ROOT=str(tmp_path / "static")),
    )

    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert '"css/application.css": "css/application.' in manifest
    assert list((tmp_path / "static" / "css").glob("application.*.css.gz"))
