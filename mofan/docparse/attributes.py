"""Units, owners and deadlines that a document writes next to a task, e.g.
"（牵头单位：办公厅；配合单位：人事司、财务司；2026年6月底前完成）", "由机关党委负责",
"办公厅牵头，人事司配合". The task text is returned without the annotation. Plain Python."""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from mofan.docparse.units import BODY_ENDINGS, ending

# Separators of a list of names, outside parentheses: "各党总支（党委、直属党支部）" is one name.
_SPLIT = re.compile(r"[、，,；;]+(?![^（(]*[）)])")
# The labels a document writes before units, persons or a time, by what they name: composed of
# who and what ("牵头" + "责任单位", "协同" + "责任单位", "分管" + "省领导"), so that one
# vocabulary reads the variants of many documents.
_BODY = r"(?:单位|部门|科室|处室)"
_LABELS = {
    "co": rf"(?:配合|协办|参与|协同|协同配合|协同责任|配合责任){_BODY}",
    "owner": r"(?:责任|分管|牵头负责|牵头|包抓|联系)(?:[省市县区])?领导|责任人",
    "lead": rf"(?:牵头|主责|责任|主要|主要责任|牵头责任|主办|承办|负责){_BODY}|部门分工",
    "deadline": (
        r"(?:完成|整改|办结|建设|实施)(?:时限|时间|期限)|时限(?:要求)?|时间(?:节点|安排|要求|进度)"
    ),
}
_LABEL_KINDS = [(kind, re.compile(pattern)) for kind, pattern in _LABELS.items()]
_LABEL = "|".join(f"(?:{pattern})" for pattern in _LABELS.values())
LABEL = _LABEL  # for a table's column names (decompose)


@lru_cache(maxsize=256)
def label_kind(label: str) -> str | None:
    """What a label names: "lead" or "co" units, "owner" (persons) or "deadline"; None when the
    words are no label."""
    label = label.strip()
    return next((kind for kind, pattern in _LABEL_KINDS if pattern.fullmatch(label)), None)


# Text with at most one level of parentheses inside: unit names such as "各部门党组（党委）".
_FLAT = r"(?:[^（）()]|[（(][^（）()]*[）)])"
# A trailing parenthesised annotation: （牵头单位：…；配合单位：…；…前完成）
_TRAILING = re.compile(
    r"[（(]("
    + _FLAT
    + r"*(?:"
    + _LABEL
    + r"|前完成|底前|年内|长期坚持)"
    + _FLAT
    + r"*)[）)]\s*[。；;]?\s*$"
)
# Labels written after the task's last sentence without parentheses: "…。牵头单位：市商务局；责任单位：…"
_INLINE = re.compile(r"(?<=[。；;])\s*((?:" + _LABEL + r")\s*[：:].*)$")
_VALUE = r"(?:[^；;，,。：:（）()]|[（(][^（）()]*[）)])"
_FIELD = re.compile(
    r"(" + _LABEL + r")\s*[：:]\s*(" + _VALUE + r"+(?:[、，,]" + _VALUE + r"+?)*)"
    r"(?=[；;。）)]|[，,]\s*(?:" + _LABEL + r")\s*[：:]|$)"
)
_DEADLINE_WORDS = re.compile(
    r"(\d{4}年)?(\d{1,2}月(\d{1,2}[日号])?|[一二三四]季度|上半年|下半年|年内|年底|年末)(底|末|中旬|上旬|下旬)?(前|以前)?(完成)?|长期坚持|持续推进|每[周月年季度]+\d{0,2}[日号]?前?"
)
# "由X负责。" closing a sentence names the lead unit; "由办公室负责抓好协调" is a sub-task instead.
_BY = re.compile(
    r"由([^，,。；;]{2,30}?)(?:牵头)?负责(?:组织实施|组织落实|具体落实|落实|实施|推进|办理|督办)?"
    r"(?=[。；;，,]|$)"
)
_BY_LEAD = re.compile(r"由([^，,。；;]{2,30}?)牵头(?=[，,。；;]|$)")
# "X牵头，Y配合": the co-units are those that assist, or take their share of the work ("（市政府
# 办公室牵头，市级各有关部门及各县市区政府按职责分工负责）"); in an aside whose sharing words were
# read off already, those named after 牵头 up to its end
_CO_SAYS = (
    r"配合|参与|协同|按(?:职能)?职责(?:分工)?(?:分别|共同)?(?:负责|落实)|分别负责|共同负责|负责落实"
)


