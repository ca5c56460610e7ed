"""The clock: what time it is in Ambon (WIT, UTC+9).

This module is the only place the machine's clock and the city's time zone
are read. Services take a `Clock` and pass dates down; the domain never asks
the time. Tests inject `Clock.fixed(...)` (or any `now` function returning an
aware datetime) to make a day, a week or a schedule pass without waiting.
"""
from __future__ import annotations

import datetime as dt
from typing import Callable, Optional
from zoneinfo import ZoneInfo

TIME_ZONE_NAME = "Asia/Jayapura"
TIME_ZONE = ZoneInfo(TIME_ZONE_NAME)


def _system_now() -> dt.datetime:
    return dt.datetime.now(TIME_ZONE)


class Clock:
    """Ambon time from a `now()` function (by default the system clock).

    `now()` is always aware and in Ambon's time zone, whatever zone the
    injected function answers in; a naive answer is refused.
    """

    def __init__(self, now: Optional[Callable[[], dt.datetime]] = None):
        self._now = now or _system_now

    @classmethod
    def fixed(cls, moment: dt.date | dt.datetime) -> "Clock":
        """A clock that always says `moment` (a date is taken as 07:00 in Ambon)."""
        if not isinstance(moment, dt.datetime):
            moment = dt.datetime.combine(moment, dt.time(7), tzinfo=TIME_ZONE)
        elif moment.tzinfo is None:
            raise ValueError("a fixed clock needs an aware datetime")
        return cls(lambda: moment)

    def now(self) -> dt.datetime:
        moment = self._now()
        if moment.tzinfo is None:
            raise ValueError("the clock must give an aware datetime")
        return moment.astimezone(TIME_ZONE)

    def today(self) -> dt.date:
        return self.now().date()


SYSTEM = Clock()
"""The real clock; entry points use it when no other clock is injected."""
