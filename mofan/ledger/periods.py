"""Reporting periods: each report belongs to one period of its item's cycle (2026-W48, 2026-11, 2026-Q4)."""

from datetime import date, timedelta

from mofan.ledger.choices import ReportCycle


def period_of(cycle: str, day: date) -> str:
    if cycle == ReportCycle.WEEKLY:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if cycle == ReportCycle.MONTHLY:
        return f"{day.year}-{day.month:02d}"
    if cycle == ReportCycle.QUARTERLY:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return day.isoformat()


def period_start(cycle: str, day: date) -> date:
    if cycle == ReportCycle.WEEKLY:
        return day - timedelta(days=day.weekday())
    if cycle == ReportCycle.MONTHLY:
        return day.replace(day=1)
    if cycle == ReportCycle.QUARTERLY:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return day


def last_completed(cycle: str, today: date) -> tuple[str, date]:
    """The most recent period that has ended before today, and its last day."""
    end = period_start(cycle, today) - timedelta(days=1)
    return period_of(cycle, end), end


def label(period: str) -> str:
    """2026-W48 → 2026年第48周; 2026-11 → 2026年11月; 2026-Q4 → 2026年第4季度."""
    if "-W" in period:
        year, week = period.split("-W")
        return f"{year}年第{int(week)}周"
    if "-Q" in period:
        year, quarter = period.split("-Q")
        return f"{year}年第{quarter}季度"
    parts = period.split("-")
    if len(parts) == 2:
        return f"{parts[0]}年{int(parts[1])}月"
    return f"{parts[0]}年{int(parts[1])}月{int(parts[2])}日"


def missed(item, today: date) -> str | None:
    """The reporting period just ended that has no report (the one the light turns yellow for),
    which the owner may still make up (补报); None when there is none."""
    if item.assigned_on is None:
        return None
    if item.report_cycle in (ReportCycle.WEEKLY, ReportCycle.MONTHLY, ReportCycle.QUARTERLY):
        key, ended = last_completed(item.report_cycle, today)
        if item.assigned_on > ended:
            return None
    elif item.report_cycle == ReportCycle.DATES:
        passed = [
            d
            for d in item.report_dates.values_list("due_on", flat=True)
            if item.assigned_on <= d < today
        ]
        if not passed:
            return None
        key = max(passed).isoformat()
    else:
        return None
    return None if item.reports.filter(period=key).exists() else key


def period_for(item, day: date) -> str:
    """The period a report made on `day` belongs to. For items reporting on given dates, it is the
    first of those dates on or after the day (or the last one, once all have passed)."""
    if item.report_cycle == ReportCycle.DATES:
        dates = sorted(item.report_dates.values_list("due_on", flat=True))
        due = next((d for d in dates if d >= day), dates[-1] if dates else day)
        return due.isoformat()
    if item.report_cycle == ReportCycle.NONE:
        return day.isoformat()
    return period_of(item.report_cycle, day)
