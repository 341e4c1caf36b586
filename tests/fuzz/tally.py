"""The fuzz suite's figures per category: cases tried, refused, accepted, server errors,
database changes on a must-refuse value, and the slowest response. Each test process
writes its own file under pytest's temporary directory; the terminal summary
(tests/conftest.py) adds them up and prints the table."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

FILE_NAME = "fuzz-tally.json"


@dataclass
class Figures:
    tried: int = 0
    refused: int = 0
    accepted: int = 0
    server_errors: int = 0
    db_changed_on_refuse: int = 0
    slowest: float = 0.0
    slowest_at: str = ""

    def add(self, other: Figures) -> None:
        for name in ("tried", "refused", "accepted", "server_errors", "db_changed_on_refuse"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.slowest > self.slowest:
            self.slowest, self.slowest_at = other.slowest, other.slowest_at


TALLY: defaultdict[str, Figures] = defaultdict(Figures)


def write(directory: Path) -> None:
    path = directory / FILE_NAME
    path.write_text(json.dumps({name: asdict(f) for name, f in TALLY.items()}))


def read_all(directory: Path) -> dict[str, Figures]:
    totals: defaultdict[str, Figures] = defaultdict(Figures)
    for path in sorted(directory.rglob(FILE_NAME)):
        for name, values in json.loads(path.read_text()).items():
            totals[name].add(Figures(**values))
    return dict(totals)


def table(totals: dict[str, Figures]) -> list[str]:
    lines = [
        f"{'category':<24}{'tried':>7}{'refused':>9}{'accepted':>10}{'500s':>6}"
        f"{'db changed':>12}{'slowest':>9}  where"
    ]
    whole = Figures()
    for name in sorted(totals):
        f = totals[name]
        whole.add(f)
        lines.append(
            f"{name:<24}{f.tried:>7}{f.refused:>9}{f.accepted:>10}{f.server_errors:>6}"
            f"{f.db_changed_on_refuse:>12}{f.slowest:>8.3f}s  {f.slowest_at}"
        )
    lines.append(
        f"{'all':<24}{whole.tried:>7}{whole.refused:>9}{whole.accepted:>10}"
        f"{whole.server_errors:>6}{whole.db_changed_on_refuse:>12}"
        f"{whole.slowest:>8.3f}s  {whole.slowest_at}"
    )
    return lines
