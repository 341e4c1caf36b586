"""A06/A08: the code that runs is the code that was pinned and reviewed. Every package
is pinned to one exact version in requirements.txt, every dependency the project
declares is among the pins, and the environment the tests run in holds exactly the
pinned versions. Django is the 5.2 long-term-support series."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[A-Za-z0-9.+!-]+)$")


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = PIN.match(line.strip())
        assert match, f"not an exact pin: {line!r}"
        pins[_normalised(match["name"])] = match["version"]
    return pins


def _declared() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["dev"]
    return [_normalised(re.split(r"[\[<>=!~ ;]", r, maxsplit=1)[0]) for r in requirements]


def test_every_line_of_requirements_is_one_exact_version_of_a_different_package():
    lines = [line for line in (ROOT / "requirements.txt").read_text().splitlines() if line]

    assert len(_pins()) == len(lines)


def test_every_declared_dependency_is_pinned():
    pins = _pins()

    assert [name for name in _declared() if name not in pins] == []


def test_the_environment_holds_exactly_the_pinned_versions():
    installed = {
        _normalised(dist.metadata["Name"]): dist.version for dist in metadata.distributions()
    }

    differing = {
        name: (version, installed.get(name))
        for name, version in _pins().items()
        if installed.get(name) != version
    }

    assert differing == {}


def test_django_is_the_long_term_support_series():
    assert _pins()["django"].startswith("5.2.")
    assert metadata.version("Django").startswith("5.2.")
