"""From a document's paragraphs to its outline and its actionable items.

The document text is the paragraphs joined by line breaks; every item's text is an exact span of
it (``text[start:end]``), without its number and without a trailing annotation of units or
deadline. Plain Python.
"""

import bisect
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from mofan.docparse import attributes, deadlines, outline, sentences, spans
from mofan.docparse.text import HAN, simplified
from mofan.docparse.units import BODY_ENDINGS, DOING, DOING_FIRST, Units, ending

_CN_VALUES = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_VALUES |= {"六": 6, "七": 7, "八": 8, "九": 9}
_CN = "一二三四五六七八九十"


def cn_number(text: str) -> int | None:
    """1 for "一", 12 for "十二", 45 for "四十五", 7 for "7"; None for anything else."""
    if len(text) == 1 and text in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳":
        return "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".index(text) + 1
    if text.isdigit():
        try:
            return int(text)  # full-width digits too
        except ValueError:
            return None  # superscripts and other digits int() does not read
    if not text or any(ch not in _CN_VALUES and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_VALUES[ch]
    return total + current


# -- the words of a document's structure ------------------------------------------------

_ROLES = (
    "党组（党委）书记|党委（党组）书记|党组书记|党委书记|党组成员|党委委员|班子成员|领导班子成员|"
    "主要负责同志|主要负责人|主要领导|分管领导|分管负责同志|支部书记|党支部书记|纪检委员|"
    "组织委员|宣传委员|机关纪委书记|机关党委书记|处级以上领导干部|各级领导干部|领导干部|"
    "第一责任人"
)
_ROLE_SUBJECT = re.compile(
    rf"(?:^|[，,；;。])\s*各?(?:(?:{_ROLES})[、和及]?)+(?=[^，,。；;]{{0,3}}(?:要|带头|亲自|履行|负责|"
    rf"切实|应当|必须|每|坚持|定期|抓|承担))"
)
_ROLE = re.compile(_ROLES)
# The subject before the modal verb; a phrase that opens with a preposition ("把…", "对…") is none.
_SUBJECT = re.compile(
    r"^(?!把|对|在|从|以|将|按|通过|围绕|为|坚持|根据|关于|结合|同时|其中|特别)"
    r"([^，,。；;：:“”]{2,40}?)"
    # 要 as a modal verb, not inside a word (主要, 重要, 需要, 要求, 要点 …)
    r"(?:(?<![主重需纲摘概只必首紧显扼简提])要(?![求点素件闻])|必须|务必|应当|须|负责(?!人|同志)|可以)"
)
# Those a text is addressed to rather than one body: 各地各部门, 全系统, 有关单位
_ADDRESSED = re.compile(r"^(?:全|有关|相关)|各")  # 各地, 全系统, 有关部门, 区政府各部门
_GENERIC_UNITS = re.compile(
    r"^各(?:级|地区|部门|单位|处室|司局|直属|党支部|党组织|地|区|县|市|乡|镇|乡镇|街道|"
    r"[^，,。、]{1,6}?(?:单位|部门|党组织|支部|处室|总支|党委|党组))"
)

# Enumerations inside a paragraph: 一是…二是…, 一要…二要…, 首先…其次…最后, 第一，…第二，…,
# ①…②…, inline (1)…(2)…
_CLAUSE_STYLES = [
    # 一是/一要 may follow the subject directly ("各党支部一要…"), but not inside a word
    # (统一要求, 第一要务, 进一步要).
    ("是", re.compile(rf"(?<![统唯进第之万同单逐专划{_CN}])([{_CN}]{{1,3}})是(?=\S)")),
    (
        "要",
        re.compile(
            rf"(?:(?<![统唯进第之万同单逐专划{_CN}])([{_CN}]{{1,3}})要(?![求务素点件闻])"
            rf"|(?:^|(?<=[。；;！\s]))([{_CN}]{{1,3}})要)(?=\S)"
        ),
    ),
    ("第", re.compile(rf"(?:^|(?<=[。；;，,：:！\s]))第([{_CN}]{{1,3}})[，,、]")),
    ("paren", re.compile(r"(?:^|(?<=[。；;，,：:！\s]))[（(](\d{1,2})[）)]")),
    ("circled", re.compile(r"(?:^|(?<=[。；;，,：:！\s]))([①②③④⑤⑥⑦⑧⑨⑩])")),
]
_ORDER = re.compile(r"(?:^|(?<=[。；;，,：:！\s]))(首先|其次|再次|然后|最后)[，,]?")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"

_LABEL_LINE = re.compile(rf"^(?:{attributes.LABEL})\s*[：:]")
_DOC_NUMBER_FULL = re.compile(r"[^\s，,。：:]{1,12}[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号")
_DOC_NUMBER = re.compile(r"[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DATE = re.compile(
    r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日"
)
_TITLE_WORDS = re.compile(
    r"(?:关于|方案|意见|通知|要点|规划|计划|报告|办法|规定|决定|细则|清单|任务|措施|安排|纲要|"
    r"实施|工作)"
)
_ENDS_SENTENCE = re.compile(r"[。；;！？!?，,：:、]$")

_DEADLINE_IN_TEXT = re.compile(
    # the next year's, or in Chinese numerals: "明年3月底前", "次年元月十日前", "十二月十五日前"
    r"(?:(?:明年|次年)?(?:\d{4}年|[〇零一二三四五六七八九]{4}年)?"
    r"(?:\d{1,2}|元|正|十[一二]?|[一二三四五六七八九])月"
    r"(?:(?:\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号]|底|末|上旬|中旬|下旬|份)?"
    r"(?:前|以前|之前|止|之内|以内))"
    # a day of this week or the next: "本周五下班前"
    r"|(?:(?:本|下)(?:周|星期)[一二三四五六日天](?:上午|下午)?(?:下班|上班)?(?:前|以前|之前))"
    # a span of days: "7月3日至7月15日", "于2022年8月15至9月28日" — the work runs to its end
    r"|(?:于?(?:\d{4}年)?\d{1,2}月\d{1,2}日?(?:至|到|—|～|-)(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日止?)"
    # "到2019年6月底": by then
    r"|(?:到(?:\d{4}年)?\d{1,2}月(?:底|末)|到\d{4}年(?:底|末))"
    # the day a period ends: "实施期限至2021年12月31日", "延长至2022年4月30日"
    r"|(?:至\d{4}年\d{1,2}月\d{1,2}日(?!起))"
    # a target's year: "到2025年，省级专业镇达到1个" (not "到2025年6月", nor "达到2025年")
    r"|(?:(?:^|(?<=[，,。；;：:]))到\d{4}年(?![0-9０-９月]))"
    # a day and an hour: "7月8日（星期四）下午6:00前", "9月3日（周一）下班前", "11月20日止"
    r"|(?:(?:\d{4}年)?\d{1,2}月\d{1,2}[日号](?:[（(](?:星期|周)[一二三四五六日天][）)])?"
    r"(?:(?:上午|下午|中午|晚上)?\d{1,2}(?:[:：]\d{2}|点|时)(?:\d{1,2}分)?|上午|下午)?"
    r"(?:下班|上班)?(?:前|以前|之前|止))"
    r"|(?:每(?:周|星期)[一二三四五六日天](?:上午|下午)?(?:下班|上班)?前)"
    r"|(?:(?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}[日号])?(?:底|末|中旬|上旬|下旬)?|[一二三四1-4]季度(?:末|底)?"
    r"|上半年|下半年|年底|年末)(?:前|以前|之前))"
    r"|(?:(?:\d{4}年)?\d{1,2}月(?:至|到|—|～|－|-)(?:\d{4}年)?\d{1,2}月(?:底|末|上旬|中旬|下旬)?)"
    # …the months named once: "抓住5-7月这100天时间" (not "4-6月份政府采购项目", a period's items)
    r"|(?:(?<![0-9０-９.．年月-])\d{1,2}(?:至|到|—|～|－|-)\d{1,2}月(?:底|末|上旬|中旬|下旬|(?!份)))"
    r"|(?:(?<=[（(])(?:\d{4}年)?\d{1,2}月(?:上旬|中旬|下旬|底|初)?"
    r"(?:(?:至|到|—|～|－|-)(?:\d{4}年)?\d{1,2}月(?:上旬|中旬|下旬|底|末)?)?(?=[）)]))"
    r"|(?:今年内|今年底前|年内|年底前|年末前|本年度内|本(?:周|月|季度)内)"
    r"|(?:\d{4}年(?:底前|年底前|内))"
    r"|(?:(?:\d{1,2}|[一二三四五六七八九十两]{1,3}|半)(?:年|个月)之?内)"
    # …and so many days, weeks or hours: "1周内录入", "3日内报送", "24小时内" (not a date's day,
    # nor "请假三天以内的", how long, not by when)
    r"|(?:(?<![月\d])(?:\d{1,3}|[一二三四五六七八九十两]{1,3})个?(?:日|天|周|星期|小时)(?:之|以)?内(?!的))"
    r"|(?:(?:\d{1,3}|[一二三四五六七八九十两]{1,3})个(?:工作日|自然日)内"
    r"|不(?:得)?超过(?:\d{1,3}|[一二三四五六七八九十两]{1,3})个?(?:工作日|自然日|天))"
    r"|(?:每(?:周|月|季度|半年|年)(?:\d{1,2}[日号]|末|底)前)"
    r"|(?:每个?季度的?(?:最后一个月|末月|第[1-3一二三]个月)的?\d{1,2}[日号](?:前|以前|之前))"
    r"|(?:于(?:\d{4}年)?\d{1,2}月(?:\d{1,2}[日号]|上旬|中旬|下旬|底|末)?(?:前|以前|之前)?)"
    # times of the year and times before an event: "每年年初", "年终", "上半年", "提前5个工作日", "会前"
    r"|(?:(?:每年)?年初|年终|年末|岁末年初|[上下]半年"
    r"|提前(?:\d{1,2}|[一二三两五七十])个?(?:工作日|天|日|小时|分钟))"
    # …and so long before one: "放假前3天", "节假日前两天", "会议召开前1天"
    r"|(?:(?:放假|节假日|节日|会议召开|会议|活动|开会)前(?:(?:\d{1,2}|[一二三两五七十])个?(?:工作日|天|日))?)"
    r"|(?:^会前)"
    # a month or a festival an item opens with, to do it then: "4月份开展…", "4月左右组织一次…",
    # "清明节开展主题祭扫" (not "4月份以来…", nor "4月份的…")
    r"|(?:^(?:\d{4}年)?\d{1,2}月(?:份|左右|上旬|中旬|下旬|初)(?![以的]))"
    r"|(?:^(?:春节|元旦|清明节|端午节|中秋节|国庆节|重阳节)(?=[\u4e00-\u9fff])(?![期前假]))"
    # times of a year's round and occasions: "汛前", "开学初", "节日期间", "“七一”前夕", "今晚" (not
    # seasons: "秋冬季大气污染防治" names the work, not its time)
    r"|(?:汛前|汛期(?:前|内|到来前|结束前)|(?:(?:主)?汛期|(?:全国)?两会|春运)期间(?!的)"
    r"|开学初|开学前|节日期间|节前|今晚|今天晚上|(?<![周一二三四五六日天午])下班前"
    r"|(?:春节|元旦|清明节?|五一|端午节?|中秋节?|国庆节?|国庆中秋|中秋国庆|“[^”]{1,8}”(?:活动)?)"
    r"(?:前夕|期间|前))"
    # a span of time to do it in: "用3个月左右时间", "再用半年左右时间"
    r"|(?:再?用(?:\d{1,2}|[一二三四五六七八九十两半]{1,3})个?(?:年|月|周|天)(?:左右)?的?时间)"
)
# What makes a deadline a date the work is due by rather than a time of year it recurs in
_EXACT = re.compile(r"\d|[一二三四]季度|前|内|止")
# Read only when nothing more exact is said: a month's end without 前 ("确保8月底完工率…"), then
# the year itself for work of the year ("今年…", "为年底…"; not "全年", which labellers read as
# the measure's scope)
_MONTH_END = re.compile(r"(?:\d{4}年)?\d{1,2}月(?:底|末)")
_YEAR_DEADLINE = re.compile(
    r"今年(?!以来|是|初以来|的)|年底"
    # a target year: "到2020年，基本消除大班额", "2022年全乡实现种植面积7800亩以上"
    r"|(?:力争|争取)?到\d{4}年(?![\d月底末])|^\d{4}年(?![\d月底末内])(?!以来|是|的)"
)
_SPACED_DATE = re.compile(r"(?<=[\d年月日到至于])\s+(?=[\d年月日])")
_ANNOTATION_DEADLINE = re.compile(
    r"长期坚持|持续推进|长期|常态化|常态工作|常年|按期|" + _DEADLINE_IN_TEXT.pattern
)


# -- results ---------------------------------------------------------------------------------


@dataclass
class Item:
    path: str
    start: int
    end: int
    paragraph: int
    text: str
    kind: str = "task"
    lead_units: list[str] = field(default_factory=list)
    co_units: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    deadline: date | None = None
    deadline_text: str | None = None
    recurrence: str | None = None
    ongoing: bool = False
    confidence: float = 0.8
    reason: str = ""

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "text": self.text,
            "kind": self.kind,
            "lead_units": self.lead_units,
            "co_units": self.co_units,
            "owners": self.owners,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_text": self.deadline_text,
            "recurrence": self.recurrence,
            "confidence": round(self.confidence, 2),
            "reason": self.reason,
        }


