"""层层分解 from pasted text: a unit's leader pastes the paragraph that says who does what, and
gets the sub-items it names — each with its text, the unit of their subtree it names and its
deadline — to check and correct before anything is written (services.decompose writes them)."""

import io
import re
from dataclasses import dataclass
from datetime import date

import xlsxwriter
from django.utils import timezone

from mofan import docparse
from mofan.access.scoping import Action
from mofan.core import uploads
from mofan.core.errors import InvalidInput
from mofan.core.templatetags.mofan import cndate
from mofan.docparse import deadlines
from mofan.ledger import imports, roles
from mofan.ledger.models import Item
from mofan.ledger.services import MAX_PARTS, SubItem
from mofan.orgs import pickers
from mofan.orgs.models import Person, Unit

MAX_TEXT = 5000
MAX_DOCUMENT_TEXT = 20_000
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
_OWNERS = r"[、，,；;\s/]+"


def _names(units) -> list[tuple[str, Unit]]:
    """Every name of the units, longest first (so 干部处 is found before 处)."""
    pairs = []
    for unit in units:
        aliases = [a for a in re.split(r"[、，,；;|\s]+", unit.aliases) if a]
        pairs += [(name, unit) for name in {unit.name, unit.short_name, *aliases} if name]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def document_text(data: bytes, name: str) -> str:
    """The text of an uploaded file of who does what (a department's own 落实方案), read as
    任务分解 reads documents; refused in Chinese when unreadable or longer than a split needs."""
    try:
        document = docparse.read(data, name, limits=uploads.office_limits())
    except docparse.DocumentError as error:
        raise InvalidInput(error.message) from error
    text = "\n".join(document.paragraphs).strip()
    if not text:
        raise InvalidInput("文件中没有文字内容。")
    if len(text) > MAX_DOCUMENT_TEXT:
        raise InvalidInput(
            f"文件有 {len(text):,} 字，超过 2 万字：层层分解请上传或粘贴与本事项有关的部分；"
            "整份文件请在台账的“分解文件”中分解。"
        )
    return text


PART_THRESHOLD = 0.2


def proposals(
    item: Item, *, actor, text: str, today: date | None = None, limit: int = MAX_TEXT
) -> list[SubItem]:
    """The sub-items a pasted paragraph (or several) names, for the units the actor may split
    work among. A part's lead unit is the first of those units its words name; its deadline the
    one it states, never later than the item's own; with none stated, the item's."""
    text = (text or "").strip()[:limit]
    if not text:
        return []
    units = list(Unit.objects.restrict(actor, Action.DECOMPOSE))
    names = _names(units)
    entries = [
        [unit.name, unit.short_name, *re.split(r"[、，,；;|\s]+", unit.aliases)] for unit in units
    ]
    found = docparse.decompose(
        text.splitlines(),
        units=docparse.Units.from_entries(entries),
        today=today or timezone.localdate(),
        # the pasted text is the work to split by the user's own choice: a sentence is a part
        # unless the model is fairly sure it is something else (a lone sentence reads to it like
        # a document's opening line, which is seldom work)
        threshold=PART_THRESHOLD,
    )
    by_name = {name: unit for name, unit in names}
    rows = []
    for candidate in found.items:
        if candidate.kind != "task":
            continue
        lead = next((by_name[n] for n in candidate.lead_units if n in by_name), None)
        if lead is None:  # the parser missed it (e.g. "人才处于年底前"): the first unit named
            lead = next((unit for name, unit in names if name in candidate.text), None)
        deadline = candidate.deadline or item.deadline
        if deadline and item.deadline and deadline > item.deadline:
            deadline = item.deadline
        rows.append((candidate.text, lead, deadline))
    # The people of the named units only, and the owners read in one query for all the parts.
    holders = roles.Holders(
        [lead.pk for _, lead, _ in rows if lead],
        people=Person.objects.restrict(actor, Action.DECOMPOSE),
    )
    chosen = [holders.match(text, lead.pk if lead else None).people for text, lead, _ in rows]
    people = Person.objects.in_bulk([pk for pks in chosen for pk in pks])
    parts = [
        SubItem(content=text, lead_unit=lead, deadline=deadline, owners=[people[pk] for pk in pks])
        for (text, lead, deadline), pks in zip(rows, chosen, strict=True)
    ]
    return parts


# --- 层层分解 from an Excel sheet ---------------------------------------------------------------

SHEET_COLUMNS = ("任务内容", "牵头单位", "责任人", "完成时限")


@dataclass
class SheetRead:
    parts: list[SubItem]
    errors: list[imports.CellError]
    ignored: list[str]  # headers of columns the split does not use


