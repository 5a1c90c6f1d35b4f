"""The time rules of transfers and of a member's standing, with their sources.

These are the numbers the regulations fix; the letter's validity is the organ's practice (the
letter names it), so it comes from settings."""

import calendar
from datetime import date

from django.conf import settings

# 《中国共产党党员教育管理工作条例》(2019) on members who have lost contact: a member out of
# contact for six months or more, not found by every means, has their membership stopped; one
# stopped two years and still out of reach is struck off as having left the party (自行脱党).
LOST_MONTHS = 6
STOPPED_YEARS = 2
LOST_SOURCE = "《中国共产党党员教育管理工作条例》关于失去联系党员的规定"
LOST_RULE = "与党组织失去联系满6个月、经多方查找仍无法取得联系的党员，予以停止党籍"
STOPPED_RULE = "停止党籍满2年仍无法取得联系的，按自行脱党予以除名"
# Decisions on standing are taken by the branch's general meeting (支部党员大会).
MEETING_RULE = "停止党籍、恢复党籍和除名由支部党员大会讨论决定，报上级党组织批准"

MAX_VALID_DAYS = 90


def valid_days() -> int:
    """How long a letter of introduction is valid, in days (the letter states it)."""
    return int(getattr(settings, "MOFAN_TRANSFER_VALID_DAYS", 30))


def add_months(day: date, count: int) -> date:
    """The same day `count` months on, or the month's last day (31 August + 6 → 28/29 February).
    Four lines, not python-dateutil: it is not one of our dependencies."""
    index = day.year * 12 + day.month - 1 + count
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def may_stop_from(lost_since: date) -> date:
    return add_months(lost_since, LOST_MONTHS)


def may_remove_from(stopped_on: date) -> date:
    return add_months(stopped_on, STOPPED_YEARS * 12)


def cn(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""