@dataclass
class Decomposition:
    text: str
    paragraphs: list[str]
    offsets: list[int]
    title: str | None
    date: date | None
    outline: list[outline.Heading]
    items: list[Item]
    reference: str | None = None  # the document number (文号), e.g. "某机党发〔2026〕3号"

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "outline": [heading.as_dict() for heading in self.outline],
            "items": [item.as_dict() for item in self.items],
        }


@dataclass
class _Line:
    text: str
    start: int  # offset in the document text
    paragraph: int


# -- the document's frame: title, date, addressee, signature ---------------------------------


def _date_of(text: str) -> date | None:
    found = _DATE.search(text)
    try:
        if found:
            return date(int(found[1]), int(found[2]), int(found[3]))
        found = _CN_DATE.search(text)
        if found:
            year = int("".join(str(_CN_VALUES[ch]) for ch in found[1]))
            return date(year, cn_number(found[2]) or 1, cn_number(found[3]) or 1)
    except ValueError:
        return None
    return None


def _date_told(text: str) -> date | None:
    """The first date in a line that tells when something happened, not when it is due."""
    if not _DATE.search(text):
        return _date_of(text)  # 二〇二六年三月十二日
    for found in _DATE.finditer(text):
        if _DUE_AFTER.match(text, found.end()):
            continue
        try:
            return date(int(found[1]), int(found[2]), int(found[3]))
        except ValueError:
            continue
    return None


_DUE_AFTER = re.compile(r"\s*(?:[（(][^）)]{1,6}[）)])?\s*(?:前|以前|之前|止|内|为止|截止)")


def _is_date_line(text: str) -> bool:
    stripped = re.sub(r"[\s（）()]", "", text)
    return bool(
        re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", stripped)
        or re.fullmatch(_CN_DATE.pattern, stripped)
    )


# What opens a table read one cell a line, no line of a title: its head row's 序号, a row's number
_TABLE_OPENS = re.compile(r"序号|编号|\d{1,3}")


def _frame(lines: list[_Line]) -> tuple[str | None, date | None, set[int]]:
    """The title, the date and the lines that are neither outline nor body (doc number, the
    addressee, signature, date, 附件/抄送 notes)."""
    title, when, skip = None, None, set()
    for index, line in enumerate(lines[:8]):
        text = line.text
        if outline.match_heading(text) or _TABLE_OPENS.fullmatch(text.strip()):
            break  # the outline, or a table's head row or row number: the body has begun
        if _DOC_NUMBER.search(text) and len(text) <= 40:
            skip.add(index)
        elif text.startswith(("（", "(")) and _date_of(text) and len(text) <= 60:
            when = when or _date_of(text)
            skip.add(index)
        elif _is_date_line(text):
            when = when or _date_of(text)
            skip.add(index)
        elif re.search(r"[：:]$", text) and len(text) <= 60 and "。" not in text:
            skip.add(index)  # 主送: 各处室、各直属单位： (a list of names, not sentences)
            break
        elif len(text) <= 60 and not _ENDS_SENTENCE.search(text) and "。" not in text:
            if title is None or (_TITLE_WORDS.search(text) and not _TITLE_WORDS.search(title)):
                title = text if title is None or not _TITLE_WORDS.search(text) else text
            skip.add(index)
        else:
            break
    # The end: the list of attachments (附件：1.… 2.…) with whatever follows it, 抄送, 印发, the
    # date and the signature above it.
    last = len(lines)
    attached = next(
        (
            index
            for index in range(max(0, len(lines) - 12), len(lines))
            if re.match(r"^附\s*件\s*\d*\s*[:：]?", lines[index].text)
            and all(len(line.text) <= 60 for line in lines[index:])
        ),
        None,
    )
    if attached is not None:
        skip.update(range(attached, len(lines)))
        when = when or next(
            (_date_of(line.text) for line in lines[attached:] if _is_date_line(line.text)), None
        )
        last = attached
    for index in range(last - 1, max(-1, last - 8), -1):
        text = lines[index].text
        if index in skip:
            continue
        if re.match(
            r"^(?:附件|抄送|印发|主题词|（此件|\(此件|联系人|联系电话|"
            r"(?:出席|列席|缺席|请假|记录|主持|参会|参加)(?:人员|人)?\s*[:：]|分送|发：|送：|报：)",
            text,
        ):
            skip.add(index)
        elif _is_date_line(text):
            when = when or _date_of(text)
            skip.add(index)
            if index > 0 and len(lines[index - 1].text) <= 30:
                above = lines[index - 1].text
                if not _ENDS_SENTENCE.search(above) and not outline.match_heading(above):
                    skip.add(index - 1)
        else:
            break
    return title, when, skip


def _contents_and_noise(lines: list[_Line]) -> set[int]:
    """A table of contents (目录 and the entries under it) and lines with no Chinese at all
    ("##paidbegin##", "- 3 -") are neither outline nor body."""
    skip = {
        index
        for index, line in enumerate(lines)
        if len(line.text) <= 40 and not re.search(r"[\u4e00-\u9fff]", line.text)
    }
    start = next(
        (i for i, line in enumerate(lines[:15]) if re.fullmatch(r"目\s*[录次]", line.text)), None
    )
    if start is not None:
        skip.add(start)
        for index in range(start + 1, len(lines)):
            text = lines[index].text
            entry = outline.match_heading(text) or re.search(r"(?:\.{3,}|…{2,}|\s)\d+$", text)
            if len(text) > 80 or not (entry or index in skip):
                break
            skip.add(index)
    return skip


def _split_run_on(paragraph: str, start: int, number: int, last: dict) -> list[_Line]:
    """A paragraph whose numbered items run on in one line because line breaks were lost
    ("…。2．…。3．…") comes back as one line per item. A split is made only before the number that
    follows the previous one of its style, or before a first item (1, 一)."""
    pieces: list[_Line] = []
    cut = 0
    heading = outline.match_heading(paragraph)
    if heading:
        value = cn_number(heading[3].strip("（）()"))
        if value is not None:
            last[heading[0]] = value
    for found in re.finditer(
        r"[。；;！？]\s*|(?<=[。；;])[）)]\s*|[）)](?=\d{1,2}[.．、])", paragraph
    ):
        position = found.end()
        rest = paragraph[position:]
        candidate = outline.match_heading(rest[:12] + "x") if rest else None
        if not candidate or candidate[0] in ("chapter", "section", "article"):
            continue
        value = cn_number(candidate[3].strip("（）()"))
        if value is None or not (value == 1 or last.get(candidate[0]) == value - 1):
            continue
        if len(rest) - len(candidate[2]) < 4:
            continue
        pieces.append(_Line(paragraph[cut:position].rstrip(), start + cut, number))
        cut = position
        last[candidate[0]] = value
    pieces.append(_Line(paragraph[cut:], start + cut, number))
    return [piece for piece in pieces if piece.text.strip()]


def _is_plain_heading(lines: list[_Line], index: int) -> bool:
    text = lines[index].text
    if len(text) > 30 or len(text) < 2 or _ENDS_SENTENCE.search(text) or "。" in text:
        return False
    if outline.match_heading(text) or _LABEL_LINE.match(text) or _is_date_line(text):
        return False
    if index + 1 >= len(lines):
        return False
    following = lines[index + 1].text
    return len(following) > len(text) + 10 or bool(outline.match_heading(following))


# -- pieces: sentences, enumerated clauses, table cells -------------------------------------

# A piece ends at a full stop, question or exclamation mark or a semicolon, with the closing
# quotation marks or brackets after it — where the corpus's labellers cut their rows.
_PIECE = re.compile(r"[^。！？!?；;]*(?:[。！？!?；;]+[”’」』）)]*|$)")
_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")
# A lead-in that announces a list and ends at a colon inside its line
_ANNOUNCED = re.compile(
    r"(?:目标是|指标是|任务是|主要有|包括|如下|下列事项|以下事项|以下工作|以下几点|以下要求|具体要求)[：:]"
)
_COMMA = re.compile(r"[，,]")
_CELL = re.compile(r"\s*[|｜]\s*")
_PIPE = re.compile(r"[|｜]")
# List marks in front of a paragraph: "——坚持问题导向。", "● 加强…"
_BULLET = re.compile(r"^(?:——|—|－|-|•|●|■|◆|◇|★|☆|▲|►|√)\s*")


def _sentences(text: str, offset: int) -> list[tuple[int, int]]:
    spans = []
    for found in _SENTENCE.finditer(text):
        if found.group(0).strip():
            start = found.start() + len(found.group(0)) - len(found.group(0).lstrip())
            spans.append((offset + start, offset + found.end()))
    return spans


def _clause_marks(text: str) -> list[tuple[int, str]]:
    """Where enumerated clauses begin inside a line (一是…二是…, 一要…二要…, 第一，…, （1）…,
    ①…, 首先…其次…) and the mark each opens with; empty unless the enumeration starts at one and
    counts up."""
    for style, pattern in _CLAUSE_STYLES:
        marks, expected = [], 1
        for found in pattern.finditer(text):
            token = found.group(1) or found.group(2)
            value = _CIRCLED.index(token) + 1 if style == "circled" else cn_number(token)
            if value == expected:
                start = found.start(1) if found.group(1) else found.start(2)
                if style == "paren":
                    start = found.start()
                    while text[start] not in "（(":
                        start += 1
                marker = found.group(0).strip("，,、：: ")
                if style == "paren":
                    marker = f"（{token}）"
                elif style == "第":
                    start = found.start() + found.group(0).index("第")
                marks.append((start, marker))
                expected += 1
        if len(marks) >= 2:
            return marks
    order = list(_ORDER.finditer(text))
    if len(order) >= 2 and order[0].group(1) == "首先":
        return [(found.start(1), found.group(1)) for found in order]
    return []


def _enumerated(text: str) -> bool:
    """Whether a piece opens with its place in an enumeration: "一是…", "二要…", "（3）…", "其次，…"."""
    return any(pattern.match(text) for _, pattern in _CLAUSE_STYLES) or bool(_ORDER.match(text))


def _pieces(text: str, offset: int) -> list[tuple[int, int, str]]:
    """A line cut into the pieces the model judges: (start, end, clause mark or ""), offsets in
    the document, spaces trimmed."""
    cuts = {0: ""}
    for found in _CELL.finditer(text):
        cuts[found.start()] = "|"
        cuts[found.end()] = ""
    for start, marker in _clause_marks(text):
        cuts[start] = marker
    inside = _bracketed(text)
    for found in _PIECE.finditer(text):
        if found.end() < len(text) and found.end() not in inside:
            cuts.setdefault(found.end(), "")
    for found in _ANNOUNCED.finditer(text):
        # "今年主要预期指标是：地区生产总值增长8.5%；…": the lead-in ends at its colon, the first entry
        # of its list begins there
        if found.end() < len(text) and found.end() not in inside:
            cuts.setdefault(found.end(), "")
    names_cell = _names_cells(text)
    if names_cell is not None:
        cuts.setdefault(names_cell, "")
    bounds = sorted(cuts)
    out = []
    for position, start in enumerate(bounds):
        end = bounds[position + 1] if position + 1 < len(bounds) else len(text)
        if cuts[start] == "|":
            continue  # the pipe between cells
        piece = text[start:end]
        if not piece.strip(" \u3000|｜"):
            continue
        lead = len(piece) - len(piece.lstrip(" \u3000"))
        trail = len(piece.rstrip(" \u3000"))
        out.append((offset + start + lead, offset + start + trail, cuts[start]))
    return out


