"""Financial-year quarters as plain values, for quarterly action updates.

Q1 is April to June, Q2 July to September, Q3 October to December and Q4 January to
March of the following calendar year: Q4 2018/19 is January to March 2019.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from cspportal.lib.periods import quarter_label, quarter_of

_QUARTER_MONTHS = {
    1: "April to June",
    2: "July to September",
    3: "October to December",
    4: "January to March",
}


@dataclass(frozen=True, order=True)
class FinancialQuarter:
    year: int
    quarter: int

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise ValueError(f"A financial quarter is 1 to 4, not {self.quarter}.")

    @classmethod
    def of(cls, day: date) -> FinancialQuarter:
        """The quarter a day falls in: 31 March 2019 is Q4 2018/19, 1 April Q1 2019/20."""
        return cls(*quarter_of(day))

    @property
    def start(self) -> date:
        month = 4 + (self.quarter - 1) * 3
        return date(self.year, month, 1) if month <= 12 else date(self.year + 1, month - 12, 1)

    @property
    def end(self) -> date:
        first = self.start
        last_month = first.month + 2
        return date(first.year, last_month, monthrange(first.year, last_month)[1])

    @property
    def label(self) -> str:
        """``Q2 2018/19``."""
        return quarter_label(self.year, self.quarter)

    @property
    def long_label(self) -> str:
        """``Q2 2018/19 (July to September 2018)``."""
        return f"{self.label} ({_QUARTER_MONTHS[self.quarter]} {self.end.year})"

    @property
    def code(self) -> str:
        """``2018-Q2``: stable, for forms and URLs."""
        return f"{self.year}-Q{self.quarter}"

    @classmethod
    def from_code(cls, code: str) -> FinancialQuarter:
        year, _, quarter = code.partition("-Q")
        return cls(int(year), int(quarter))

    def previous(self) -> FinancialQuarter:
        if self.quarter == 1:
            return FinancialQuarter(self.year - 1, 4)
        return FinancialQuarter(self.year, self.quarter - 1)

    def next(self) -> FinancialQuarter:
        if self.quarter == 4:
            return FinancialQuarter(self.year + 1, 1)
        return FinancialQuarter(self.year, self.quarter + 1)

    def __str__(self) -> str:
        return self.label


def quarters_between(first: FinancialQuarter, last: FinancialQuarter) -> list[FinancialQuarter]:
    """Every quarter from ``first`` to ``last`` inclusive (empty if last is earlier)."""
    quarters = []
    current = first
    while current <= last:
        quarters.append(current)
        current = current.next()
    return quarters
