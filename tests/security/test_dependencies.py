"""A06/A08: the code that runs is the code that was pinned and reviewed. Three locks,
made by ``make lock`` from pyproject.toml: requirements.txt (production),
requirements-dev.txt (production plus the dev extra) and requirements-s3.txt (production
plus the s3 extra). Every package in them is pinned to one exact version, every declared
dependency is among its lock's pins, the production versions are the same in all three,
the production lock holds no test tool, and the environment the tests run in holds
exactly the dev lock's versions. Django is the 5.2 long-term-support series."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[A-Za-z0-9.+!-]+)$")
LOCKS = {
    "production": "requirements.txt",
    "dev": "requirements-dev.txt",
    "s3": "requirements-s3.txt",
}


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lines(lock: str) -> list[str]:
    """The lock's requirement lines, without the tool's comments ("# via ...")."""
    lines = (ROOT / LOCKS[lock]).read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def _pins(lock: str = "production") -> dict[str, str]:
    pins = {}
    for line in _lines(lock):
        match = PIN.match(line)
        assert match, f"not an exact pin in {LOCKS[lock]}: {line!r}"
        pins[_normalised(match["name"])] = match["version"]
    return pins


def _declared(group: str = "production") -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    if group == "production":
        requirements = project["dependencies"]
    else:
        requirements = project["optional-dependencies"][group]
    return [_normalised(re.split(r"[\[<>=!~ ;]", r, maxsplit=1)[0]) for r in requirements]


@pytest.mark.parametrize("lock", LOCKS)
def test_every_line_of_requirements_is_one_exact_version_of_a_different_package(lock):
    assert len(_pins(lock)) == len(_lines(lock))


@pytest.mark.parametrize("lock", LOCKS)
def test_every_declared_dependency_is_pinned(lock):
    pins = _pins(lock)
    declared = _declared("production") + ([] if lock == "production" else _declared(lock))

    assert [name for name in declared if name not in pins] == []


@pytest.mark.parametrize("lock", ["dev", "s3"])
def test_the_dev_and_s3_locks_keep_the_production_versions(lock):
    pins = _pins(lock)

    assert {n: (v, pins.get(n)) for n, v in _pins().items() if pins.get(n) != v} == {}


def test_the_production_lock_holds_no_test_tool():
    pins = _pins()

    # WeasyPrint draws images with Pillow in production; the tests also read images.
    assert [name for name in _declared("dev") if name in pins] == ["pillow"]
    assert [name for name in _declared("s3") if name in pins] == ["django-storages"]
    assert "boto3" not in pins


def test_the_environment_holds_exactly_the_pinned_versions():
    installed = {
        _normalised(dist.metadata["Name"]): dist.version for dist in metadata.distributions()
    }

    differing = {
        name: (version, installed.get(name))
        for name, version in _pins("dev").items()
        if installed.get(name) != version
    }

    assert differing == {}


def test_django_is_the_long_term_support_series():
    assert _pins()["django"].startswith("5.2.")
    assert metadata.version("Django").startswith("5.2.")