# A table's row read as text, numbered and its cells kept apart by spaces only: "9 再开工20项重大水利
# 工程 水利部"
_SPACED_ROW = re.compile(r"[ \t\u3000]*[0-9]{1,3}[ \t\u3000]+[^ \t\u3000]")
_SPACED_CELL = re.compile(r"[^ \t\u3000]+")


def _names_cells(text: str) -> int | None:
    """Where the cells that end such a row start when they only name bodies ("… 发展改革委",
    "… 区发改委 区政府各部门"): the end of the cell before them; None in any other line. The row's
    number and its first cell, the work, are never such cells."""
    if not _SPACED_ROW.match(text) or _PIPE.search(text):
        return None
    cells = list(_SPACED_CELL.finditer(text))
    at = None
    for position in range(len(cells) - 1, 1, -1):
        if not _only_names(cells[position].group(0).strip("。；;")):
            break
        at = cells[position - 1].end()
    return at


def _bracketed(text: str) -> set[int]:
    """The places inside a pair of brackets that closes in the line: a semicolon or a full stop
    there ends no piece ("（责任单位；住建局、畜牧局）", "（注：…。）")."""
    inside: set[int] = set()
    opened: list[int] = []
    for at, char in enumerate(text):
        if char in "（(":
            opened.append(at)
        elif char in "）)" and opened:
            start = opened.pop()
            if not opened:
                inside.update(range(start + 1, at + 1))
    return inside


def _run_in_title(text: str) -> str:
    """The title a clause or run-in heading gives: up to its first full stop or semicolon, or
    its first comma when that would be long ("一是抓实党内集中教育。…" → "抓实党内集中教育")."""
    text = _BULLET.sub("", text.strip())
    head = re.split(r"[。；;！？!?：:]", text, maxsplit=1)[0].strip()
    if len(head) > 30:
        head = re.split(r"[，,]", head, maxsplit=1)[0]
    return head[:60]


# -- attributes ------------------------------------------------------------------------------


class _Context:
    def __init__(self, units: Units, year: int, base: date | None, spotter=None):
        self.units, self.year, self.base = units, year, base
        self.spotter = spotter  # the unit model (spans.py); None: the grammar alone
        # whether the document says that of the units listed for a task the first leads
        # ("列第一位的责任单位为牵头单位"): the others are co-units
        self.first_leads = False
        self.read: dict[str, tuple[list[str], list[str]]] = {}  # what it read, by text

    def units_in(self, text: str) -> tuple[list[str], list[str]]:
        """The lead and co-units the unit model reads in a text."""
        said = self.read.get(text)
        if said is None:
            said = self.read[text] = spans.read(self.spotter, text)
        return said


def _names(values: list[str], units: Units) -> list[str]:
    out: list[str] = []
    for value in values:
        name = units.canonical(value) if units else value
        if name and name not in out:
            out.append(name)
    return out


@lru_cache(maxsize=1024)
def _parse_deadline(text: str, year: int, base: date | None) -> deadlines.Deadline:
    """deadlines.parse, once per text: a document says "年底前" many times."""
    return deadlines.parse(text, year=year, base=base)


def _apply_deadline(item: Item, text: str, context: _Context) -> None:
    text = text.lstrip("于在到至")
    item.deadline_text = text
    if text.startswith("今年"):
        text = text[2:] or "年内"
    if text in ("按期", "按时"):
        return
    if text.startswith("长期") or text in ("持续推进", "常态化", "常态工作", "常年"):
        item.ongoing = True
        return
    try:
        found = _parse_deadline(text, context.year, context.base)
    except (ValueError, KeyError):
        return
    item.deadline, item.recurrence, item.ongoing = found.on, found.recurrence, found.ongoing


@lru_cache(maxsize=1024)
def _deadline_above(titles: str) -> str | None:
    """The deadline the headings above an item state (the items under one heading ask alike)."""
    found = _DEADLINE_IN_TEXT.search(_SPACED_DATE.sub("", titles))
    return found.group(0) if found else None


def _year_above(titles: str) -> str | None:
    """The year a lead-in just above an item gives what follows it ("今年发展的主要预期目标是：")."""
    nearest = titles.split("；")[0].rstrip()
    if not nearest.endswith(("：", ":")):
        return None
    found = _YEAR_DEADLINE.search(nearest)
    return found.group(0) if found else None


def _own_words(raw: str) -> tuple[attributes.Attributes, int]:
    """What a trailing annotation of an item's text says, and how much of the text is the
    item's own words."""
    found = attributes.extract(raw)
    return found, len(raw) - len(raw.lstrip()) + len(found.text)


def _annotate(
    item: Item, document: str, context: _Context, labels: list[str], title: str = ""
) -> bool:
    """Units, owners and deadline from the item's trailing annotation, from label lines that
    follow it ("牵头单位：…"), and from the text itself. Whether the item states a date of its
    own (not the year it falls in, nor a date of the heading above it)."""
    raw = document[item.start : item.end]
    found, kept = _own_words(raw)
    item.end = item.start + kept
    item.text = document[item.start : item.end]
    annotation = raw[kept:]
    lead, co, owners = list(found.lead_units), list(found.co_units), list(found.owners)
    plain = [label for label in labels if not attributes.from_labels(label).any()]
    labels = [label for label in labels if label not in plain]
    # a line that only names who or when, or the cells of a task table's row after its work
    # ("| 县水务局 县住建局 | 12月底前": a table read as text keeps its cells apart with bars)
    column = ""  # the column a table read one cell a line names before its cell: "配合单位"
    for cell in [part for line in plain for part in _CELL.split(line)]:
        cell = _units_aside(cell) or cell.strip(" 。；;")
        if not cell:
            continue
        if _COLUMN_HEAD.fullmatch(cell):
            column = cell.strip()
            continue
        role, column = _column_kind(column), ""  # a column's name speaks for one cell
        said = attributes.extract(cell)
        if said.lead_units:  # "由市住建局负责"
            lead += said.lead_units
            co += said.co_units
            continue
        names = [name for name in _CELL_NAMES.split(cell) if name]
        if _time_cell(cell):
            found.deadline_text = found.deadline_text or cell
        elif role == "deadline":
            # the cell of a column of times may say more than a time: "…1月底前完成；其它事项…"
            due = _DEADLINE_IN_TEXT.search(cell)
            found.deadline_text = found.deadline_text or (due.group(0) if due else None)
        elif role == "owner":
            continue  # persons, not units
        elif names and all(_UNIT_NAME_END.search(name) for name in names):
            (co if role == "co" or found.lead_units or lead else lead).extend(names)
    deadline_text = found.deadline_text
    if labels:
        # read together: beside "牵头单位：A", a "责任单位：B" on the next line names a co-unit
        joined = "；".join(label.strip().rstrip("。；;") for label in labels)
        more = attributes.from_labels(joined)
        lead += more.lead_units
        co += more.co_units
        owners += more.owners
        deadline_text = deadline_text or more.deadline_text
        annotation += joined
    if (
        context.first_leads
        and len(lead) > 1
        and not _EACH_LEADS.search(attributes.NOTE.sub("", annotation + raw))
    ):
        # the document said the first listed leads (but "分别牵头": each leads its share; the aside
        # that says so is no such word)
        lead, co = lead[:1], lead[1:] + co
    dated = deadline_text is not None
    if deadline_text is None and annotation:
        special = _ANNOTATION_DEADLINE.search(annotation)
        deadline_text = special.group(0) if special else None
        dated = bool(deadline_text and _EXACT.search(deadline_text))
    if deadline_text is None:
        # "12 月底前": a space a layout put between the figures and their units says nothing
        own = _SPACED_DATE.sub("", item.text)
        in_text = _DEADLINE_IN_TEXT.search(own) or _MONTH_END.search(own)
        if in_text is not None:
            deadline_text = in_text.group(0)
            dated = bool(_EXACT.search(deadline_text))
        else:
            year = _YEAR_DEADLINE.search(own)
            deadline_text = (
                _deadline_above(title) or (year.group(0) if year else None) or _year_above(title)
            )
    if deadline_text:
        _apply_deadline(item, deadline_text, context)
    if not lead and context.spotter is not None:
        # named in the sentence: read by the unit model (spans.py); the grammar below is asked
        # when the model finds no one
        lead, more = context.units_in(item.text)
        lead, co = _not_members(item.text, lead), co + _not_members(item.text, more)
    if not lead:
        subject = None
        for sentence_start, _ in _sentences(item.text, 0)[:2]:
            sentence = _OPENING.sub("", item.text[sentence_start:])  # 请各单位…, 要求各支部…
            # the subject may follow a setting: "会后，各党支部要…" — the clause after a comma
            after = [sentence[found.end() :] for found in _COMMA.finditer(sentence)]
            for clause in [sentence, *after[:2]]:
                subject = _SUBJECT.match(clause)
                if subject:
                    break
            if subject:
                break
        if subject:
            # the subject ends where adverbs of frequency or manner begin: "…中心组每月至少要"
            said = _SUBJECT_STOP.split(subject.group(1))[0]
            if "由" in said and _MEMBERS.search(item.text):
                said = ""  # "局务会议由局领导和…负责人组成": what a body is made of, no work done
            said = _subject_words(said)  # "资料由县统计局负责", "2025年我镇"
            names = [
                name
                for name in attributes.names(said)
                if not _PEOPLE.fullmatch(name) and not _NO_SUBJECT.search(name)
            ]
            generic = [
                name for name in names if _GENERIC_UNITS.match(name) and not _ROLE.search(name)
            ]
            known = context.units.find(said) if context.units else []
            if not names:
                pass
            elif generic and len(generic) == len(names):
                lead = generic
            elif known and not _ROLE.search(said):
                lead = known
            elif (
                not context.units
                and len(said) <= 20
                and _UNIT_NAME_END.search(names[-1])
                and not _ROLE.search(said)
            ):
                lead = names
    if not lead:
        lead = _unit_subject(item.text, context.units)
    lead, co = _doers(item.text, lead, co)
    # people are no units: "机关全体党员干部要…" names no body (GUIDE.md)
    lead = [name for name in lead if not _PEOPLE_LAST.search(name)]
    item.lead_units = _names(lead, context.units)
    item.co_units = [name for name in _names(co, context.units) if name not in item.lead_units]
    for role in _ROLE_SUBJECT.finditer(item.text):
        owners += [name for name in _ROLE.findall(role.group(0)) if name != "第一责任人"]
    item.owners = list(dict.fromkeys(owners))
    return dated


# Where the subject of a sentence may end: a modal, a preposition, a time word or a verb of doing.
_SUBJECT_END = re.compile(
    # 负责 as a verb, not in 负责人 or 负责同志 (persons, GUIDE.md)
    # 应 as a modal, not in 应急, 应用, 应对; 要 not in 主要, 重要, 需要, 只要
    rf"(?<![主重需只])要|必须|务必|应当|应(?![急用对])|须|负责(?!人|同志)|每|将|于|在|对|按|从|把|向|根据|结合|围绕|"
    rf"会同|牵头|配合|"
    rf"到(?=[0-9０-９今明本年])|定期|及时|年底|年内|"
    rf"年初|月底|今年|[0-9０-９]|"
    rf"(?:{DOING})"
)
_UNIT_NAME_END = ending(BODY_ENDINGS)
_CELL_NAMES = re.compile(r"[\s、，,]+")
# Where a subject ends and its adverbs begin: "…中心组每月至少要"
_SUBJECT_STOP = re.compile(r"每[年季月周半天]|至少|不少于|进一步|切实|认真|积极|带头|均|都|也")
_LAST_NAME = re.compile(r"[、，,；;和及与]")
_ASIDE = re.compile(r"[（(][^（()）]{1,8}[)）]")  # "各学校（单位）", "各乡（镇、街道）"
# …nor a title it does not close: "会议传达学习了《中共中央办公厅…" ("《报告》起草组" is a name)
_NOT_A_NAME = re.compile(r"[，,。；;：:“”（）()]|[《<][^》>]*$|^[^《<]*[》>]")
# People, not units: "…各级党组织、党员干部要…" names one unit
_PEOPLE_WORDS = "党员干部|党员|干部|职工|同志|人员|群众|教师|学生"
_PEOPLE = re.compile(rf"(?:全体|广大|各级)?(?:{_PEOPLE_WORDS})")
_PEOPLE_LAST = re.compile(rf"(?:{_PEOPLE_WORDS})$")  # "机关全体党员干部"
_LEADING_TIME = re.compile(r"^(?:\d{4}年|今年|明年|年内|近期)")
# …and an article's number: "第五条 市政协党组中心组学习每两月至少1次"
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百]+条[\s　:：]*")
# What no subject opens with or holds: where or toward what ("在便利住所…登记的同时", "面向教育系统
# 开展…", "各单位领导班子在思想上要…"; 所在单位 and 驻在单位 are names), a modal, a preposition
_NO_SUBJECT = re.compile(r"^(?:在|面向|要)|(?<![所驻])在|^(?:" + spans.NO_OPENING.pattern + ")")


