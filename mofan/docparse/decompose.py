"""From a document's paragraphs to its outline and its actionable items.

The document text is the paragraphs joined by line breaks; every item's text is an exact span of
it (``text[start:end]``), without its number and without a trailing annotation of units or
deadline. Plain Python.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from mofan.docparse import attributes, deadlines, outline
from mofan.docparse.units import Units

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


# -- what a sentence is ----------------------------------------------------------------------

_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")
_VERBS = (
    "建立健全|健全完善|加强|推进|推动|建立|健全|开展|落实|确保|完善|深化|强化|抓好|做好|抓紧|"
    "提升|提高|实施|组织|严格|规范|坚持|着力|加快|压实|压紧|树立|坚决|严肃|探索|优化|构建|打造|"
    "巩固|拓展|引导|鼓励|支持|召开|制定|修订|出台|编制|印发|梳理|排查|整治|整改|清理|培育|夯实|"
    "用好|发挥|贯彻|学习|宣传|教育|选派|配齐|配强|聚焦|围绕|紧扣|对照|依托|督促|指导|统筹|"
    "健全|完成|办好|办理|建设|创建|创新|改进|实行|执行|落细|筑牢|守牢|防范|防止|杜绝|加大|"
    "强化|增强|扩大|促进|保障|维护|服务|营造|弘扬|传承|激发|激励|用心|精简|减少|压减|控制|"
    "严控|严把|把好|把握|抓实|抓细|深挖|查处|核查|检查|督查|督办|考核|评估|总结|谋划|部署|"
    "提请|报送|上报|报告|反馈|公开|发布|推广|应用|运用|打通|畅通|补齐|补强|聚力|集中|全力|"
    "稳定|稳住|保持|实现|推行|争取|力争|确立|做实|做强|做优|壮大|改善|增加|降低|减轻|推出|启动|"
    "举办|安排|明确|细化|分解|兑现|抓牢|织密|加速|引进|培养|选拔|配备|开发|新建|改造|修复|治理|"
    "整顿|清查|纠治|纠正|遏制|惩治|打击|化解|处置|应对|守住|扛起|扛牢|担起|履行|承担|建好|管好|"
    "办实|保护|节约|回应|解决|缩短|提速|简化|取消|下放|调整|审议|研究|听取|传达|开好|组建|成立|"
    "设立|推荐|评选|表彰|申报|参加|配合|协助|协调|压降|延伸|覆盖|普及|倡导|选树|宣讲|解读|"
    "落细落实|严防|严禁|禁止|全面|持续"
)
_ADVERBS = (
    "进一步|继续|全面|深入|持续|切实|认真|扎实|大力|着力|积极|不断|坚决|严格|加快|有序|稳步|"
    "扎实有序|及时|主动|重点|统筹|协同|集中|全力|高质量|按期|按时|定期|按月|按季度|逐步"
)
_GENERIC = re.compile(
    r"(?:高度重视|认真组织实施|细化(?:工作)?措施|抓好落实|落到实处|按要求报送|及时报告|"
    r"加强沟通|形成合力|确保实效|确保.{0,6}取得实效)"
)
_DIRECTIVE_START = re.compile(rf"^(?:{_ADVERBS})*(?:{_VERBS})")
_SUBJECT_VERB = re.compile(
    rf"^[^，,。；;“”是的了]{{2,16}}?(?:{_ADVERBS}|每[月季年周][^，,。]{{0,6}}?)*(?:{_VERBS})"
)
# 要 as a modal verb, not inside a noun or adverb (主要, 重要, 需要, 纲要, 只要, 要求, 要点 …)
_MODAL_WORD = r"(?:(?<![主重需纲摘概只必首紧显扼简提机次不将想])要(?![求点素件是闻务害领]|看到|清醒|认识到|看清)|必须|务必|应当|(?<![必无])须(?!知)|(?<![所必急无])需(?!要|求))"
_MODAL = re.compile(rf"^[^，,。；;：:]{{0,30}}?{_MODAL_WORD}")
# …or after a leading clause: "想问题、作决策、办事情要从人民群众的利益出发"
_MODAL_LATER = re.compile(rf"[，,；;][^，,。；;：:“”]{{0,24}}?{_MODAL_WORD}")
_BACKGROUND = re.compile(
    r"(取得|实现了|完成了|增长|下降|同比|比上年|比去年|达到了|\d+(?:\.\d+)?%|亿元|万人|已经|"
    r"过去一年|一年来|近年来|以来|得到|成为|表明|证明)"
)
_QUOTE = re.compile(
    r"^(?:习近平|总书记|党的二十大|党的十[八九]大|党中央|《[^》]+》)[^。]{0,40}?(?:指出|强调|要求|提出|明确)"
)
_PURPOSE = re.compile(
    r"^(?:为|为了|根据|按照|依据|现就|现将)[^。]{0,160}?(?:制定本|特制定|现就|现将|通知如下|方案如下|"
    r"意见如下|要点如下|如下|制定)"
)
_CLOSING = re.compile(
    r"(?:结合实际|认真贯彻落实|认真贯彻执行|抓好贯彻落实|遵照执行|特此通知|执行中遇到|"
    r"工作中遇到|实施中遇到|及时报告|及时反馈|本(?:办法|规定|方案|细则|意见)(?:自|由))"
)
_CONTACT = re.compile(r"(?:^|(?<=[。；;！]))[^。；;]{0,12}?(?:联系人|联系电话|联系方式)\s*[:：].*$")
# What a meeting decided is work to do: "会议同意举办…", "会议原则同意…", "会议决定…"
_DECIDED = re.compile(r"^(?:会议|党组|党委|常务会)(?:原则)?(?:同意|决定|议定|确定|明确)")
_ASSIGNMENT_ONLY = re.compile(
    r"^(?:由[^，,。；;]{2,30}?(?:牵头)?负责(?:组织实施|组织落实|具体落实|落实|实施|推进|办理|督办)?|由?[^，,。；;]{2,30}?牵头[，,][^，,。；;]{2,60}?(?:配合|参与))[。；;]?$"
)
# "…前完成", "6月底前全部整改到位": a sentence that sets a date for work
_DUE = re.compile(
    r"前(?:全部|全面|基本)?(?:整改|落实|组织)?(?:完成|到位|办结|报送|上报|形成|建成|出台|印发|实现)"
)
# A finding states a problem, not work: "学习计划性不强。", "落实责任有差距。"
_PROBLEM = re.compile(
    r"(?:不强|不够|不足|不到位|不紧密|不严格?|不实|不力|不高|不深入?|不规范|不健全|不完善|不及时|"
    r"缺失|缺乏|薄弱|滞后|有差距|有待加强|有待提高|问题突出|较为突出|仍然存在)[的问题]*[。；;]?$"
)
# The rallying close of a report or speech, however long.
_RALLY = re.compile(
    r"^(?:各位代表|同志们|让我们)|紧密地?团结在|(?:努力奋斗|团结奋斗|不懈奋斗|而奋斗)[！!。]$"
)
# The covering notice's own sentence: "《X》已经市政府同意，现印发给你们，请认真贯彻执行。"
_COVERING = re.compile(r"(?:印发给你们|转发给你们|印发你们|已经[^。]{0,20}同意)")
_RULE = re.compile(
    r"(?:每(?:周|月|季度|季|半年|年|学期)[^。；;]{0,14}?(?:至少|不少于|一次|1次|两次|2次)|"
    r"定期召开|原则上|一律|不得|严禁|(?<!令行)禁止|不准|应当每|每半年至少|每年至少)"
)
_RULE_DOCUMENT = re.compile(r"(?:办法|规定|规则|细则|准则|条例|制度)(?:（试行）)?$")
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
    r"([^，,。；;：:“”]{2,40}?)(?:要|必须|务必|应当|须|负责)"
)
# A short setting before the subject: "会后，各党支部要…", "同时，机关纪委要…"
_SETTING = re.compile(
    r"^(?:会前|会后|会上|会中|同时|此外|其中|今年|年内|近期|下一步|每年|年初|年底|"
    r"(?:按照|根据|依据|为了?|围绕|对照|结合|针对)[^，,。；;]{1,80})[，,]"
)
# "省直机关工委负责统筹协调": a unit made responsible for work
_RESPONSIBLE = re.compile(r"^[^，,。；;：:“”]{2,16}?负责(?!人|同志|制|任)")
# A sentence that is nothing but a quotation: “宣传思想工作就是政治工作”，“…”。
_QUOTATION = re.compile(r"“[^“”]+”(?:[，,、；;]“[^“”]+”)*[。！!]?")
_GENERIC_UNITS = re.compile(
    r"^各(?:级|地区|部门|单位|处室|司局|直属|党支部|党组织|地|区|县|市|乡|"
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
# Phases of a plan: "动员部署阶段（3月）：…", "集中整治阶段：4月至10月。"
_STAGE = re.compile(
    r"(?:^|(?<=[。；;！\s]))((?:第[一二三四五六七八九十]+阶段|[^，,。；;：:（）()]{2,8}阶段)"
    r"(?:[（(][^（）()]{1,24}[）)])?)[：:，,]"
)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"

_LABEL_LINE = re.compile(
    r"^(?:牵头单位|牵头部门|责任单位|责任部门|主责单位|配合单位|配合部门|协办单位|参与单位|责任人|"
    r"责任领导|分管领导|完成时限|完成时间|时限要求|时限|时间节点|办结时限|整改时限)\s*[：:]"
)
_BACKGROUND_SECTION = re.compile(
    r"(?:指导思想|总体要求|基本原则|工作目标|主要目标|总体目标|工作回顾|回顾|主要成效|成效|成绩|形势|"
    r"背景|现状|存在的问题|存在问题|主要问题|问题分析|原因分析|基本情况|有关情况|工作开展情况|"
    r"^主题$|活动主题|会议主题|目的意义|重要意义|"
    r"适用范围|总则|附则)"
)
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
    r"(?:(?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}[日号])?(?:底|末|中旬|上旬|下旬)?|[一二三四1-4]季度(?:末|底)?"
    r"|上半年|下半年|年底|年末)(?:前|以前))"
    r"|(?:(?:\d{4}年)?\d{1,2}月(?:至|到|—|～)(?:\d{4}年)?\d{1,2}月(?:底|末)?)"
    r"|(?:(?<=[（(])(?:\d{4}年)?\d{1,2}月(?:(?:至|到|—|～)(?:\d{4}年)?\d{1,2}月)?(?=[）)]))"
    r"|(?:今年内|今年底前|年内|年底前|年末前|本年度内)"
    r"|(?:\d{4}年(?:底前|年底前|内))"
    r"|(?:(?:\d{1,2}|[一二三四五六七八九十两]{1,3})(?:年|个月)内)"
    r"|(?:\d{1,3}个(?:工作日|自然日)内)"
    r"|(?:每(?:周|月|季度|半年|年)(?:\d{1,2}[日号]|末|底)前)"
    r"|(?:于(?:\d{4}年)?\d{1,2}月(?:\d{1,2}[日号]|上旬|中旬|下旬|底|末)?(?:前|以前)?)"
)
_UNIT_SUFFIX = re.compile(
    r"(?:委员会|办公厅|办公室|委|厅|局|处|科|室|部|办|中心|支部|党委|纪委|团委|工会|司|组|院|所|馆|站)$"
)
# "由人事处负责组织实施", "由机关党委根据会议意见修改完善后印发": the unit named after 由
_BY_LOOSE = re.compile(
    r"由([^，,。；;由]{2,14}?)(?:牵头|负责|会同|根据|组织|统筹|按照|结合|研究|抓好|做好|具体)"
)
_ANNOTATION_DEADLINE = re.compile(
    r"长期坚持|持续推进|长期|常态化|按期|" + _DEADLINE_IN_TEXT.pattern
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


def _is_date_line(text: str) -> bool:
    stripped = re.sub(r"[\s（）()]", "", text)
    return bool(
        re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", stripped)
        or re.fullmatch(_CN_DATE.pattern, stripped)
    )


def _frame(lines: list[_Line]) -> tuple[str | None, date | None, set[int]]:
    """The title, the date and the lines that are neither outline nor body (doc number, the
    addressee, signature, date, 附件/抄送 notes)."""
    title, when, skip = None, None, set()
    for index, line in enumerate(lines[:8]):
        text = line.text
        if outline.match_heading(text):
            break
        if _DOC_NUMBER.search(text) and len(text) <= 40:
            skip.add(index)
        elif text.startswith(("（", "(")) and _date_of(text) and len(text) <= 60:
            when = when or _date_of(text)
            skip.add(index)
        elif _is_date_line(text):
            when = when or _date_of(text)
            skip.add(index)
        elif re.search(r"[：:]$", text) and len(text) <= 60:
            skip.add(index)  # 主送: 各处室、各直属单位：
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


# -- sentences and clauses -------------------------------------------------------------------


def _sentences(text: str, offset: int) -> list[tuple[int, int]]:
    spans = []
    for found in _SENTENCE.finditer(text):
        if found.group(0).strip():
            start = found.start() + len(found.group(0)) - len(found.group(0).lstrip())
            spans.append((offset + start, offset + found.end()))
    return spans


def _directive(sentence: str, loose: bool = False) -> str | None:
    """Why a sentence directs work ("含部署用语“要”"), or None if it does not."""
    if _QUOTATION.fullmatch(sentence.strip()):
        return None
    sentence = sentence.strip().lstrip("“‘")
    if _QUOTE.match(sentence) or _PURPOSE.match(sentence) or _COVERING.search(sentence):
        return None
    if _RALLY.search(sentence) or _PROBLEM.search(sentence):
        return None
    if _is_closing(sentence):
        return None
    modal = _MODAL.match(sentence) or _MODAL_LATER.search(sentence)
    if modal:
        word = re.search(_MODAL_WORD, modal.group(0)).group(0)
        return f"含部署用语“{word}”"
    verb = _DIRECTIVE_START.match(sentence)
    if verb:
        return f"以“{verb.group(0)[-2:]}”开头的部署句"
    if attributes.assigns(sentence):
        return "明确了牵头或负责单位"
    if _DECIDED.match(sentence):
        return "会议议定事项"
    if _RESPONSIBLE.match(sentence) and not _BACKGROUND.search(sentence):
        return "明确了负责单位"
    if _DUE.search(sentence) and not _BACKGROUND.search(sentence):
        return "明确了完成时限"
    if loose and _SUBJECT_VERB.match(sentence):
        return "主语后接部署动词"
    return None


def _is_closing(sentence: str) -> bool:
    """A closing formula or generic requirement ("请结合实际，认真贯彻落实")."""
    sentence = sentence.strip()
    return len(sentence) <= 60 and bool(_CLOSING.search(sentence) or _GENERIC.search(sentence))


def _clauses(text: str) -> list[tuple[str, int, int]]:
    """Enumerated clauses inside a paragraph: (marker, start, end) with offsets in `text`, the
    marker left out of the span. Empty unless the enumeration starts at one and counts up."""
    for style, pattern in _CLAUSE_STYLES:
        marks = []
        expected = 1
        for found in pattern.finditer(text):
            token = found.group(1) or found.group(2)
            value = _CIRCLED.index(token) + 1 if style == "circled" else cn_number(token)
            if value == expected:
                marks.append(found)
                expected += 1
        if len(marks) >= 2:
            return _clause_spans(text, marks, style)
    order = [found for found in _ORDER.finditer(text)]
    words = [found.group(1) for found in order]
    if len(order) >= 2 and words[0] == "首先":
        return _clause_spans(text, order, "order")
    stages = list(_STAGE.finditer(text))
    if len(stages) >= 2:
        return _clause_spans(text, stages, "stage")
    return []


def _clause_spans(text: str, marks: list, style: str) -> list[tuple[str, int, int]]:
    spans = []
    for position, found in enumerate(marks):
        start = found.end()
        while start < len(text) and text[start] in "，,、：: ":
            start += 1
        end = marks[position + 1].start() if position + 1 < len(marks) else len(text)
        while end > start and text[end - 1] in "；;，, ":
            end -= 1
        marker = found.group(0).strip("，,、 ")
        if style == "paren":
            marker = f"（{found.group(1)}）"
        elif style == "stage":
            # The phase's name stays in the item ("动员部署阶段：3月底前完成"); the path gets it too.
            start = found.start(1)
            marker = re.sub(r"[（(].*", "", found.group(1))
        spans.append((marker, start, end))
    return spans


# "会议要求，要压实整改责任。": the lead-in before a run-in heading is not part of the item.
_LEAD_IN = re.compile(
    r"^(?!按照|根据|依据|对照)[^，,。；;“”]{0,12}?(?:要求|强调|指出|提出|明确)[，,：:]\s*"
)
_HEAD_END = ("。", "：", ":", "！")
# A sentence that tells what happened is no heading: "会议听取了汇报。"
_NARRATIVE = re.compile(r"了|过|^(?:会议|我们|全[市省区县局]|今年|去年|目前|截至|近年)")
# List marks in front of a paragraph: "——坚持问题导向。", "● 加强…"
_BULLET = re.compile(r"^(?:——|—|－|-|•|●|■|◆|◇|★|☆|▲|►|√)\s*")


def _head(sentence: str, first: bool) -> int | None:
    """If a sentence is a run-in heading ("要压实整改责任。", "合力推进。"), where the heading
    starts in it (after a lead-in such as "会议要求，"); None otherwise. Mid-paragraph only a
    heading that begins with 要 counts: a short sentence there is usually just a short task."""
    lead = _LEAD_IN.match(sentence)
    offset = lead.end() if lead else 0
    bullet = _BULLET.match(sentence[offset:])
    offset += bullet.end() if bullet else 0
    head = sentence[offset:].strip()
    core = head.rstrip("。：:！ ")
    if not head.endswith(_HEAD_END) or not 2 <= len(core) <= 20:
        return None
    if any(mark in core for mark in "，,；;") or _BACKGROUND.search(core):
        return None
    if "、" in core and not first:
        return None
    if _NARRATIVE.search(core) or re.search(r"^[^要]+要", core):
        return None  # "各基层党组织要加强学习。" is a sentence with its subject, no heading
    if core.startswith("要") and not core.startswith("要求"):
        return offset
    if (first or lead) and "是" not in core and not _QUOTE.match(core):
        return offset
    return None


def _runs(text: str, offset: int) -> tuple[list[tuple[int, int]], list[tuple[int, int, bool]]]:
    """A paragraph cut at its run-in headings: the sentences that stand alone, and one run per
    heading (start, end, whether it opens the paragraph) with the sentences that carry it out, up
    to the next heading or to a sentence that opens with 要 — a new point of its own."""
    sentences = _sentences(text, offset)
    loose: list[tuple[int, int]] = []
    runs: list[tuple[int, int, bool]] = []
    current: list = []  # [start, end, opens] of the run being read
    for index, (start, end) in enumerate(sentences):
        sentence = text[start - offset : end - offset]
        at = _head(sentence, first=index == 0)
        if at is not None and (index + 1 < len(sentences) or runs or current):
            if current:
                runs.append(tuple(current))
            current = [start + at, end, index == 0]
        elif current and not (_NEW_POINT.match(sentence) and text[current[0] - offset] == "要"):
            # Under a title ("压实责任。") the paragraph is its; under "要…。" a new 要 is a new point.
            current[1] = end
        else:
            if current:
                runs.append(tuple(current))
                current = []
            loose.append((start, end))
    if current:
        runs.append(tuple(current))
    return loose, runs


# A sentence that opens with 要 starts a point of its own, even inside a run-in heading's run.
_NEW_POINT = re.compile(r"^要(?!求)")


# -- attributes ------------------------------------------------------------------------------


class _Context:
    def __init__(self, units: Units, year: int, base: date | None, rule_document: bool):
        self.units, self.year, self.base, self.rule_document = units, year, base, rule_document


def _names(values: list[str], units: Units) -> list[str]:
    out: list[str] = []
    for value in values:
        name = units.canonical(value) if units else value
        if name and name not in out:
            out.append(name)
    return out


def _apply_deadline(item: Item, text: str, context: _Context) -> None:
    text = text.lstrip("于在")
    item.deadline_text = text
    if text.startswith("今年"):
        text = text[2:] or "年内"
    if text in ("按期", "按时"):
        return
    if text.startswith("长期") or text in ("持续推进", "常态化"):
        item.ongoing = True
        return
    try:
        found = deadlines.parse(text, year=context.year, base=context.base)
    except (ValueError, KeyError):
        return
    item.deadline, item.recurrence, item.ongoing = found.on, found.recurrence, found.ongoing


def _annotate(
    item: Item, document: str, context: _Context, labels: list[str], title: str = ""
) -> None:
    """Units, owners and deadline from the item's trailing annotation, from label lines that
    follow it ("牵头单位：…"), and from the text itself."""
    raw = document[item.start : item.end]
    found = attributes.extract(raw)
    kept = len(raw) - len(raw.lstrip()) + len(found.text)
    item.end = item.start + kept
    item.text = document[item.start : item.end]
    annotation = raw[kept:]
    lead, co, owners = list(found.lead_units), list(found.co_units), list(found.owners)
    deadline_text = found.deadline_text
    for label in labels:
        more = attributes.from_labels(label)
        lead += more.lead_units
        co += more.co_units
        owners += more.owners
        deadline_text = deadline_text or more.deadline_text
        annotation += label
    if deadline_text is None and annotation:
        special = _ANNOTATION_DEADLINE.search(annotation)
        deadline_text = special.group(0) if special else None
    if deadline_text is None:
        in_text = _DEADLINE_IN_TEXT.search(item.text) or _DEADLINE_IN_TEXT.search(title)
        if in_text:
            deadline_text = in_text.group(0)
    if deadline_text:
        _apply_deadline(item, deadline_text, context)
    if not lead:
        subject = None
        for sentence_start, _ in _sentences(item.text, 0)[:2]:
            sentence = _SETTING.sub("", item.text[sentence_start:], count=1)
            subject = _SUBJECT.match(sentence)
            if subject:
                break
        if subject:
            # the subject ends where adverbs of frequency or manner begin: "…中心组每月至少要"
            said = re.split(
                r"每[年季月周半天]|至少|不少于|进一步|切实|认真|积极|带头|均|都|也",
                subject.group(1),
            )[0]
            names = attributes.names(said)
            generic = [
                name for name in names if _GENERIC_UNITS.match(name) and not _ROLE.search(name)
            ]
            known = context.units.find(said) if context.units else []
            if generic and len(generic) == len(names):
                lead = generic
            elif known and not _ROLE.search(said):
                lead = known
            elif (
                not context.units
                and len(said) <= 12
                and all(_UNIT_SUFFIX.search(name) for name in names)
                and not _ROLE.search(said)
            ):
                lead = names
    if not lead:
        by = _BY_LOOSE.search(item.text)
        if by and (
            context.units.find(by.group(1)) if context.units else _UNIT_SUFFIX.search(by.group(1))
        ):
            lead = context.units.find(by.group(1)) if context.units else [by.group(1)]
    item.lead_units = _names(lead, context.units)
    item.co_units = [name for name in _names(co, context.units) if name not in item.lead_units]
    for role in _ROLE_SUBJECT.finditer(item.text):
        owners += [name for name in _ROLE.findall(role.group(0)) if name != "第一责任人"]
    item.owners = list(dict.fromkeys(owners))
    if _RULE.search(item.text) or (context.rule_document and item.deadline is None):
        if not item.deadline and not (item.recurrence and "前" in (item.deadline_text or "")):
            item.kind = "rule"


def annotate(
    text: str, *, units: Units | None = None, on: date | None = None, today: date | None = None
) -> Item:
    """What one piece of text says by itself — lead and co-units, owners, deadline — read the
    way the decomposition reads an item's own words: for a part of an item a person split off."""
    year = on.year if on else (today or date.today()).year
    item = Item(path="", start=0, end=len(text), paragraph=0, text=text)
    _annotate(item, text, _Context(units or Units(), year, on, False), [])
    return item


