"""Working days on the Chinese official calendar, make-up workdays (调休) included.

The calendar comes from the chinesecalendar package, which knows each year once the State Council
has published it (each November for the next year). For a year it does not know yet, weekends
are the only days off, and callers can say so to the user (`is_estimate`).
"""

from datetime import date, timedelta

import chinese_calendar


def is_estimate(day: date) -> bool:
    """True when the official schedule for that year is not published (in the package) yet."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return True
    return False


def is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_workdays(start: date, count: int) -> date:
    """The date `count` working days after `start` (start itself not counted); count ≥ 0."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    return day


def workdays_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if end is before start)."""
    if end < start:
        return -workdays_between(end, start)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_workday(day):
            count += 1
    return count


def subtract_workdays(start: date, count: int) -> date:
    """The date `count` working days before `start`; count ≥ 0."""
    day = start
    remaining = count
    while remaining > 0:
        day -= timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    return day