def _subject_words(said: str) -> str:
    """The words a sentence's subject is read from: after 由 ("资料由县统计局负责"), without a
    leading time ("2025年我镇…") or an article's number."""
    return _LEADING_TIME.sub("", _ARTICLE.sub("", said.split("由")[-1]))


# Words before the subject that say who asks or agrees, not who does: "请各单位…", "要求各党支部…",
# "会议原则同意区统计局提交的…"
_OPENING = re.compile(r"^(?:会议)?(?:请|要求|责成|原则同意|同意)(?=[^，,。；;]{2})")
# "宣传资料由县统计局负责提供", "由共和县统计局和…共同组织实施": the unit after 由
_BY = re.compile(
    rf"由([^，,。；;由]{{2,30}}?)(?:共同|具体|统一|直接|根据|按照|依据)?"
    rf"(?:牵头|负责(?!人|同志)|会同|组织|{DOING})"
)
# "中心组由局党组成员、各处室主要负责同志组成", "学习秘书由办公室主任担任": who a body is made of,
# or who holds a post, not who does work
_MEMBERS = re.compile(r"由[^，,。；;由]{2,40}?(?:组成|构成|担任|兼任)")


def _is_unit_name(name: str) -> bool:
    """ "市商务局", "各学校（单位）", "各县区": a body's name, not a phrase that opens with one."""
    name = _ASIDE.sub("", name)
    generic = _GENERIC_UNITS.match(name)
    return bool(_UNIT_NAME_END.search(name) or (generic and generic.end() >= len(name) - 2))


# A figure that counts things, not a year or a day: "14500座", "5个", "2.5万人次"
_COUNT = re.compile(r"[0-9０-９]+(?:[.．][0-9]+)?(?![0-9０-９.．]*\s*(?:年|月|日|号))")


def _doers(text: str, lead: list[str], co: list[str]) -> tuple[list[str], list[str]]:
    """The lead and co-units once the names are read as the sentence reads them: the bodies
    addressed through a post of each are the units ("各立档单位领导要…", "各级党组织书记要…";
    persons' roles are no units, GUIDE.md); those the lead works with are co-units
    ("机关纪委要会同办公室…", "由国土资源部会同农业部等部门负责"); and what a body is said to be is no
    second body ("局办公室是…的牵头部门")."""
    if not lead:
        return lead, co
    leads, helpers = [], list(co)
    for name in lead:
        body = _POST_OF.match(name)
        name = body.group(1) if body else name
        first, joined, rest = name.partition("会同")
        if joined and first:
            name = first
            helpers += [part for part in attributes.names(_AND_OTHERS.sub("", rest)) if part]
        at = text.find(name)
        if (
            at > 0
            and text[at - 1] == "是"
            and any(text.endswith(other, 0, at - 1) for other in lead if other != name)
        ):
            continue  # "局办公室是…的牵头部门" (not "三是各党支部要…")
        if at > 0 and _WITH_BEFORE.search(text, max(0, at - 30), at):
            helpers.append(name)
            continue
        leads.append(name)
    return (leads, helpers) if leads or not lead else (lead, co)


# Bodies addressed by a post of each, and what follows: "各立档单位领导和档案管理员" ("由支部书记负责"
# names a person, no body)
_POST_OF = re.compile(
    r"^([各全].+?(?:" + "|".join(sorted(BODY_ENDINGS, key=len, reverse=True)) + r"))"
    r"(?:主要)?(?:领导|书记|负责同志|负责人)(?:[和及与、].*)?$"
)
# Where the names of those a body works with end: "农业部等部门" (the list's summing words)
_AND_OTHERS = re.compile(r"等(?:有关|相关)?(?:部门|单位)?$")
# The lead's partners before a name: "会同办公室", "会同发改、财政…"
_WITH_BEFORE = re.compile(r"会同(?:[^，,。；;]{0,30}[、和及与])?$")


def _not_members(text: str, names: list[str]) -> list[str]:
    """The names, but those only named as what a body is made of or who holds a post ("中心组由
    局党组成员…组成"), and those of a body whose head is meant ("各部门负责人是…第一责任人": a
    person, GUIDE.md)."""
    members = [found.span() for found in _MEMBERS.finditer(text)] if "由" in text else []

    def named_so(name: str) -> bool:
        at = text.find(name)
        return at >= 0 and (
            any(a < at < b for a, b in members) or bool(_HEAD_OF.match(text, at + len(name)))
        )

    return [name for name in names if not named_so(name)]


# …or one of its posts: "由办公室主任审批", "各党支部书记为第一责任人" name persons (GUIDE.md). Not
# 主要负责同志 or 主要负责人: "各责任单位主要负责人要…", "各级各部门主要负责同志为…第一责任人" hold
# the bodies to account through their heads, and the labels name the bodies (6 items in 7 of the
# corpus's), where a plain 负责人 ("各部门负责人是本部门保密工作第一责任人", "分管负责人要…") is a post
_HEAD_OF = re.compile(
    r"(?<!主要)负责(?:人|同志)|副?(?:主任|书记|秘书长|局长|组长|处长|科长|院长|校长)"
    # …or its members: "中心组成员要…", "局党组成员" (the unit model may take 中心 of 中心组); its
    # 成员单位 are bodies
    r"|组?成员(?!单位)"
)


def _unit_subject(text: str, units: Units) -> list[str]:
    """The unit a sentence opens with when no modal verb follows it: "各部门对照清单开展自查",
    "机关党委将派人列席指导" — the first stretch before a boundary word that is a unit's name."""
    for sentence_start, _ in _sentences(text, 0)[:2]:
        sentence = text[sentence_start:]
        number = _LIST_NUMBER.match(sentence)  # "六、党政办将…"
        sentence = _OPENING.sub("", sentence[number.end() :] if number else sentence)
        after = [sentence[found.end() :] for found in _COMMA.finditer(sentence)]
        for clause in [sentence, *after[:1]]:
            if spans.NO_OPENING.match(clause) or clause.startswith("为"):
                # "对学校领导小组…进行调整", "督促各级基层党组织…", "为规范基层党组织建设，…": no
                # subject here
                continue
            for found in _SUBJECT_END.finditer(clause[:24]):
                if found.start() == 0 and DOING_FIRST.match(clause):
                    break  # "坚持一体化系统保护", "指导各区政府建立…": the clause opens with its verb
                if _COUNT.match(clause, found.start()):
                    break  # "农村户用厕所14500座": what is counted, not who does the work
                said = clause[: found.start()]
                if said.count("（") + said.count("(") > said.count("）") + said.count(")"):
                    continue  # inside an aside: 应 of "州政府总值班室（州政府应急办）" ends nothing
                bare = _ASIDE.sub("", said) if ("（" in said or "(" in said) else said
                if len(said) < 2 or _NOT_A_NAME.search(bare) or said.startswith("每"):
                    # "每季度与市扶贫办开展…": how often, and with whom, not who
                    if len(said) >= 2:
                        break
                    continue
                if _ROLE.search(said):
                    break
                if units:
                    known = units.find(said)
                    if known:
                        return known
                    continue
                if "由" in said and _MEMBERS.search(clause):
                    break  # "中心组由…组成": what a body is made of, no work done
                # "值班由镇党政办根据…", "2025年我镇确定…"
                said = _subject_words(said)
                if not _is_unit_name(_LAST_NAME.split(said)[-1]) or _NO_SUBJECT.search(said):
                    continue  # the last of the names it may list is none: no need to list them
                names = attributes.names(said)
                # "各行署、市、县政府": a bare 市 or 县 shares the last name's ending
                if (
                    names
                    and _is_unit_name(names[-1])
                    and all(_is_unit_name(name) or len(name) <= 2 for name in names)
                ):
                    return names
    by = _BY.search(text)
    if by and not _ROLE.search(by.group(1)) and not _MEMBERS.search(text, by.start()):
        names = attributes.names(by.group(1))
        if units:
            return units.find(by.group(1))
        if all(_UNIT_NAME_END.search(name) for name in names):
            return names
    return []


def annotate(
    text: str,
    *,
    units: Units | None = None,
    on: date | None = None,
    today: date | None = None,
    spotter=None,
) -> Item:
    """What one piece of text says by itself — lead and co-units, owners, deadline — read the
    way the decomposition reads an item's own words: for a part of an item a person split off."""
    year = on.year if on else (today or date.today()).year
    read = normalised(text)
    item = Item(path="", start=0, end=len(text), paragraph=0, text=read)
    _annotate(item, read, _Context(units or Units(), year, on, spotter or spans.shipped()), [])
    _Given(text, read, units).restore(item)
    return item


# -- the walk --------------------------------------------------------------------------------


@dataclass
class _Piece:
    start: int
    end: int
    line: int  # index into the body lines
    paragraph: int
    context: sentences.Context
    under: outline.Heading | None  # the heading the piece stands under (its own, on its line)
    mark: str = ""  # the clause mark it opens with
    attr: bool = False  # a label line: 牵头单位：…
    fixed: str = ""  # a kind the structure settles: "heading" for a heading with sub-headings
    judged: sentences.Judgement | None = None
    row: bool = False  # the work of a row of a table whose columns say who or by when
    joins: bool = False  # …or a later cell of that work, before the row's cells of who or when
    named: str = ""  # …or a cell of who or when under the name of its column
    cells: tuple[str, ...] = ()  # the label lines a row's cells of no body line stand for


@dataclass
class _Structure:
    document: str
    paragraphs: list[str]
    offsets: list[int]
    lines: list[_Line]
    title: str | None
    when: date | None
    body: list[_Line]
    plain: set[int]
    headings: list[outline.Heading]
    flat: list[outline.Heading]


# Square and tortoise-shell brackets around anything but a document number's year are read as
# round ones: "〔责任单位：省市场监管局〕", "【牵头单位】", "〔一〕"; "〔2026〕" stays for the 文号.
_SQUARE = re.compile(r"[〔【［]((?!\s*\d{4}\s*[〕】］])[^〔【［〕】］\n]{0,200})[〕】］]")


def normalised(text: str) -> str:
    """Text as it is read: simplified characters, round brackets. One character for one, so
    every offset holds and what is shown is taken from the document as given (_Given)."""
    return simplified(_SQUARE.sub(lambda found: f"（{found.group(1)}）", text))


class _Given:
    """The document's own words for what was read in its normalised form."""

    def __init__(self, given: str, read: str, units: Units | None = None):
        self.given, self.read = given, read
        self.same = given == read
        # names of the unit tree stay as the tree spells them
        self.canonical = set(units.names.values()) if units else set()

    def words(self, said: str | None, near: int = 0) -> str | None:
        if self.same or not said or said in self.canonical:
            return said
        at = self.read.find(said, near)
        at = self.read.find(said) if at < 0 else at
        return self.given[at : at + len(said)] if at >= 0 else said

    def restore(self, item: "Item") -> None:
        """An item's words as the document gives them: its text, units, owners, deadline."""
        if self.same:
            return
        item.text = self.given[item.start : item.end]
        near = item.start
        item.lead_units = [self.words(name, near) for name in item.lead_units]
        item.co_units = [self.words(name, near) for name in item.co_units]
        item.owners = [self.words(name, near) for name in item.owners]
        item.deadline_text = self.words(item.deadline_text, near)