def parts_from_sheet(item: Item, *, actor, upload) -> SheetRead:
    """The sub-items an uploaded sheet lists, one a row (任务内容, 牵头单位, 责任人, 完成时限, the
    headers as the ledger import finds them). All rows or none: with any error, no part is
    given and each bad cell is named with its row, for the user to correct the sheet."""
    imports.check_workbook(upload)
    sheet = imports.read(upload)
    if "content" not in sheet.mapping:
        raise InvalidInput(
            "表中没有“任务内容”栏。请使用分解表模板，或把任务栏的表头改为“任务内容”。"
        )
    if len(sheet.rows) > MAX_PARTS:
        raise InvalidInput(f"一次最多分解为 {MAX_PARTS} 项子事项，表中有 {len(sheet.rows)} 行。")
    used = {"content", "lead_unit", "owners", "deadline", "number"}
    ignored = [sheet.headers[col] for name, col in sheet.mapping.items() if name not in used]
    units = Unit.objects.restrict(actor, Action.DECOMPOSE).filter(dissolved_on__isnull=True)
    people = (
        Person.objects.restrict(actor, Action.DECOMPOSE)
        .filter(user__isnull=False, user__is_active=True)
        .select_related("unit")
    )

    def cell(row, name) -> str:
        column = sheet.mapping.get(name)
        value = row[column] if column is not None and column < len(row) else None
        return "" if value is None else value

    unit_names = {str(cell(row, "lead_unit")).strip() for _, row in sheet.rows}
    known = pickers.by_names(units, unit_names)
    owner_names = {
        name
        for _, row in sheet.rows
        for name in re.split(_OWNERS, str(cell(row, "owners")))
        if name
    }
    by_name: dict[str, list[Person]] = {}
    for person in people.filter(name__in=owner_names):
        by_name.setdefault(person.name, []).append(person)
    parts, errors = [], []
    for number, row in sheet.rows:
        content = str(cell(row, "content")).strip()
        if not content:
            errors.append(imports.CellError(number, "content", "任务内容不能为空。"))
        name = str(cell(row, "lead_unit")).strip()
        lead = known.get(name)
        if not name:
            errors.append(imports.CellError(number, "lead_unit", "须填写牵头单位。"))
        elif lead is pickers.AMBIGUOUS:
            errors.append(
                imports.CellError(number, "lead_unit", f"“{name}”对应多个单位，请改用全称或编码。")
            )
            lead = None
        elif lead is None:
            errors.append(
                imports.CellError(number, "lead_unit", f"单位“{name}”不在您可分解的范围内。")
            )
        owners = []
        for owner in [n for n in re.split(_OWNERS, str(cell(row, "owners"))) if n]:
            found = by_name.get(owner, [])
            if lead is not None:  # a namesake elsewhere does not make the lead unit's ambiguous
                found = [p for p in found if p.unit.path.startswith(lead.path)] or found
            if len(found) == 1:
                owners.append(found[0])
            else:
                reason = (
                    "有重名，无法确定是哪一位" if found else "不在您可分解的范围内，或尚无系统账号"
                )
                errors.append(imports.CellError(number, "owners", f"责任人“{owner}”{reason}。"))
        deadline, raw = item.deadline, cell(row, "deadline")
        if str(raw).strip():
            try:
                deadline = deadlines.parse(raw, year=item.ledger.year).on
            except ValueError:
                deadline = None
                errors.append(
                    imports.CellError(
                        number,
                        "deadline",
                        f"无法识别的完成时限“{raw}”，可写如 2026年6月底前、6月30日前。",
                    )
                )
                raw = None  # said once
        if deadline is None and raw is not None and not item.ongoing:
            errors.append(imports.CellError(number, "deadline", "须填写具体的完成时限。"))
        elif deadline and item.deadline and deadline > item.deadline:
            errors.append(
                imports.CellError(
                    number, "deadline", f"完成时限不能晚于本事项的时限（{cndate(item.deadline)}）。"
                )
            )
        parts.append(SubItem(content=content, lead_unit=lead, deadline=deadline, owners=owners))
    return SheetRead([] if errors else parts, errors, ignored)


def sheet_template(item: Item, *, actor) -> bytes:
    """A sheet to fill in: the four columns, and on a second sheet the units the user may split
    work among, by name and code, so that a name typed matches one of them."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("分解表")
    head = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "align": "center"})
    for col, header in enumerate(SHEET_COLUMNS):
        sheet.write_string(0, col, header, head)
        sheet.set_column(col, col, 50 if header == "任务内容" else 18)
    sheet.write_comment(0, 1, "填写“可选单位”表中的单位名称或编码。")
    sheet.write_comment(0, 2, "须为有系统账号的人员，多人以顿号分隔；可不填。")
    limit = f"，不能晚于 {cndate(item.deadline)}" if item.deadline else ""
    sheet.write_comment(
        0, 3, f"可写 2026年6月底前、6月30日前或日期；不填则沿用本事项的时限{limit}。"
    )
    sheet.freeze_panes(1, 0)
    guide = book.add_worksheet("填写说明")
    guide.set_column(0, 0, 90)
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for row, line in enumerate(
        (
            f"本表用于把督办事项 {item.number}（{item.content[:40]}）分解给下级单位。",
            "在“分解表”中每行填写一项子事项，表头不要改动，不需要的行请删除。",
            "任务内容：必填，写明子事项要做的事。",
            "牵头单位：必填，填写“可选单位”表中的单位名称或编码（只能分解给您所在单位及其下级单位）。",
            "责任人：可不填；填写时须为有系统账号的人员姓名，多人以顿号分隔。",
            "完成时限：可写 2026年6月底前、6月30日前或日期；不填则沿用本事项的时限"
            + (f"，不能晚于 {cndate(item.deadline)}。" if item.deadline else "。"),
            "上传后系统逐行检查：有任何一处错误，整张表都不读入，并列出每处错误所在的行和栏目；"
            "读入后请在页面上核对，再保存或交办。",
        )
    ):
        guide.write_string(row, 0, line, wrap)
    units = book.add_worksheet("可选单位")
    for col, header in enumerate(("单位名称", "编码")):
        units.write_string(0, col, header, head)
    units.set_column(0, 0, 40)
    units.set_column(1, 1, 16)
    scope = Unit.objects.restrict(actor, Action.DECOMPOSE).filter(dissolved_on__isnull=True)
    for row, (name, code) in enumerate(scope.order_by("path").values_list("name", "code"), 1):
        units.write_string(row, 0, name)
        units.write_string(row, 1, code)
    book.close()
    return buffer.getvalue()
