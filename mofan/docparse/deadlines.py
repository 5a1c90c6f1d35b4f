"""Reading the deadlines people write in documents and ledgers: "2026年6月底前", "6月30日前", "年内",
"三季度末", "长期坚持", "每月25日前" (recurring), "5年内" (from the document date), "2026.6.30", or a
date cell. Plain Python, no Django."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

ONGOING_WORDS = ("长期坚持", "长期", "持续推进", "持续", "常态化", "长效")
_CN_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class Deadline:
    on: date | None
    ongoing: bool = False
    recurrence: str | None = None  # "每月25日": a standing rhythm rather than one date


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _in_month(year: int, month: int, part: str) -> date:
    if part in ("上旬",):
        return date(year, month, 10)
    if part in ("中旬", "月中"):
        return date(year, month, 20 if part == "中旬" else 15)
    return _month_end(year, month)


_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}


def _count(text: str) -> int:
    if text.isdecimal():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS[text[1]]
    if text.endswith("十"):
        return _CN_DIGITS[text[0]] * 10
    if "十" in text:
        tens, ones = text.split("十")
        return _CN_DIGITS[tens] * 10 + _CN_DIGITS[ones]
    return _CN_DIGITS[text]


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_WEEKDAY = re.compile(r"[（(](?:星期|周)[一二三四五六日天][）)]")
_HOUR = re.compile(r"(?:上午|下午|中午|晚上)?\d{1,2}(?:[:：]\d{2}|点|时)(?:\d{1,2}分)?")
_SHIFT = re.compile(
    r"(?<=[日号四五六一二三天])(?:上午|下午|中午|晚上)?(?:下班|上班)?(?=前|以前|止|$)"
)
_WEEKLY = re.compile(r"每(?:周|星期)([一二三四五六日天])前?")
_SPAN_OF_TIME = re.compile(r"再?用(.+?)(?:左右)?的?时间")
_QUARTERLY = re.compile(
    r"每个?季度的?(最后一个月|末月|第([1-3一二三])个月)的?(\d{1,2})[日号](?:前|以前)?"
)


_TIME_THEN_WORDS = re.compile(
    r"(\d{1,2}月(?:\d{1,2}[日号]|份|底|末|上旬|中旬|下旬)?|年底|年末|上半年|下半年|"
    r"第?[一二三四1-4]季度(?:末|底)?)(?![起后以开份底末上中下\d日号季])[\u4e00-\u9fff]"
)


# Dates written in Chinese numerals: "二〇二三年十二月三十一日", "元月十日"
_CN_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}(?=年)")
_CN_MONTH = re.compile(r"(元|正|十[一二]?|[一二三四五六七八九])(?=月)")
_CN_DAY = re.compile(r"(?<=月)([一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])(?=[日号])")
_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def _arabic_dates(text: str) -> str:
    """A date in Chinese numerals in Arabic ones, so that one grammar reads both."""
    text = _CN_YEAR.sub(lambda found: found[0].translate(_YEAR_DIGITS), text)
    text = _CN_MONTH.sub(lambda found: "1" if found[1] in "元正" else str(_count(found[1])), text)
    return _CN_DAY.sub(lambda found: str(_count(found[1])), text)


# "本周五", "下周一": a day of the document's week or the next
_THIS_WEEK = re.compile(r"(本|下)(?:周|星期)([一二三四五六日天])")
_WEEKDAYS = "一二三四五六日"


def parse(value, *, year: int, base: date | None = None) -> Deadline:
    """The deadline a text or cell means. `year` completes texts that name no year; `base` (the
    document's date) anchors relative ones such as "5年内" and "3个月内".

    Raises ValueError when the text cannot be read as a deadline.
    """
    if isinstance(value, datetime):
        return Deadline(value.date())
    if isinstance(value, date):
        return Deadline(value)
    text = _arabic_dates(re.sub(r"\s+", "", str(value or "")))
    if not text:
        return Deadline(None)
    if any(word in text for word in ONGOING_WORDS):
        return Deadline(None, ongoing=True)
    # the day counts, not its weekday or hour: "7月8日（星期四）下午6:00前", "每周四下班前", "11月20日止"
    text = _SHIFT.sub("", _HOUR.sub("", _WEEKDAY.sub("", text)))
    if text.endswith("止"):
        text = text[:-1] + "前"
    # a target year: "到2020年", "力争到2025年" — by its end
    text = re.sub(r"^(?:力争|争取)?到(?=\d{4}年$)", "", text)
    this_week = _THIS_WEEK.fullmatch(text.removesuffix("前").removesuffix("以"))
    if this_week:
        if base is None:
            raise ValueError(text)
        weekday = _WEEKDAYS.index(this_week[2].replace("天", "日"))
        monday = base - timedelta(days=base.weekday())
        return Deadline(monday + timedelta(days=weekday + (7 if this_week[1] == "下" else 0)))
    weekly = _WEEKLY.fullmatch(text)
    if weekly:
        return Deadline(None, recurrence=f"每周{weekly[1]}")
    # "用3个月左右时间", "再用半年左右时间": a span from the document's date
    span_of_time = _SPAN_OF_TIME.fullmatch(text)
    if span_of_time:
        text = span_of_time[1].replace("半年", "6个月").replace("个年", "年") + "内"
    recurring = re.fullmatch(
        r"每(周|月|季度|半年|年)((?:\d{1,2}月)?(?:\d{1,2}[日号]|底|末)?)(前|以前)?", text
    )
    if recurring:
        return Deadline(
            None, recurrence=f"每{recurring[1]}{(recurring[2] or '').replace('号', '日')}"
        )
    # "每季度最后一个月的30日前", "每个季度第1个月的20日前", "每季度末月20日前"
    quarterly = _QUARTERLY.fullmatch(text)
    if quarterly:
        month = (
            "末月" if quarterly[1] in ("最后一个月", "末月") else f"第{_count(quarterly[2])}个月"
        )
        return Deadline(None, recurrence=f"每季度{month}{int(quarterly[3])}日")
    # the day of the document: "今晚", "今天晚上" (a meeting's minutes that ask it of that night)
    if text in ("今晚", "今天", "今日", "今天晚上", "当天", "当晚"):
        if base is None:
            raise ValueError(text)
        return Deadline(base)
    text = re.sub(r"^半个月之?内", "15天内", re.sub(r"^半年之?内", "6个月内", text))
    text = re.sub(r"之内", "内", text)
    relative = re.fullmatch(r"([\d一二两三四五六七八九十]+)(年|个月|天|日)内(完成)?", text)
    if relative:
        if base is None:
            raise ValueError(text)
        count = _count(relative[1])
        if relative[2] == "年":
            return Deadline(_add_months(base, 12 * count))
        if relative[2] == "个月":
            return Deadline(_add_months(base, count))
        return Deadline(base + timedelta(days=count))
    span = re.fullmatch(r"(.+?)(?:至|到|—|-|～|~)(.+)", text)
    if span and not re.match(r"^\d{4}[-/.]\d", text):
        # "4月至10月", "2026年3月—6月": the work runs to the end of the span
        start = re.match(r"^(\d{4})年", span[1])
        end = span[2] if re.match(r"^\d{4}年", span[2]) or not start else f"{start[1]}年{span[2]}"
        return parse(end, year=year, base=base)
    text = text.replace("以前", "").replace("前", "").replace("完成", "").rstrip("。.")
    # "明年3月底", "次年元月十日": the year after the document's
    following = re.match(r"^(?:明年|次年|下一年度?)", text)
    if following:
        year, text = year + 1, text[following.end() :]
    found_year = re.match(r"^(\d{4})年?", text)
    if found_year and not re.match(r"^\d{4}[-/.]", text):
        year = int(found_year[1])
        text = text[found_year.end() :]
    full = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})日?", text)
    if full:
        return Deadline(date(int(full[1]), int(full[2]), int(full[3])))
    # "2026.09", "2026-9" in a table's column of times: by the month's end
    numeric_month = re.fullmatch(r"(\d{4})[-/.](\d{1,2})", text)
    if numeric_month and 1 <= int(numeric_month[2]) <= 12:
        return Deadline(_month_end(int(numeric_month[1]), int(numeric_month[2])))
    if text in ("年内", "年底", "年末", "年终", "全年", "本年度", "年度内", "", "底", "末", "内"):
        return Deadline(date(year, 12, 31))
    if text in ("上半年", "年中"):
        return Deadline(date(year, 6, 30))
    if text == "下半年":
        return Deadline(date(year, 12, 31))
    quarter = re.fullmatch(r"第?([一二三四1-4])季度(末|底)?", text)
    if quarter:
        number = _CN_NUMBERS[quarter[1]]
        return Deadline(_month_end(year, number * 3))
    day = re.fullmatch(r"(\d{1,2})月(\d{1,2})[日号]?", text)
    if day:
        return Deadline(date(year, int(day[1]), int(day[2])))
    month = re.fullmatch(r"(\d{1,2})月(份|底|末|上旬|中旬|下旬|月中)?", text)
    if month:
        return Deadline(_in_month(year, int(month[1]), month[2] or "底"))
    # "5月底前动工", "6月30日完成验收": a time, then a word of what is due by then (not "3月起",
    # which says when work starts)
    head = _TIME_THEN_WORDS.match(text)
    if head:
        return parse(head[1], year=year, base=base)
    raise ValueError(text)