def _structure(paragraphs: list[str], on: date | None, keep_plain) -> _Structure:
    """The document's frame and outline. `keep_plain(candidates)` says which unnumbered short lines
    (position, text, context) are headings."""
    paragraphs = [p for p in (p.strip().strip("\u3000") for p in paragraphs) if p]
    # read in one pass, one character for one: the line breaks stay where they were
    paragraphs = normalised("\n".join(paragraphs)).split("\n") if paragraphs else []
    offsets, position = [], 0
    for paragraph in paragraphs:
        offsets.append(position)
        position += len(paragraph) + 1
    document = "\n".join(paragraphs)

    last: dict = {}
    lines: list[_Line] = []
    for number, paragraph in enumerate(paragraphs):
        lines += _split_run_on(paragraph, offsets[number], number, last)

    title, when, skip = _frame(lines)
    skip |= _contents_and_noise(lines)
    if when is None:
        # Minutes and briefs date themselves in their first lines: "2026年3月12日，局党组…召开";
        # a date work is due by ("请于2007年3月28日前报送") is not the document's
        when = next(
            (found for line in lines[:5] if (found := _date_told(line.text)) is not None), None
        )
    when = on or when
    body = [line for index, line in enumerate(lines) if index not in skip]
    texts = [line.text for line in body]
    plain = {p for p in range(len(body)) if _is_plain_heading(body, p)}
    # The attached document's own title under a covering notice ("关于印发《X》的通知" … "X")
    # stands above the outline, not in it.
    first_numbered = next(
        (position for position, text in enumerate(texts) if outline.match_heading(text)),
        len(texts),
    )
    # where a table read one cell a line opens ("序号", a row's number): a cell below it is no title
    table_opens = next(
        (line.start for line in lines if _TABLE_OPENS.fullmatch(line.text.strip())), None
    )
    inner = [
        position
        for position in sorted(plain)
        if position < first_numbered
        and _TITLE_WORDS.search(texts[position])
        and (title is None or texts[position] in title or position == min(plain))
        and (table_opens is None or body[position].start <= table_opens)
    ]
    if inner:
        title = texts[inner[0]] if title is None or "印发" in title else title
        body = [line for position, line in enumerate(body) if position not in inner]
        texts = [line.text for line in body]
        plain = {p for p in range(len(body)) if _is_plain_heading(body, p)}
    # An unnumbered short line is a heading only if it is judged one: a speaker's line ("——在…
    # 会议上的讲话") or a signature looks the same.
    if plain:
        plain = keep_plain(
            [
                (
                    p,
                    body[p],
                    sentences.Context(
                        marker="plain", document=title or "", previous=texts[p - 1] if p else ""
                    ),
                )
                for p in sorted(plain)
            ]
        )
    headings = outline.build(texts, frozenset(plain))
    flat = outline.flatten(headings)
    return _Structure(
        document, paragraphs, offsets, lines, title, when, body, plain, headings, flat
    )


# A piece is taken for (part of) an item when the model gives it at least this probability.
ITEM_THRESHOLD = 0.5


def decompose(
    paragraphs: list[str],
    *,
    on: date | None = None,
    units: Units | None = None,
    today: date | None = None,
    model: sentences.Model | None = None,
    threshold: float = ITEM_THRESHOLD,
    spotter: sentences.Model | None = None,
) -> Decomposition:
    """The outline and items of a document given as paragraphs. `on` is the document's date when
    the caller knows it; otherwise it is read from the document. `model` judges the pieces; the
    shipped one by default. `threshold`: the probability of being work from which a piece is
    taken for an item (lower where the caller knows the text is work, as in 层层分解). `spotter`
    reads the units a sentence names as doing its work (spans.py); the shipped unit model by
    default."""
    model = model or sentences.shipped()

    def keep_plain(candidates):
        verdicts = sentences.judge(model, [(line.text, ctx) for _, line, ctx in candidates])
        return {
            p for (p, _, _), verdict in zip(candidates, verdicts, strict=True)
            if verdict.kind == "heading"
        }  # fmt: skip

    read = _structure(paragraphs, on, keep_plain)
    document, when, title = read.document, read.when, read.title
    year_hint = re.search(r"(20\d{2})年", title or "")
    year = when.year if when else int(year_hint[1]) if year_hint else (today or date.today()).year
    context = _Context(units or Units(), year, when, spotter or spans.shipped())
    context.first_leads = bool(_FIRST_LEADS.search(document))
    pieces = _all_pieces(document, read.body, read.flat, read.plain, title or "")
    judged = [piece for piece in pieces if not (piece.attr or piece.fixed)]
    verdicts = sentences.judge(
        model, [(document[piece.start : piece.end], piece.context) for piece in judged], chain=True
    )
    for piece, verdict in zip(judged, verdicts, strict=True):
        piece.judged = verdict
    items, inline = _items(document, pieces, context, model, read.flat, threshold)
    standing = _STANDING_TITLE.search((title or "").rstrip(" 》>\u3000"))
    if standing:
        # the clauses of a 制度, 规则 or 办法 are standing rules: what the model takes for a task
        # there is one only when it is due by a date
        for item in items:
            if item.kind == "task" and item.deadline is None:
                item.kind = "rule"
                item.reason = f"所在文件为{standing.group(1)}，其条款视为长期制度（{item.reason}）"
    told = _time_section(read.flat, read.body)
    if told is not None:
        # "二、活动时间 / 6月28日前完成": the time a notice gives the whole of what it asks for
        for item in items:
            if item.deadline_text is None and item.start >= told[0]:
                _apply_deadline(item, told[1], context)
    _add_inline_headings(read.headings, read.flat, read.body, inline)
    number = next(
        (found for line in read.lines[:10] if (found := _DOC_NUMBER_FULL.search(line.text))),
        None,
    )
    reference = number.group(0).strip() if number else None
    # what is shown is the document's own words, not the normalised form it was read in
    given = [p for p in (p.strip().strip("\u3000") for p in paragraphs) if p]
    words = _Given("\n".join(given), document, units)
    for item in items:
        words.restore(item)
    for heading in read.flat:
        heading.number, heading.title = words.words(heading.number), words.words(heading.title)
        heading.body = words.words(heading.body)
    return Decomposition(
        words.given, given, read.offsets, words.words(title), when, read.headings, items,
        words.words(reference),
    )  # fmt: skip


# The heading of a notice's section that says when (活动时间, 时间安排, 征集日期, 时间、地点)
_TIME_TITLE = re.compile(
    r"[^，,。；;]{0,6}?(?:时间|日期|时限|期限)(?:安排|要求)?(?:[、和及与]地点)?[：:]?"
)
_PERIOD = re.compile(r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}[日号])?(?:上旬|中旬|下旬|底|末)?")
_HOLIDAY = re.compile(r"放假|休假|调休")  # not 假期: "假期值班时间" says when work is done


def _time_section(flat: list[outline.Heading], lines: list[_Line]) -> tuple[int, str] | None:
    """Where a section that only says when the work is to be done starts, and the time it
    gives: its heading's title is a time's (活动时间) and it states one time, on the heading's line
    or in the one line under it. A section of several lines (stages, each with its own time)
    gives none, nor does a heading below the outermost ("（三）完成时限：6月底前" in one task's
    entry speaks for that task)."""
    for at, heading in enumerate(flat):
        if (
            heading.level != 1
            or not _TIME_TITLE.fullmatch(heading.title)
            or _HOLIDAY.search(heading.title)
        ):
            continue  # "一、放假时间": when work stops, not when it is due
        end = flat[at + 1].line if at + 1 < len(flat) else len(lines)
        if end - heading.line > 2:
            return None
        said = heading.body or (lines[heading.line + 1].text if end - heading.line == 2 else "")
        said = _SPACED_DATE.sub("", said.strip())
        found = {match.group(0) for match in _DEADLINE_IN_TEXT.finditer(said)}
        if not found:
            # a bare month or day: "2025年3月" is the time the whole section names
            found = {said.rstrip("。")} if _PERIOD.fullmatch(said.rstrip("。")) else set()
        if len(found) != 1:
            return None
        return lines[heading.line].start, found.pop()
    return None


def training_pieces(paragraphs: list[str], is_heading) -> tuple[str, list[_Piece]]:
    """The pieces the model judges in a labelled document, as decompose() cuts them, with
    unnumbered heading lines settled by `is_heading(start, end)` (the labels) instead of a
    model: what the corpus trains on."""
    read = _structure(
        paragraphs,
        None,
        lambda candidates: {
            p for p, line, _ in candidates if is_heading(line.start, line.start + len(line.text))
        },
    )
    pieces = _all_pieces(read.document, read.body, read.flat, read.plain, read.title or "")
    return read.document, [piece for piece in pieces if not (piece.attr or piece.fixed)]


def _cell_deadline(cell: str) -> str | None:
    """The time a table's cell gives, when that is all it says: "12月底前", "2025年3月", "5月底前动工"
    (a word or two of what is due by then may follow)."""
    cell = cell.strip(" \u3000。；;")
    due = _DEADLINE_IN_TEXT.match(cell) or _PERIOD.match(cell)
    return due.group(0) if due and len(cell) - due.end() <= 4 else None


def _time_cell(cell: str) -> bool:
    """Whether a table's cell only says by when: a date with at most a word or two of what is due
    ("5月底前动工"), what an annotation may say instead of a date (长期坚持, 按期, 汛前 …), or 全年,
    which a column of times may hold though in a sentence it is a target's scope."""
    return bool(_cell_deadline(cell) or _ANNOTATION_DEADLINE.fullmatch(cell)) or cell == "全年"


def _is_attribute_cell(document: str, start: int, said: str) -> bool:
    """Whether a piece is a cell of a table's row that only says who or by when: after a bar, or
    after the row's work and a space ("1 地区生产总值增长6.5%左右。 区发改委 区政府各部门，…"),
    nothing but units' names ("县水务局 县住建局") or a time ("12月底前", "5月底前动工"). A cell after
    a bar that ends a sentence is work, though it ends as a name does ("建成县残疾人综合服务中心。")."""
    spaced = _after_work_and_space(document, start)
    if not spaced and not document[max(0, start - 3) : start].rstrip(" \u3000").endswith(
        ("|", "｜")
    ):
        return False
    cell = said.strip(" \u3000")
    if not cell or len(cell) > (120 if spaced else 40) or _LIST_NUMBER.match(cell):
        return False  # "。 (6)开工建设西城区九年制学校。": a numbered clause is work, not a cell
    if _cell_deadline(cell):
        return True
    if spaced:
        cell = cell.rstrip("。")
    return not cell.endswith(("。", "；", ";")) and _only_names(cell)


# Who does the work of a paragraph, in brackets after it: "（县工信局、县发改委按职责分工负责）",
# "（县人社局）" — the names, and how they share the work at most
_UNITS_ASIDE = re.compile(
    r"^[（(]\s*([^（()）]+?(?:[（(][^（()）]{1,12}[)）][^（()）]*?)*?)\s*"
    rf"(?:{attributes.SHARING})?\s*[)）][。；;]?$"
)


def _units_aside(text: str) -> str | None:
    """The names a bracketed aside of units holds, or who leads and who assists in it
    ("（财政部牵头，国务院相关部门及各地区按职责分工负责）"); None when it is no such aside."""
    found = _UNITS_ASIDE.match(text.strip())
    if found and _only_names(found.group(1)):
        return found.group(1)
    found = _ASIDE_WHOLE.fullmatch(text.strip())
    return found.group(1) if found and attributes.leads_and_assists(found.group(1)) else None


_ASIDE_WHOLE = re.compile(r"[（(]([^（()）]+)[)）][。；;]?")


def _only_names(cell: str) -> bool:
    """Whether a cell holds nothing but bodies' names: "县水务局 县住建局", "招商工作部、安商工作部"."""
    names = [name for name in _CELL_NAMES.split(cell) if name]
    return bool(names) and all(
        _UNIT_NAME_END.search(_ASIDE.sub("", name)) and not DOING_FIRST.match(name)
        for name in names
    )


# A table read one cell a line shows the names of its columns, each on a line of its own
_COLUMN_HEAD = re.compile(rf"^[ \t\u3000]*(?:{attributes.LABEL})[ \t\u3000]*$", re.MULTILINE)
_NAMES_A_COLUMN = re.compile(attributes.LABEL)  # …among a head row's names run together


def _column_kind(head: str) -> str:
    """What a column named by `head` (a _COLUMN_HEAD, or "") holds: "lead" or "co" units,
    "owner" (persons), "deadline", or "" when no head was read."""
    return attributes.label_kind(head) or "" if head else ""