# -- the walk --------------------------------------------------------------------------------


def decompose(
    paragraphs: list[str],
    *,
    on: date | None = None,
    units: Units | None = None,
    today: date | None = None,
) -> Decomposition:
    """The outline and items of a document given as paragraphs. `on` is the document's date when
    the caller knows it; otherwise it is read from the document."""
    paragraphs = [p for p in (p.strip().strip("\u3000") for p in paragraphs) if p]
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
        # Minutes and briefs date themselves in their first lines: "2026年3月12日，局党组…召开"
        when = next((_date_of(line.text) for line in lines[:5] if _date_of(line.text)), None)
    when = on or when
    body = [index for index in range(len(lines)) if index not in skip]
    texts = [lines[index].text for index in body]
    body_lines = [lines[index] for index in body]
    plain = frozenset(
        position for position in range(len(body)) if _is_plain_heading(body_lines, position)
    )
    # The attached document's own title under a covering notice ("关于印发《X》的通知" … "X")
    # stands above the outline, not in it.
    first_numbered = next(
        (position for position, text in enumerate(texts) if outline.match_heading(text)),
        len(texts),
    )
    inner = [
        position
        for position in sorted(plain)
        if position < first_numbered
        and _TITLE_WORDS.search(texts[position])
        and (title is None or texts[position] in title or position == min(plain))
    ]
    if inner:
        title = texts[inner[0]] if title is None or "印发" in title else title
        body = [index for position, index in enumerate(body) if position not in inner]
        texts = [lines[index].text for index in body]
        body_lines = [lines[index] for index in body]
        plain = frozenset(
            position for position in range(len(body)) if _is_plain_heading(body_lines, position)
        )
    headings = outline.build(texts, plain)
    flat = outline.flatten(headings)

    year_hint = re.search(r"(20\d{2})年", title or "")
    year = when.year if when else int(year_hint[1]) if year_hint else (today or date.today()).year
    context = _Context(
        units or Units(), year, when, bool(title and _RULE_DOCUMENT.search(title.strip()))
    )
    items: list[Item] = []
    walker = _Walker(document, body_lines, context, items)

    first = flat[0].line if flat else len(body)
    walker.prose(range(0, first), path="", skip_background=True)
    background: set[int] = set()
    for position, heading in enumerate(flat):  # flat is in document order
        end = flat[position + 1].line if position + 1 < len(flat) else len(body)
        if heading.style != "plain" and _BACKGROUND_SECTION.search(heading.title or ""):
            background.update(id(h) for h in outline.flatten([heading]))
        if id(heading) in background:
            continue
        if heading.children:
            continue  # a section's lead-in is not an item
        walker.leaf(heading, range(heading.line + 1, end))
    items.sort(key=lambda item: item.start)
    _add_inline_headings(headings, flat, body_lines, walker.inline)
    number = next(
        (found for line in lines[:10] if (found := _DOC_NUMBER_FULL.search(line.text))), None
    )
    reference = number.group(0).strip() if number else None
    return Decomposition(document, paragraphs, offsets, title, when, headings, items, reference)