def _lead_then_co(co: str) -> re.Pattern:
    return re.compile(
        rf"(?:^|(?<=[。；;，,（(]))由?([^，,。；;由（(]{{2,40}}?)牵头[，,、]\s*{co}(?:等)?"
        rf"(?:{_CO_SAYS}|(?=[)）]?$))"
    )


_LEAD_CO = _lead_then_co(r"([^，,。；;（(]{2,60}?)")
# …and with commas between the co-units' names ("省工业和信息化厅牵头，省委网信办，省发展改革委、科技厅
# 等配合"), taken only when every one of them is a body's name (not "X牵头，加强协调，Y配合")
_LEAD_CO_LIST = _lead_then_co(r"([^。；;（(]{2,100}?)")
_AND_OTHERS_END = re.compile(r"等$")


def _lead_co(text: str, whole: bool = False) -> re.Match | None:
    """Who leads and who assists in "X牵头，Y配合": the whole text, or a stretch of it."""
    find = (lambda pattern: pattern.fullmatch(text)) if whole else (lambda p: p.search(text))
    found = find(_LEAD_CO)
    if found is None:
        listed = find(_LEAD_CO_LIST)
        parts = _SPLIT.split(listed.group(2)) if listed else []
        if parts and all(_UNIT_END.search(_AND_OTHERS_END.sub("", part.strip())) for part in parts):
            found = listed
    return found


@dataclass
class Attributes:
    text: str
    lead_units: list[str] = field(default_factory=list)
    co_units: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    deadline_text: str | None = None

    def any(self) -> bool:
        return bool(self.lead_units or self.co_units or self.owners or self.deadline_text)


_UNIT_END = ending(BODY_ENDINGS)


# How names listed for a piece of work share it: "市农业农村局分别牵头", "省发展改革委、商务厅按职责
# 分工负责", "…乡镇人民政府按职责分工分别负责"
SHARING = r"按(?:职能)?职责(?:分工)?(?:分别|共同)?(?:负责|落实)?|(?:分别|共同)?(?:牵头|负责)"
_ROLE_WORD = re.compile(rf"(?:{SHARING})$")
_AND = re.compile(r"[和及与]")
_SINGLED = re.compile(r"[，,]?(?:尤其|特别)是")
# Asides on how the units share the work, no part of a name: the document's convention for the
# list ("县发改局（首位单位为牵头单位，下同）") and a share of it ("县发改局（分别牵头）")
NOTE = re.compile(r"[（(][^（）()]*(?:下同|为牵头|为主办)[^（）()]*[）)]")
_SHARE_ASIDE = re.compile(rf"[（(](?:{SHARING})[）)]$")


def _unbracketed(name: str) -> str:
    """A name without the bracket of an annotation it was cut from: "（区环保局" → "区环保局",
    while "各县（市、区）" keeps its own."""
    opens = name.count("（") + name.count("(")
    closes = name.count("）") + name.count(")")
    if opens == closes:
        return name
    if opens > closes and name[:1] in "（(":
        name = name[1:]
    elif closes > opens and name[-1:] in "）)":
        name = name[:-1]
    return name.strip()