# The cells of a table's head row read one a line ("序号", "考核指标", "责任部门", "责任" then "领导")
_HEAD_CELL = re.compile(r"[^，,。；;：:、]{1,12}")


def _row_lines(
    document: str, lines: list[_Line]
) -> tuple[dict[int, tuple[int, str]], dict[int, list[str]]]:
    """The lines of the rows of a table read one cell a line whose head row stands once above
    them: "序号" and the names of the columns, one of them a column of who or by when, then each
    row opening with its number on a line of its own ("1", then its cells). The document's lines
    are read, not the body's: the head may stand in the frame, and a number's line is no body
    line (it has no Chinese). Each body line of a row, by the offset of its row's number and the
    name of its column — known when the row has a cell for each column, "" when cells are
    missing or merged. And by the offset of a row's number, the cells of who or when that are
    no body line ("完成时间" / "2024.06"), written as the label lines they stand for."""
    parts, at = [], 0
    for part in document.split("\n"):
        parts.append((at, part.strip()))
        at += len(part) + 1
    numbers: list[int] = []  # the offsets of the rows' numbers
    ends: list[int] = []  # …and of the end of the table each is in
    columns: dict[int, str] = {}  # the column of each cell of a row with a cell for each column
    virtual: dict[int, list[str]] = {}
    starts = {line.start for line in lines}
    said_at = dict(parts)  # a line's words by its offset
    index = 0
    while index < len(parts):
        if parts[index][1] != "序号":
            index += 1
            continue
        head = index + 1
        while head < len(parts) and parts[head][1] != "1" and _HEAD_CELL.fullmatch(parts[head][1]):
            head += 1
        named = "".join(text for _, text in parts[index:head])
        if head >= len(parts) or parts[head][1] != "1" or not _NAMES_A_COLUMN.search(named):
            index = head
            continue
        names = [text for _, text in parts[index + 1 : head] if text]
        rows: list[tuple[int, list[int]]] = []  # each row's number's offset, its cells'
        index = head
        while index < len(parts) and parts[index][1] != "序号":
            if parts[index][1] == str(len(rows) + 1):
                rows.append((parts[index][0], []))
            elif parts[index][1]:
                following = [text for _, text in parts[index + 1 : index + len(names) + 2]]
                if len(rows[-1][1]) >= len(names) and str(len(rows) + 1) not in following:
                    break  # the last row is full and no row follows: the table has ended
                rows[-1][1].append(parts[index][0])
            index += 1
        for number, cells in rows:
            numbers.append(number)
            if len(cells) == len(names):
                columns.update(zip(cells, names, strict=True))
                virtual[number] = [
                    f"{name}：{said_at[cell]}"
                    for cell, name in zip(cells, names, strict=True)
                    if cell not in starts and attributes.label_kind(name)
                ]
        ends += [parts[index][0] if index < len(parts) else len(document)] * len(rows)
    out: dict[int, tuple[int, str]] = {}
    for position, line in enumerate(lines):
        row = bisect.bisect_right(numbers, line.start) - 1
        if row >= 0 and line.start < ends[row]:
            out[position] = (numbers[row], columns.get(line.start, ""))
    return out, virtual


def _cell_line(text: str) -> bool:
    """Whether a line of such a table is a cell that only says who or by when."""
    cell = text.strip(" \u3000。；;")
    if not cell or len(cell) > 40:
        return False
    return _time_cell(cell) or _only_names(cell)


def _after_work_and_space(document: str, start: int) -> bool:
    """Whether a piece follows a sentence's end and a space in its line, or a space in a
    numbered line: a table's row read as text, its cells kept apart by spaces."""
    if _WORK_THEN_SPACE.search(document, max(0, start - 6), start):
        return True
    if document[start - 1 : start] not in (" ", "\t", "\u3000"):
        return False
    line = document.rfind("\n", 0, start) + 1
    return bool(_SPACED_ROW.match(document, line)) and not _PIPE.search(document, line, start)


_WORK_THEN_SPACE = re.compile(r"[。；;][ \t\u3000]+$")


def _heads_nothing(text: str) -> bool:
    """Whether a line under a numbered one leaves it heading nothing: a label line, or a
    signature the frame did not take — a body's name alone, a month ("2008年9月")."""
    text = text.strip()
    return bool(
        _LABEL_LINE.match(text)
        or _is_date_line(text)
        or re.fullmatch(r"\d{4}年\d{1,2}月", text)
        or (len(text) <= 30 and not _NOT_A_NAME.search(text) and _is_unit_name(text))
    )


def _all_pieces(
    document: str, lines: list[_Line], flat: list, plain: set[int], title: str
) -> list[_Piece]:
    """Every piece of the body in document order, with where it stands."""
    on_line = {heading.line: heading for heading in flat}
    headed = sorted(on_line)
    # A numbered heading with nothing under it but label lines heads nothing: its line is an
    # item's own words.
    alone = set()
    below: dict[int, int] = {}  # lines under each heading, up to the next heading
    for position, line_index in enumerate(headed):
        heading = on_line[line_index]
        until = headed[position + 1] if position + 1 < len(headed) else len(lines)
        below[line_index] = until - line_index - 1
        if heading.style == "plain" or heading.children:
            continue
        if not all(_heads_nothing(lines[i].text) for i in range(line_index + 1, until)):
            continue
        body = heading.body.strip()
        if body and attributes.extract(body).text.strip("。；;，, "):
            continue  # the line goes on with words of its own
        # a bare name ("二、工作要求") heads a section the text may not show; a sentence heads none
        own = attributes.extract(lines[line_index].text).text.rstrip()
        if own.endswith(("。", "；", ";", "！", "!")):
            alone.add(line_index)
    pieces: list[_Piece] = []
    under: outline.Heading | None = None
    previous = ""
    rows, row_cells = _row_lines(document, lines)
    one_cell_a_line = bool(rows) or bool(_COLUMN_HEAD.search(document))
    task_table = False  # under a table's head row that names a column of units or times
    # in a row of a table whose head stands once above its rows: (its number's line, whether its
    # work was met, whether a cell of who or when was)
    row_state: tuple[int, bool, bool] = (-1, False, False)
    for index, line in enumerate(lines):
        heading = on_line.get(index)
        if heading is not None:
            under = heading
        text, start = line.text, line.start
        cells = [cell for cell in _CELL.split(text) if cell.strip()] if _PIPE.search(text) else []
        # the cell under a column of times, on the line after the column's name: all of it is
        # the time, however long ("完成时限" then "…1月底前完成；其它事项12月底前…")
        time_cell = (
            one_cell_a_line
            and index > 0
            and _COLUMN_HEAD.fullmatch(lines[index - 1].text) is not None
            and _column_kind(lines[index - 1].text.strip()) == "deadline"
            and _DEADLINE_IN_TEXT.search(text) is not None
        )
        in_row = task_table and bool(cells) and heading is None
        task_table = bool(cells) and (task_table or any(_COLUMN_HEAD.match(c) for c in cells))
        spans: list[tuple[int, int, str, bool]] = []  # start, end, mark, title part
        if heading is not None and heading.style == "plain":
            spans.append((start, start + len(text), "", True))
        elif heading is not None:
            offset = len(text) - len(text.lstrip()) + len(heading.number)
            while offset < len(text) and text[offset] in " \u3000":
                offset += 1
            rest_start = start + offset
            if heading.title:
                title_end = rest_start + len(heading.title)
                if title_end < start + len(text) and document[title_end] in "。；;！!？?：:":
                    title_end += 1
                spans.append((rest_start, title_end, "", True))
                if heading.body:
                    rest = document[title_end : start + len(text)]
                    spans += [(a, b, m, False) for a, b, m in _pieces(rest, title_end)]
            else:
                spans += [
                    (a, b, m, False)
                    for a, b, m in _pieces(document[rest_start : start + len(text)], rest_start)
                ]
        else:
            spans += [(a, b, m, False) for a, b, m in _pieces(text, start)]
        worded = False  # whether a piece with words of work went before in the line
        for order, (a, b, mark, title_part) in enumerate(spans):
            said = document[a:b]
            # a label ("牵头单位：…") or a bracketed annotation and nothing else: attributes
            assigns = ("牵头" in said or "负责" in said) and _ASSIGNMENT_ONLY.match(said)
            label = (
                bool(_LABEL_LINE.match(said) or assigns)
                or (
                    said.rstrip("。；;，, ").endswith(("）", ")"))
                    and not attributes.extract(said).text.strip("。；;，, ")
                )
                or (worded and _is_attribute_cell(document, a, said))
                # "（县工信局、县发改委按职责分工负责）" after a paragraph's work
                or (worded and _units_aside(said) is not None)
                # a line of a table read one cell a line: a row's units or time
                or (
                    one_cell_a_line
                    and heading is None
                    and len(spans) == 1
                    and (_cell_line(said) or _COLUMN_HEAD.fullmatch(said) is not None)
                )
                or time_cell
            )
            row = in_row and order == 0 and not label
            joins, named, cells = False, "", ()
            if index in rows and heading is None:
                # one row's cells, each on a line: the first that has words is its work (however
                # short: "粮食播种面积"), the cells after it up to those of who or when go with it
                number_line, column = rows[index]
                if column:
                    # the row has a cell for each column: the column's name says what the cell
                    # is ("责任单位", "完成时限"), a place's names included ("建设地点" / "纸坊街道")
                    label = attributes.label_kind(column) is not None
                    named = column if label else ""
                _, met, closed = row_state
                if row_state[0] != number_line:
                    met, closed = False, False
                if label:
                    closed = met
                elif not met and len(HAN.findall(said)) >= 2:
                    row, met = True, True
                    cells = tuple(row_cells.get(number_line, ()))
                elif met and (not closed or column):
                    joins = True
                row_state = (number_line, met, closed)
            # a row's first cell is its work, however short ("网吧、KTV | 8月份 | 文化站")
            worded = worded or row or len(HAN.findall(said)) >= 4
            marker = ""
            if heading is not None and order == 0:
                marker = heading.style
            elif mark:
                marker = "clause"
            piece = _Piece(
                start=a,
                end=b,
                line=index,
                paragraph=line.paragraph,
                context=sentences.Context(
                    marker=marker,
                    first=order == 0,
                    last=order == len(spans) - 1,
                    title_part=title_part,
                    alone=title_part and index in alone,
                    under=below.get(index, 0) if title_part else 0,
                    body=title_part and heading is not None and bool(heading.body),
                    heading=(under.title if under is not None and under is not heading else "")
                    or "",
                    document=title,
                    previous=previous,
                ),
                under=under,
                mark=mark,
                attr=label,
                fixed="heading" if title_part and heading is not None and heading.children else "",
                row=row,
                joins=joins,
                named=named,
                cells=cells,
            )
            pieces.append(piece)
            previous = document[a:b]
    # What follows each piece: a heading of its own line reads differently from one that goes
    # on with sentences ("一要加强领导。" before "二要…" is work; before its measures, a heading).
    for piece, following in zip(pieces, [*pieces[1:], None][: len(pieces)], strict=True):
        if following is None or following.fixed or following.context.title_part:
            after = "heading" if following is not None else "end"
        elif following.attr:
            after = "attr"
        else:
            after = "mark" if following.mark else "text"
        piece.context.after = after
        if following is not None:
            piece.context.following = document[following.start : following.start + 6]
    register = _register([document[piece.start : piece.end] for piece in pieces])
    for piece in pieces:
        piece.context.register = register
    return pieces


# Words that tell of work done, and words that direct work to do
_DONE = re.compile(r"已经|已|累计|共计|截至|截止目前|完成了|取得了|实现了|开展了|召开了|制定了")
_TO_DO = re.compile(r"要|将|必须|务必|应当|应|须|确保|力争|请")


def _register(texts: list[str]) -> str:
    """How much of a document tells of work done rather than directs work to do, as one of four
    bands: a report of rectification done (整改情况通报) or a year's summary reads differently
    from a plan, though its sentences may look alike (一是建立…机制)."""
    done = sum(1 for text in texts if _DONE.search(text))
    to_do = sum(1 for text in texts if _TO_DO.search(text))
    if done + to_do == 0:
        return "0"
    return str(min(3, int(4 * done / (done + to_do))))