def _run_in_title(text: str) -> str:
    """The heading a clause or run opens with: up to its first full stop or semicolon, or its
    first comma when that would be long ("一是抓实党内集中教育。…" → "抓实党内集中教育")."""
    text = _BULLET.sub("", text.strip())
    head = re.split(r"[。；;！？!?：:]", text, maxsplit=1)[0].strip()
    if len(head) > 30:
        head = re.split(r"[，,]", head, maxsplit=1)[0]
    return head[:60]


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
        if any(h.path == path for h in siblings):
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
        starts[id(node)] = start
        siblings.append(node)
        touched.append(siblings)
    for siblings in {id(s): s for s in touched}.values():
        siblings.sort(key=lambda heading: starts.get(id(heading), 0))


class _Walker:
    def __init__(self, document: str, lines: list[_Line], context: _Context, items: list[Item]):
        self.document, self.lines, self.context, self.items = document, lines, context, items
        # Headings inside paragraphs (一是…, 首先…, “要压实整改责任。”): (parent path, offset,
        # number, key, title), put into the outline after the walk.
        self.inline: list[tuple[str, int, str, str, str]] = []

    def _add(
        self, path, start, end, paragraph, confidence, reason, labels=(), title: str = ""
    ) -> Item | None:
        while start < end and self.document[start] in " \u3000：:，,":
            start += 1
        if end - start < 4:
            return None
        item = Item(path, start, end, paragraph, "", confidence=confidence, reason=reason)
        _annotate(item, self.document, self.context, list(labels), title=title)
        if len(item.text) < 4:
            return None
        self.items.append(item)
        return item

    def _labels_after(self, indices) -> tuple[list[int], list[str]]:
        content, labels = [], []
        for index in indices:
            if _LABEL_LINE.match(self.lines[index].text):
                labels.append(self.lines[index].text)
            else:
                content.append(index)
        return content, labels

    def leaf(self, heading: outline.Heading, following: range) -> None:
        line = self.lines[heading.line]
        content, labels = self._labels_after(following)
        if heading.style == "plain":
            self.prose(content, path=heading.path, labels=labels)
            return
        rest_start = line.start + len(line.text) - len(line.text.lstrip()) + len(heading.number)
        while rest_start < line.start + len(line.text) and self.document[rest_start] in " \u3000":
            rest_start += 1
        rest = self.document[rest_start : line.start + len(line.text)]
        pieces = [(rest_start, rest, line.paragraph)] + [
            (self.lines[i].start, self.lines[i].text, self.lines[i].paragraph) for i in content
        ]
        if heading.body:
            body_start = rest_start + len(rest) - len(heading.body)
            body = [(body_start, heading.body, line.paragraph)] + pieces[1:]
        else:
            body = pieces[1:] if heading.title else pieces
        if _clauses(rest) and not any(_clauses(text) for _, text, _ in body):
            body = [pieces[0]] + pieces[1:]  # "13．整治形式主义，一是…；二是…" in one line
        enumerated = any(_clauses(text) for _, text, _ in body)
        own = attributes.extract(rest).text  # the heading line without its annotation
        complete = (
            _ENDS_SENTENCE.search(own)
            and not _clauses(rest)
            and (len(own) > 20 or re.search(r"[，,；;]", own))  # "加强书记队伍建设。" is a title
        )
        if (
            complete
            and len(pieces) > 1
            and (
                enumerated
                or (
                    _directive(own, loose=True)
                    and any(self._directs(text) for _, text, _ in pieces[1:])
                )
            )
        ):
            # A numbered task complete in its line, then paragraphs with tasks of their own
            # ("4．…。" then "各单位要一是…二是…" or "要压实责任。…"): each is kept.
            end = rest_start + len(rest)
            self._add(heading.path, rest_start, end, line.paragraph, 0.95, "编号条目", labels)
            self._pieces(pieces[1:], heading.path, labels)
            return
        if enumerated:
            # The heading names the subject; the clauses are the items.
            self._pieces(body, heading.path, labels)
            return
        if (
            heading.title
            and not heading.body
            and (len(content) >= 2 or (len(content) == 1 and self._several(pieces[1][1])))
        ):
            # A section heading over prose: the prose's own tasks are the items.
            self.prose(content, path=heading.path, labels=labels)
            return
        if len(pieces) == 1 and heading.title and not heading.body:
            if not _ENDS_SENTENCE.search(rest.strip()) and not _directive(
                heading.title, loose=True
            ):
                return  # a bare section name such as "工作要求"
        end = pieces[-1][0] + len(pieces[-1][1])
        whole = self.document[rest_start:end]
        # Under a heading that is a title only, the item is the text below it; the title stays
        # in the outline (and in the path), and lends the item a deadline it may name.
        titled = heading.title and not heading.body and not _ENDS_SENTENCE.search(rest.strip())
        start = pieces[1][0] if titled and len(pieces) > 1 else rest_start
        said = [
            self.document[a:b]
            for text_start, text, _ in body
            for a, b in _sentences(text, text_start)
        ]
        if said and all(_is_closing(sentence) for sentence in said):
            return  # "各单位要高度重视，抓好落实" under 工作要求
        if (
            titled
            and not any(_directive(sentence, loose=True) for sentence in said)
            and any(_BACKGROUND.search(sentence) for sentence in said)
        ):
            return  # a review of the past under a heading that is itself a slogan
        confidence, reason = 0.95, "编号条目"
        if not _directive(whole, loose=True) and not _directive(heading.body or "", loose=True):
            confidence, reason = 0.75, "编号条目（未见部署用语）"
            if re.search(r"\d+(?:\.\d+)?%|同比|增长|下降|已经|取得", whole):
                return  # a numbered statistic or achievement, not work
        if self.context.rule_document and heading.style == "article":
            if re.match(r"^(?:为|为了|根据|本(?:办法|规定|细则|制度|条例))", rest):
                return  # the purpose, scope or entry-into-force article
        title = heading.title if start != rest_start else ""
        paragraph = self.lines[content[0]].paragraph if start != rest_start else line.paragraph
        self._add(heading.path, start, end, paragraph, confidence, reason, labels, title=title)

    def _pieces(self, pieces, path, labels) -> None:
        for start, text, paragraph in pieces:
            contact = _CONTACT.search(text)
            if contact:
                text = text[: contact.start()]  # "联系人：张某某，电话：…" closes many notices
            clauses = _clauses(text)
            if not clauses:
                self._paragraph(start, text, paragraph, path, labels)
                continue
            # An annotation closing the paragraph speaks for every clause in it.
            found = attributes.extract(text)
            kept = len(text) - len(text.lstrip()) + len(found.text)
            shared = list(labels)
            if kept < len(text):
                shared.append(text[kept:].strip().strip("（）()。；; "))
                clauses = _clauses(text[:kept])
            for marker, clause_start, clause_end in clauses:
                clause = text[clause_start:clause_end]
                self.inline.append(
                    (path, start + clause_start, marker, marker, _run_in_title(clause))
                )
                self._add(
                    f"{path}/{marker}" if path else marker,
                    start + clause_start,
                    start + clause_end,
                    paragraph,
                    0.9,
                    f"“{marker}”分项",
                    shared,
                )

    def prose(self, indices, path: str, labels=(), skip_background: bool = False) -> None:
        content, more = self._labels_after(indices)
        labels = list(labels) + more
        pieces = [
            (self.lines[i].start, self.lines[i].text, self.lines[i].paragraph) for i in content
        ]
        self._pieces(pieces, path, labels)

    def _directs(self, text: str) -> bool:
        before, runs = _runs(text, 0)
        return bool(runs) or any(_directive(text[a:b]) for a, b in before)

    def _several(self, text: str) -> bool:
        """Whether a paragraph holds more than one task: run-in headings, or several sentences
        that direct work."""
        before, runs = _runs(text, 0)
        if runs:
            return True
        return sum(1 for a, b in before if _directive(text[a:b])) >= 2

    def _paragraph(self, start: int, text: str, paragraph: int, path: str, labels) -> None:
        before, runs = _runs(text, start)
        previous: Item | None = None
        for sentence_start, sentence_end in before:
            sentence = self.document[sentence_start:sentence_end]
            lead = _LEAD_IN.match(sentence)  # "会议强调，" is not part of the task
            if lead:
                sentence_start += lead.end()
                sentence = sentence[lead.end() :]
            if _ASSIGNMENT_ONLY.match(sentence) and previous is not None:
                # "由X负责。" after a task says who does it: it belongs to that task.
                self.items.remove(previous)
                previous = self._add(
                    path, previous.start, sentence_end, paragraph, 0.7, previous.reason, labels
                )
                continue
            reason = _directive(sentence)
            previous = None
            if reason:
                previous = self._add(
                    path, sentence_start, sentence_end, paragraph, 0.7, reason, labels
                )
        for run_start, run_end, opens in runs:
            run = self.document[run_start:run_end]
            said = [run[a:b] for a, b in _sentences(run, 0)]
            if not any(_directive(sentence, loose=True) for sentence in said):
                continue
            if all(_is_closing(sentence) for sentence in said[1:]):
                continue
            reason = "段首小标题及其内容" if opens else "以“要”起句的小标题及其内容"
            title = _run_in_title(run)
            self.inline.append((path, run_start, "", title, title))
            inner = f"{path}/{title}" if path else title
            self._add(inner, run_start, run_end, paragraph, 0.85, reason, labels)
