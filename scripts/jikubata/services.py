"""Services: what every entry point (CLI, Excel buttons, schedule) calls.

They orchestrate: read → validate → compute. Rendering lives in its own
modules (summary, letters, weekly) and takes a `Result`, never recomputes.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable, Optional, Sequence

from jikubata.domain import model as domain
from jikubata.domain import validation
from jikubata.domain.model import Dataset, Period, Result
from jikubata.adapters.reader import read_inputs


def today_local() -> dt.date:
    """Today in Ambon (WIT, Asia/Jayapura): the only place the clock is read."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Jayapura")).date()


def load(paths: Sequence[str | Path], today: Optional[dt.date] = None,
         progress: Optional[Callable[[str], None]] = None) -> Dataset:
    """Read and validate every input; raise InputError for an unusable one."""
    raw = read_inputs(paths, progress=progress)
    return validation.validate(raw, today or today_local())


def calculate(paths: Sequence[str | Path], period: Period, as_of: Optional[dt.date] = None,
              today: Optional[dt.date] = None,
              progress: Optional[Callable[[str], None]] = None) -> Result:
    """Load the inputs and compute the period's shortfalls as of `as_of`."""
    today = today or today_local()
    dataset = load(paths, today=today, progress=progress)
    return domain.compute(dataset, period, as_of or period.default_as_of(today))


def load_sheets(sources: Sequence[tuple[str, dict]], today: Optional[dt.date] = None) -> Dataset:
    """`load` for workbooks already in memory: `(file_name, {sheet_name: rows from A1})`."""
    from jikubata.adapters.reader import read_sheets

    return validation.validate(read_sheets(sources), today or today_local())


def calculate_sheets(sources: Sequence[tuple[str, dict]], period: Period, as_of: Optional[dt.date] = None,
                     today: Optional[dt.date] = None) -> Result:
    today = today or today_local()
    dataset = load_sheets(sources, today=today)
    return domain.compute(dataset, period, as_of or period.default_as_of(today))