# What makes an entry work of its own: a verb of doing, a modal, a bidding word
_OWN_WORK = re.compile(
    rf"(?:{DOING})|要|应|须|必须|^不|不得|严禁|禁止|确保|负责|可以|实行|召开|进行|讨论|决定|批准|"
    r"审议|审定|[：:]"
)


def _scope_entry(text: str) -> bool:
    """Whether a numbered entry only names something a rule covers — "年度工作计划；",
    "工作岗位交流、职务任免或退休时；" — rather than directing work."""
    words = text.strip()
    number = _LIST_NUMBER.match(words)
    words = words[number.end() :] if number else words
    return len(words) <= 40 and not _OWN_WORK.search(words)


# A list's number: "（一）", "1.", "八、"
_LIST_NUMBER = re.compile(r"[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]")
# A sentence that ends its line by announcing the list below it, as a colon would: "今年将
# 继续…办好“十件民生实事”。", "重点抓好以下几个方面的工作。"
_ANNOUNCES_LIST = re.compile(
    r"(?:[\d一二三四五六七八九十两几]+|以下|下列)(?:个方面|件|项|条|个)[^。；;，,]{0,12}[。]?$"
)

# "会议强调，", "会议要求：", "他指出，": who said what follows
_LEAD_IN = re.compile(
    r"(?:(?!按照|根据|依据|对照)[^，,。；;“”]){0,12}?(?:要求|强调|指出|提出|明确)[，,：:]\s*"
)
# A sentence that only says who does the work before it: "由市住建局负责。", "办公室牵头，人事处配合。"
_ASSIGNMENT_ONLY = re.compile(
    r"^(?:由[^，,。；;]{2,30}?(?:牵头)?负责(?:组织实施|组织落实|具体落实|落实|实施|推进|办理)?|"
    r"由?[^，,。；;]{2,30}?牵头[，,][^，,。；;]{2,60}?(?:配合|参与))[。；;]?$"
)
# A document's word that of the units listed for a task the first leads: "列第一位的责任单位为牵头
# 单位", "首位单位为牵头单位", "排在第一的为主办单位"
_FIRST_LEADS = re.compile(
    r"(?:首位|第一位|排名第一|列第一|第一个|排在首位|排名首位|排在第一)[^。；;，,]{0,10}?(?:为|是)"
    r"(?:牵头|主办|主责)"
)
_EACH_LEADS = re.compile(r"(?:分别|共同)(?:牵头|负责)")
# A lead-in or heading that names who is to do what follows: a modal after its subject
_CARRIES = re.compile(r"要|必须|务必|应当|负责")
# The name of a standing meeting body (议事规则 set them up: 党组会议, 局长办公会议, 党政联席会议), not
# "会议" alone, which in minutes is the meeting speaking
_MEETING_BODY = re.compile(
    r"[\u4e00-\u9fff（）()]{0,14}?(?:办公|联席|党委|党组|常委|常务|全体|委员会|支部|局务|校务|院务|"
    r"局长|主任|书记|班子)会议|[\u4e00-\u9fff]{0,12}(?:党委会|党组会|常委会)"
)
# …and a lead-in that gives it the list of matters after it: "秘书长办公会议主要研究下列事项：",
# "第四条 党政联席会议研究决定以下事项：", "党政联席会议是…最高机构，履行以下职责：" (its number and an
# aside allowed)
_MEETING_MATTERS = re.compile(
    r"^(?:第[一二三四五六七八九十百]+条|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])?\s*"
    r"(" + _MEETING_BODY.pattern + r")(?:是[^。；;：:]{2,24}[，,])?的?(?:主要)?"
    r"(?:研究|讨论|审议|决定|议事|职责|任务|履行|议题)[^。；;：:]{0,30}[：:]$"
)


def _meeting_of(title: str) -> str | None:
    """The meeting body a heading names as deciding what is under it: the heading is its name
    alone, or a lead-in to the matters it decides."""
    title = title.strip(" 。")
    alone = _MEETING_BODY.fullmatch(title.rstrip("：:"))
    if alone:
        return alone.group(0)
    matters = _MEETING_MATTERS.match(title)
    return matters.group(1) if matters else None


# The title of a standing regulation: "…理论学习中心组学习制度", "…党组工作规则（试行）"
_STANDING_TITLE = re.compile(r"(制度|规则|办法|细则|规定|守则|章程|规程|准则)(?:[（(]试行[)）])?$")
# A lead-in that opens an item's line and ends in a colon: "今年发展的主要预期目标是："
_LEAD_IN_COLON = re.compile(r"^[^。；;：:！!？?]{2,30}[：:]")
# …and a target time that opens a paragraph: "到2025年底前，", "到2025年年底，"
_TARGET_BY = re.compile(r"^\s*((?:到|至)\d{4}年(?:年?(?:底|末))?(?:前)?)[，,]")


# A sentence that opens by saying it tells of a time gone by, and words that would still make it
# work to do ("去年…，今年要…")
_PAST = re.compile(
    r"^(?:去年|上年|过去一年|过去的一年|一年来|近年来|多年来|截至目前|截至\d{4}年|\d{4}年以来)"
)
_CONTACT = re.compile(
    r"^[^。；;，,]{0,12}?(?:联系人|联系电话|咨询电话|联系方式|电话|邮箱|传真)(?:及电话)?\s*[:：]"
)
_DIRECTS = re.compile(r"要|将|必须|务必|应当|应|须|力争|确保|争取|计划|拟")
_NO_WORDS = re.compile(
    r"(?:https?://|www\.)\S+|[^\s。；;，,]{1,60}\.(?:docx?|xlsx?|pdf|wps|ofd|zip|rar|txt)",
    re.IGNORECASE,
)


def _lead_in_time(text: str) -> str | None:
    """The time a lead-in gives the work after it: a deadline, or the year it speaks of."""
    found = _DEADLINE_IN_TEXT.search(text) or _YEAR_DEADLINE.search(text)
    return found.group(0) if found else None


# The heading of an activity's time, the time alone on the line after it (a month, a day or a
# part of a month, by which it is done: not a day's hour, nor a span of days), and a sentence that
# sets an activity for a time: "主题党日活动定于上旬开展", "各党支部于5月31日前开展活动"
# (a heading's title, its number set apart: "活动时间", "活动主体")
_ACTIVITY_HEAD = re.compile(r"^活动(时间|主体)")
_ACTIVITY_WHEN = re.compile(
    r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}[日号])?(?:底|末|上旬|中旬|下旬)?(?:前|以前)?(?:完成)?[。；;]?"
)
_ACTIVITY_BY = re.compile(r"活动以([^，,。；;以]{2,20}?)为单位(?:组织)?开展")
_ACTIVITY_SET = re.compile(
    r"活动[^。；;，,]{0,4}?定于((?:\d{1,2}月)?(?:\d{1,2}[日号]|上旬|中旬|下旬|底)(?:前|以前)?)"
    r"(?:开展|举行|进行)"
    r"|于((?:\d{1,2}月)(?:\d{1,2}[日号]|上旬|中旬|下旬|底)(?:前|以前))开展[^。；;，,]{0,8}活动"
)
# A meeting's decision: "会议审议通过了…", "会议原则同意…", "会议研究决定…"
_DECIDED = re.compile(r"^\s*(?:会议|会上)(?:原则)?(?:同意|审议通过|通过了|决定|议定|研究决定)")
# An item that opens with a name of its own before its verb does not take the one before's units
# (要 in 主要, 重要, 需要 or 只要 is no modal, nor is 要求)
_OWN_SUBJECT = re.compile(
    r"^(?:[^，,。；;：:要]|(?<=[主重需只])要){2,20}?(?:(?<![主重需只])要(?!求)|将|负责|牵头)"
)