def names(value: str) -> list[str]:
    """Unit names in a list written "X、Y和Z": 和/及/与 split only between whole unit names, so
    that "工业和信息化局" stays one."""
    out = []
    for part in _SPLIT.split(value):
        part = NOTE.sub("", _unbracketed(part.strip()))
        part = _ROLE_WORD.sub("", _SHARE_ASIDE.sub("", part))
        singled = [piece.strip() for piece in _SINGLED.split(part)]
        if len(singled) > 1 and all(_UNIT_END.search(piece) for piece in singled if piece):
            # "各部门尤其是交通重点建设项目建设单位": those singled out do the work with the rest
            out += [piece for piece in singled if piece]
            continue
        pieces = [piece.strip() for piece in _AND.split(part)]
        if len(pieces) > 1 and all(_UNIT_END.search(piece) for piece in pieces if piece):
            out += [piece for piece in pieces if piece]
        elif part:
            out.append(part)
    return out


def leads_and_assists(text: str) -> bool:
    """Whether a text only says who leads and who assists: "X牵头，Y配合", "X牵头，Y按职责分工负责"."""
    return _lead_co(text.strip(" 。；;"), whole=True) is not None


def assigns(sentence: str) -> bool:
    """Whether a sentence hands work to a unit: "由X牵头，Y配合", "由X负责"."""
    return bool(_lead_co(sentence) or _BY.search(sentence) or _BY_LEAD.search(sentence))


def _fill(found: Attributes, annotation: str) -> None:
    fields = _FIELD.findall(annotation)
    # "牵头单位：A；责任单位：B": beside a lead unit, the units "responsible" are the co-units.
    led = any(label.startswith(("牵头", "主责")) for label, _ in fields)
    for label, value in fields:
        kind = label_kind(label)
        if led and kind == "lead" and label.startswith("责任"):
            kind = "co"
        pair = _lead_co(value.strip(), whole=True) if kind == "lead" and "牵头" in value else None
        if pair:  # "部门分工：省发展改革委牵头，各地、各部门配合"
            found.lead_units += names(pair.group(1))
            found.co_units += names(pair.group(2))
        elif kind == "lead":
            found.lead_units += names(value)
        elif kind == "co":
            found.co_units += names(value)
        elif kind == "owner":
            found.owners += names(value)
        else:
            found.deadline_text = value.strip()


@lru_cache(maxsize=4096)
def from_labels(line: str) -> Attributes:
    """What a label line says: "牵头单位：市委督查室", "完成时限：2026年6月30日前". Read once per
    distinct line (a label under a heading speaks for every item of it); not to be changed."""
    found = Attributes(text="")
    _fill(found, line.strip().rstrip("。；;"))
    return found


def extract(text: str) -> Attributes:
    """The task text without its annotation, and what the annotation says."""
    found = Attributes(text=text.strip())
    # each pattern is tried at every place of the text: asked only where it can match, a text
    # that ends in a bracket, or one that holds a colon
    closed = found.text.rstrip(" \t\u3000。；;").endswith(("）", ")"))
    trailing = _TRAILING.search(found.text) if closed else None
    colon = "：" in found.text or ":" in found.text
    inline = None if trailing or not colon else _INLINE.search(found.text)
    annotation = ""
    if trailing:
        annotation = trailing.group(1)
        # An exact span of the document: the annotation goes, nothing is added.
        found.text = found.text[: trailing.start()].rstrip().rstrip("，,；;：:")
    elif inline:
        annotation = inline.group(1)
        found.text = found.text[: inline.start(1)].rstrip()
    _fill(found, annotation)
    if found.deadline_text is None and annotation:
        rest = _FIELD.sub("", annotation)
        deadline = _DEADLINE_WORDS.search(rest)
        if deadline:
            found.deadline_text = deadline.group(0)
    if not found.lead_units:
        pair = _lead_co(found.text)
        by = _BY.search(found.text) or _BY_LEAD.search(found.text)
        if pair:
            found.lead_units = names(pair.group(1))
            found.co_units = found.co_units or names(pair.group(2))
        elif by:
            found.lead_units = names(by.group(1))
    return found