def _items(
    document: str,
    pieces: list[_Piece],
    context: _Context,
    model: sentences.Model,
    flat=(),
    threshold: float = ITEM_THRESHOLD,
) -> tuple[list[Item], list]:
    """Items from the judged pieces: a piece judged a task or rule starts an item, or continues
    the one before when the model says so and nothing but other parts of it stand between them;
    label lines lend their units and deadline to the items above them since the last heading or
    label line; headings inside paragraphs join the outline."""
    by_path = {heading.path: heading for heading in flat}
    above: dict[tuple[int, bool], str] = {}  # the titles over the pieces of one place
    carried: tuple[int, list[str]] | None = None  # (paragraph, units) a lead-in names
    carry: dict[int, list[str]] = {}  # an item's units from the lead-in before it
    # what names the units of the enumerated clauses in the paragraphs after it ("请各单位务必
    # 高度重视…。" then "一是严格执行…", "二是…"), until a heading or unmarked work: (its
    # paragraph, the units a lead-in names or the item whose units those clauses take)
    opener: tuple[int, outline.Heading | None, list[str] | Item] | None = None
    heir: dict[int, list[str] | Item] = {}
    # what a line that ends in a colon says for the lines of work after it: (units, time)
    opened: tuple[list[str], str | None] | None = None
    due: dict[int, str] = {}  # an item's time from such a line
    leading: tuple[int, str] | None = None  # (paragraph, time) a lead-in inside a line gives
    items: list[Item] = []
    labels: dict[int, list[str]] = {}
    titles: dict[int, str] = {}
    inline: list[tuple[str, int, str, str, str]] = []
    block: list[Item] = []  # the items a label line below would speak for
    block_closed = False
    current: Item | None = None
    # (line, path, words) of a heading opened inside a line
    run_in: tuple[int, str, str] | None = None
    # the time an activity is set for ("二、活动时间" then "6月28日前完成。", "5月主题党日活动定于上旬
    # 开展"): each item of it after that is due then, unless it says otherwise (GUIDE.md)
    activity: str | None = None
    activity_due: dict[int, str] = {}
    # …and the bodies that hold it ("一、活动主体" then "各党支部。", "…以各基层党组织为单位组织开展")
    holders: list[str] = []
    activity_units: dict[int, list[str]] = {}
    head = ""  # the piece before was the heading "活动时间" ("时间") or "活动主体" ("主体")
    for piece in pieces:
        text = document[piece.start : piece.end]
        said = text.strip().rstrip("。；;")
        if head == "时间" and not piece.context.title_part and _ACTIVITY_WHEN.fullmatch(said):
            activity = said.removesuffix("完成")
        elif head == "主体" and not piece.context.title_part and _only_names(said):
            holders = attributes.names(said)
        opened_head = _ACTIVITY_HEAD.match(said) if piece.context.title_part else None
        head = opened_head.group(1) if opened_head else ""
        if "活动" in text:  # the two patterns below need the word; most pieces lack it
            set_for = _ACTIVITY_SET.search(text)
            if set_for:
                activity = set_for.group(1) or set_for.group(2)
            held_by = _ACTIVITY_BY.search(text)
            if held_by:
                holders = attributes.names(held_by.group(1))
        base = piece.under.path if piece.under is not None else ""
        if run_in and run_in[0] == piece.line and not piece.mark:
            base = run_in[1]  # under a heading opened earlier in the line; a clause is its sibling
        elif not run_in or run_in[0] != piece.line:
            run_in = None
        verdict = piece.judged
        if piece.context.title_part:
            block, block_closed = [], False  # a numbered entry's labels are its own
        if piece.joins and current is not None:
            current.end = piece.end  # a later cell of a table row's work, whatever it looks like
            continue
        if piece.attr or (verdict and verdict.kind == "attr"):
            if _ASSIGNMENT_ONLY.match(text):
                # "由市住建局负责。" speaks for the work just before it, and is part of it
                for item in items[-1:]:
                    labels.setdefault(id(item), []).append(text)
                    if item.paragraph == piece.paragraph:
                        item.end = piece.end
                continue
            speaks_for = block or items[-1:]
            if piece.named:
                text = f"{piece.named}：{text.strip()}"  # read as the label line it stands for
            elif _after_work_and_space(document, piece.start):
                # a row's cells kept apart by spaces: the first names the lead, the rest co-units;
                # they speak for their row's work alone
                text = re.sub(r"[ \t\u3000]+", "|", text.strip())
                speaks_for = [item for item in speaks_for if item.paragraph == piece.paragraph]
            elif _units_aside(text) is not None:
                # an aside of units speaks for its own paragraph's work ("…公示。（县工信局负责）"),
                # not for what came before it: at a news page's end "（县政府办）" is its byline
                speaks_for = [item for item in speaks_for if item.paragraph == piece.paragraph]
            for item in speaks_for:
                labels.setdefault(id(item), []).append(text)
            block_closed, current = True, None
            continue
        if piece.fixed == "heading" or verdict is None:
            current, block, block_closed, opened, opener = None, [], False, None, None
            continue
        confidence = verdict.item
        if piece.context.alone and verdict.heading < 1:
            # a heading of nothing: of what else it may be, is it work?
            confidence = verdict.item / (1 - verdict.heading)
        is_item = confidence >= threshold
        if piece.row and not is_item:
            # "烟花爆竹 | 1月份 | 安监站 |" under "专项整治行业名称 | 时间安排 | 责任单位": a row of a
            # table with a column of who or by when is a ledger line, whatever its first cell says
            is_item, confidence = True, threshold
        if is_item and (_PAST.match(text) or "同比" in text) and not _DIRECTS.search(text):
            # "去年全市地区生产总值增长5.2%，…", "全镇固定资产投资同比增长20.1%；": what happened
            is_item = False
        if is_item and (_CONTACT.match(text) or _NO_WORDS.fullmatch(text.strip())):
            # "联系人及电话：…", "专项行动联系人：…": whom to ask, no work; nor an address or a
            # file's name ("www.….gov.cn/", "…机构表.doc")
            is_item = False
        if not is_item and _DECIDED.match(text) and not text.rstrip().endswith(("：", ":")):
            # "会议审议通过了…", "会议原则同意…": a meeting's decision is work to carry out (GUIDE.md);
            # "会议原则同意…，并要求：" only leads into what follows
            is_item, confidence = True, threshold
        if not is_item and _LIST_NUMBER.fullmatch(text.strip()):
            # "（一）" on a line of its own, its words on the next: a list goes on, an item ends
            current = None
            continue
        if not is_item:
            said = []
            said_by = verdict.kind in ("heading", "lead", "task", "rule") or _LEAD_IN.match(text)
            # "…县政府将重点抓好10件民生实事：" names who does the list after it, as 要 does
            announces = "将" in text and text.rstrip().endswith(("：", ":"))
            if said_by and (_CARRIES.search(text) or announces):
                # "会议要求，各地各部门要：一是…" — who does what follows, said once before it
                said = annotate(
                    text, units=context.units, on=context.base, spotter=context.spotter
                ).lead_units
                if said:
                    carried = (piece.paragraph, said)
                    opener = (piece.paragraph, piece.under, said)
            standing = _MEETING_MATTERS.match(text.strip()) if not said else None
            if standing:
                # "第三条 二级学院党委会议讨论决定的重要事项主要有：": the meeting body a rule set up
                # decides each matter of the list after it
                said = [standing.group(1)]
            opened = None
            if text.rstrip().endswith(("：", ":")) or (
                piece.context.last and _ANNOUNCES_LIST.search(text)
            ):
                # "今年发展的主要预期目标是：", then the targets; "报告指出，2022年县政府将…抓好10件
                # 民生实事：" — who said it is no part of it
                told = _LEAD_IN.match(text)
                when = _lead_in_time(text[told.end() :] if told else text)
                if not piece.context.last:
                    # its list goes on in its line ("…目标是：国内生产总值增长6.5%左右；…"): what it
                    # says holds for that paragraph
                    carried = (piece.paragraph, said) if said else carried
                    leading = (piece.paragraph, when) if when else leading
                elif said or when:
                    opened = (said, when)
            if verdict.kind == "heading" and not piece.context.title_part:
                # a clause or a sentence that opens its line only to name what follows; a
                # second one in the line is the first's sibling
                base = piece.under.path if piece.under is not None else ""
                title = _run_in_title(text)
                key = piece.mark or title
                inline.append((base, piece.start, piece.mark, key, title))
                run_in = (piece.line, f"{base}/{key}" if base else key, text)
                block, block_closed = [], False
            elif verdict.kind == "heading":
                block, block_closed = [], False
            current = None
            continue
        if block_closed:
            block, block_closed = [], False
        if (
            current is not None
            and verdict.continues > 0.5
            and not piece.mark
            and not piece.context.title_part
        ):
            current.end = piece.end
            continue
        path = base
        if (
            current is not None
            and (piece.mark or piece.context.title_part)
            and piece.context.marker != "article"
            and document[current.end - 1 : current.end] in ("；", ";", "：", ":")
            and _scope_entry(text)
            # a sibling: the entry's place (under a clause mark or a numbered line) beside the
            # one before's
            and current.path.rpartition("/")[0] == (base if piece.mark else base.rpartition("/")[0])
        ):
            # "1.贯彻执行上级党委的决定；2.医院中长期发展规划；3.年度工作计划；": entries that
            # name what a rule covers, with no work of their own, go with the entry before
            current.end = piece.end
            continue
        if piece.mark:
            title = _run_in_title(text[len(piece.mark) :] if text.startswith(piece.mark) else text)
            inline.append((base, piece.start, piece.mark, piece.mark, title))
            path = f"{base}/{piece.mark}" if base else piece.mark
        kind = "rule" if verdict.rule > 0.5 else "task"
        confidence = model.calibrated(confidence)
        reason = f"模型判断为{'长期制度' if kind == 'rule' else '工作任务'}（{confidence:.0%}）"
        current = Item(path, piece.start, piece.end, piece.paragraph, "", kind=kind,
                       confidence=confidence, reason=reason)  # fmt: skip
        if piece.mark and text.startswith(piece.mark):
            current.start += len(piece.mark)
        lead_in = _LEAD_IN.match(document, current.start, current.end)
        if lead_in and lead_in.end() < current.end - 4:
            current.start = lead_in.end()  # "会议强调，" is who said it, not the work
        items.append(current)
        block.append(current)
        if piece.cells:
            labels.setdefault(id(current), []).extend(piece.cells)  # "完成时间：2024.06"
        if activity:
            activity_due[id(current)] = activity
        if holders:
            activity_units[id(current)] = holders
        if carried is not None and carried[0] == piece.paragraph:
            carry[id(current)] = carried[1]
        elif opened is not None:
            if opened[0]:
                carry[id(current)] = opened[0]
            if opened[1]:
                due[id(current)] = opened[1]
        elif leading is not None and leading[0] == piece.paragraph:
            due[id(current)] = leading[1]
        if piece.context.last and (
            text.rstrip().endswith(("：", ":")) or _ANNOUNCES_LIST.search(text)
        ):
            # a sentence announcing the list below it gives the list its time, as a lead-in
            # does, though it was taken for work ("今年将继续…办好“十件民生实事”。")
            told = _LEAD_IN.match(text)
            when = _lead_in_time(text[told.end() :] if told else text)
            if when:
                opened = ([], when)
        if not (piece.mark or _enumerated(text)):
            opener = (piece.paragraph, piece.under, current)
        elif opener is not None and opener[0] != piece.paragraph and opener[1] is piece.under:
            heir[id(current)] = opener[2]
        colon = _LEAD_IN_COLON.match(text)
        if colon:
            # "今年发展的主要预期目标是：…；居民消费价格涨幅3%左右；…" — the time a lead-in opening
            # the paragraph gives, for the work after it in the paragraph
            when = _lead_in_time(colon.group(0))
            leading = (piece.paragraph, when) if when else None
        by = _TARGET_BY.match(text) if piece.context.first else None
        if by:
            # "到2025年底前，…政策进一步完善。医共体总院全部达到…，90%的乡镇卫生院达到…": the time the
            # targets of a paragraph are reached by, said once at its opening
            leading = (piece.paragraph, by.group(1))
        place = (id(piece.under), piece.context.title_part)
        if place not in above:
            above[place] = _titles_above(piece, by_path)
        titles[id(current)] = above[place]
        if run_in is not None and base == run_in[1]:
            # under a heading opened earlier in its line ("三是全力做好岁末年初的重点工作。…")
            titles[id(current)] = "；".join(filter(None, (run_in[2], above[place])))
    for item in items:
        while item.start < item.end and document[item.start] in " \u3000：:，,、":
            item.start += 1
    kept = []
    subjects: dict[str, list[str]] = {}  # the units the headings above name, by their titles
    for item in items:
        if item.end - item.start < 4:
            continue
        dated = _annotate(
            item, document, context, labels.get(id(item), []), title=titles.get(id(item), "")
        )
        if item.deadline_text is None and id(item) in due:
            _apply_deadline(item, due[id(item)], context)
        if item.deadline_text is None and id(item) in activity_due:
            _apply_deadline(item, activity_due[id(item)], context)
        if item.kind == "rule" and dated and item.deadline and not item.recurrence:
            # a standing rule has no completion; work due on a date is a task
            item.kind = "task"
            item.reason = item.reason.replace("长期制度", "工作任务")
        if len(item.text) >= 4:
            previous = kept[-1] if kept else None
            if (
                not item.lead_units
                and not _OWN_SUBJECT.match(item.text)
                # "由书记、副书记、支部委员组成": what a body is made of, no work of anyone's
                and not (_MEMBERS.search(item.text) and "由" in item.text)
            ):
                # units said once for what follows: by a lead-in in the paragraph, or by the
                # heading of the item's entry ("（二）各党支部要…")
                chain = titles.get(id(item), "")  # the headings above it, the nearest first
                heading = chain.split("；")[0]
                if chain not in subjects:
                    # "（一）党组会议" or "四、秘书长办公会议主要研究下列事项：" over the matters that
                    # meeting decides, the nearest heading of the item's or one above it ("（一）发展
                    # 规划类" under "第四条 党政联席会议研究决定以下事项：")
                    meeting = next(filter(None, map(_meeting_of, chain.split("；"))), None)
                    subjects[chain] = (
                        [meeting]
                        if meeting
                        else annotate(
                            heading,
                            units=context.units,
                            on=context.base,
                            spotter=context.spotter,
                        ).lead_units
                        if _CARRIES.search(heading)
                        else []
                    )
                given = heir.get(id(item), [])
                if isinstance(given, Item):
                    given = given.lead_units
                item.lead_units = list(
                    carry.get(id(item))
                    or given
                    or subjects[chain]
                    or activity_units.get(id(item), [])
                )
            if (
                not item.lead_units
                and previous is not None
                and previous.paragraph == item.paragraph
                and not _OWN_SUBJECT.match(item.text)
                and previous.lead_units
                and all(_ADDRESSED.search(name) for name in previous.lead_units)
            ):
                # "各地要强化值班值守；要加强巡堤查险；…": the paragraph's subject goes on when it is
                # those the text is addressed to (各地, 全系统, 有关部门, 区政府各部门); a body named for one
                # sentence ("局党组书记任组长，…", "机关党委负责…") is that sentence's alone
                item.lead_units = list(previous.lead_units)
                item.co_units = [u for u in previous.co_units if u not in item.lead_units]
            kept.append(item)
    return kept, inline


def _titles_above(piece: _Piece, by_path: dict) -> str:
    """The titles of the headings an item stands under, the nearest first — its deadline may be
    stated there ("（三）集中整改阶段（2010年8月—2011年1月）") — not its own line's when it is the
    heading's own words."""
    if piece.under is None:
        return ""
    path = piece.under.path
    if piece.context.title_part:
        path = path.rpartition("/")[0]
    titles = []
    while path:
        heading = by_path.get(path)
        if heading is not None:
            titles.append(heading.title)
        path = path.rpartition("/")[0]
    return (
        "；".join(titles) if titles else (piece.under.title if not piece.context.title_part else "")
    )


def _add_inline_headings(roots, flat, lines, inline) -> None:
    """Enumerations and run-in headings found inside paragraphs join the outline one level below
    the heading they stand under, in document order."""
    if not inline:
        return
    by_path = {heading.path: heading for heading in flat}
    starts = {id(heading): lines[heading.line].start for heading in flat}
    touched = []
    for parent_path, start, number, key, title in inline:
        parent = by_path.get(parent_path)
        siblings = parent.children if parent else roots
        path = f"{parent_path}/{key}" if parent_path else key
        if path in by_path:
            continue
        node = outline.Heading(
            number=number,
            key=key,
            style="inline",
            level=(parent.level + 1) if parent else 1,
            title=title,
            body="",
            line=-1,
            path=path,
        )
        by_path[path] = node
        starts[id(node)] = start
        siblings.append(node)
        touched.append(siblings)
    for siblings in {id(s): s for s in touched}.values():
        siblings.sort(key=lambda heading: starts.get(id(heading), 0))
