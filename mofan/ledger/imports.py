"""Importing an existing Excel ledger: find the header row wherever it sits, read merged cells,
map the usual headers (the user may correct the mapping), read Chinese deadlines, match unit
names to the unit tree; then all rows or none, with an error workbook marking each bad cell."""

import re
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from django.conf import settings
from django.db import transaction

from mofan.audit import services as audit
from mofan.core import sheets
from mofan.core.errors import InvalidInput
from mofan.core.uploads import check_upload
from mofan.docparse import deadlines
from mofan.ledger.choices import ReportCycle
from mofan.ledger.models import Item, Ledger
from mofan.ledger.services import NewItem, add_items_in_bulk
from mofan.orgs.models import Person, Unit
from mofan.orgs.validation import mask_personal_numbers

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000

FIELDS = {
    "number": "序号",
    "source": "任务来源",
    "content": "任务内容",
    "lead_unit": "牵头单位",
    "co_units": "配合单位",
    "owners": "责任人",
    "deadline": "完成时限",
    "progress": "进展情况",
}
SYNONYMS = {
    "number": ("序号", "编号"),
    "source": ("任务来源", "来源", "依据", "文件名称", "批示内容"),
    "content": (
        "任务内容",
        "工作任务",
        "重点任务",
        "具体任务",
        "任务事项",
        "工作内容",
        "任务",
        "事项",
        "整改措施",
    ),
    "lead_unit": ("牵头单位", "牵头部门", "主责单位", "责任单位"),
    "co_units": ("配合单位", "协办单位", "参与单位", "配合部门", "责任单位"),
    "owners": ("责任人", "具体责任人", "联系人", "经办人"),
    "deadline": ("完成时限", "完成时间", "办结时限", "时间节点", "时限要求", "时限"),
    "progress": ("进展情况", "落实情况", "工作进展", "完成情况", "推进情况"),
}
_SPLIT = re.compile(r"[、，,；;\s/]+")


@dataclass
class Sheet:
    header_row: int  # 1-based
    headers: list[str]
    rows: list[tuple[int, list]]  # (1-based row number, cell values with merged cells filled)
    mapping: dict[str, int]  # field → 0-based column


@dataclass
class CellError:
    row: int
    field: str
    message: str

    @property
    def header(self) -> str:
        return FIELDS.get(self.field, "整行")


@dataclass
class Result:
    created: int = 0
    errors: list[CellError] = field(default_factory=list)
    error_workbook: Path | None = None


def _clean(value) -> str:
    return re.sub(r"\s+", "", str(value)) if value is not None else ""


def read(path: Path) -> Sheet:
    """The first sheet with merged cells filled in, its header row found and mapped. Read lazily
    through the zip guard: reading stops once the row limit is passed."""
    found = sheets.read_first_sheet(path, max_rows=MAX_ROWS, merged=True)
    found.fill_merged()
    grid = found.rows
    best, best_score = None, 0
    for index, row in enumerate(grid[:20]):
        cells = [_clean(c) for c in row]
        score = sum(any(cell in names for names in SYNONYMS.values()) for cell in cells if cell)
        if score > best_score:
            best, best_score = index, score
    if best is None or best_score < 2:
        raise InvalidInput("未找到表头：请确认表格中有“任务内容”“牵头单位”“完成时限”等栏目。")
    headers = [_clean(c) for c in grid[best]]
    # A two-row header (e.g. 责任分工 over 牵头单位 / 配合单位) puts the real names one row lower.
    if best + 1 < len(grid):
        below = [_clean(c) for c in grid[best + 1]]
        if sum(any(cell in names for names in SYNONYMS.values()) for cell in below if cell) >= 2:
            headers = [b or h for h, b in zip(headers, below, strict=False)]
            best += 1
    data = [
        (number, row)
        for number, row in enumerate(grid[best + 1 :], start=best + 2)
        if any(_clean(c) for c in row)
    ]
    if not data:
        raise InvalidInput("表头以下没有数据行。")
    if len(data) > MAX_ROWS:
        raise InvalidInput(f"一次最多导入 {MAX_ROWS} 行，请拆分后导入。")
    return Sheet(best + 1, headers, data, guess_mapping(headers))


def guess_mapping(headers: list[str]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    has_lead = any(h in ("牵头单位", "牵头部门", "主责单位") for h in headers)
    for column, header in enumerate(headers):
        for name, synonyms in SYNONYMS.items():
            if name in mapping or header not in synonyms:
                continue
            # 责任单位 is the lead unit unless the sheet names a 牵头单位 too.
            if header == "责任单位" and name == "lead_unit" and has_lead:
                continue
            if header == "责任单位" and name == "co_units" and not has_lead:
                continue
            mapping[name] = column
            break
    return mapping


def _unit_index() -> dict[str, list[Unit]]:
    index: dict[str, list[Unit]] = {}
    for unit in Unit.objects.filter(dissolved_on__isnull=True).only(
        "pk", "name", "short_name", "path", "code"
    ):
        for key in {unit.name, unit.short_name}:
            if key:
                index.setdefault(_clean(key), []).append(unit)
    return index


def _match_units(text: str, index) -> tuple[list[Unit], str | None]:
    units, unknown, ambiguous = [], [], []
    for name in [n for n in _SPLIT.split(text) if n]:
        found = index.get(name, [])
        if len(found) == 1:
            units.append(found[0])
        elif found:
            ambiguous.append(name)
        else:
            unknown.append(name)
    if unknown:
        return units, f"单位“{'、'.join(unknown)}”在单位架构中未找到（请使用单位全称或简称）。"
    if ambiguous:
        return units, f"单位简称“{'、'.join(ambiguous)}”对应多个单位，请改用全称。"
    return units, None


def check(sheet: Sheet, ledger: Ledger) -> tuple[list[CellError], list[dict]]:
    """Every row checked against the mapping; returns the errors and the rows ready to save."""
    mapping = sheet.mapping
    if "content" not in mapping:
        raise InvalidInput("请指定“任务内容”对应的栏目。")
    units = _unit_index()
    people: dict[str, list[Person]] = {}
    for person in (
        Person.objects.in_units_of(ledger.unit).filter(user__isnull=False).select_related("unit")
    ):
        people.setdefault(person.name, []).append(person)
    errors: list[CellError] = []
    clean: list[dict] = []

    def cell(row, name):
        column = mapping.get(name)
        return row[column] if column is not None and column < len(row) else None

    for number, row in sheet.rows:
        out = {
            "row": number,
            "number": _clean(cell(row, "number")),
            "content": str(cell(row, "content") or "").strip(),
        }
        if not out["content"]:
            errors.append(CellError(number, "content", "任务内容不能为空。"))
        out["source"] = str(cell(row, "source") or "").strip()
        out["progress"] = str(cell(row, "progress") or "").strip()
        lead, message = _match_units(_clean(cell(row, "lead_unit")), units)
        if message:
            errors.append(CellError(number, "lead_unit", message))
        elif len(lead) > 1:
            errors.append(
                CellError(number, "lead_unit", "牵头单位只能有一个，其他单位请填入配合单位。")
            )
        out["lead_unit"] = lead[0] if lead else None
        co_units, message = _match_units(_clean(cell(row, "co_units")), units)
        if message:
            errors.append(CellError(number, "co_units", message))
        out["co_units"] = [u for u in co_units if u != out["lead_unit"]]
        owners = []
        for name in [n for n in _SPLIT.split(str(cell(row, "owners") or "")) if n]:
            found = people.get(name, [])
            if out["lead_unit"] is not None:
                found = [p for p in found if p.unit.path.startswith(out["lead_unit"].path)] or found
            if len(found) == 1:
                owners.append(found[0])
            else:
                reason = "有重名，无法确定是哪一位" if found else "未找到（须为有系统账户的人员）"
                errors.append(CellError(number, "owners", f"责任人“{name}”{reason}。"))
        out["owners"] = owners
        raw_deadline = cell(row, "deadline")
        try:
            parsed = deadlines.parse(raw_deadline, year=ledger.year)
            out["deadline"], out["ongoing"] = parsed.on, parsed.ongoing
            out["deadline_note"] = (
                ""
                if parsed.on is None or not isinstance(raw_deadline, str)
                else raw_deadline.strip()[:100]
            )
        except ValueError:
            errors.append(
                CellError(
                    number,
                    "deadline",
                    f"无法识别的完成时限“{raw_deadline}”，可写如 2026年6月底前、6月30日前、年内、三季度末、长期坚持。",
                )
            )
        clean.append(out)
    return errors, clean


def _error_workbook(user, sheet: Sheet, errors: list[CellError]) -> Path:
    """The rows again, each bad cell red with its reason; ID and mobile numbers masked wherever
    they stand, as the file is downloaded and kept by people."""
    folder = Path(settings.VAR_DIR) / "imports" / str(user.pk)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"errors-{uuid.uuid4().hex}.xlsx"
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    out = book.add_worksheet("错误标注")
    head = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    bad = book.add_format({"bg_color": "#F8D7DA", "font_color": "#9B1C1C", "border": 1})
    by_cell = {(e.row, sheet.mapping.get(e.field)): e.message for e in errors}
    by_row: dict[int, list[str]] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(f"{error.header}：{error.message}")
    for col, header in enumerate(sheet.headers):
        out.write_string(0, col, header, head)
        out.set_column(col, col, 16)
    note_col = len(sheet.headers)
    out.write_string(0, note_col, "错误说明", head)
    out.write_string(0, note_col + 1, "原行号", head)
    out.set_column(note_col, note_col, 60)
    for out_row, (number, row) in enumerate(sheet.rows, start=1):
        for col, value in enumerate(row[: len(sheet.headers)]):
            text = mask_personal_numbers("" if value is None else str(value))
            message = by_cell.get((number, col))
            if message:
                out.write_string(out_row, col, text, bad)
                out.write_comment(out_row, col, mask_personal_numbers(message))
            else:
                out.write_string(out_row, col, text)
        out.write_string(
            out_row, note_col, mask_personal_numbers("；".join(by_row.get(number, [])))
        )
        out.write_number(out_row, note_col + 1, number)
    out.freeze_panes(1, 0)
    book.close()
    return path


def check_workbook(upload) -> None:
    """An uploaded sheet is a real .xlsx within the size limit, or InvalidInput in Chinese."""
    if upload.size > MAX_BYTES:
        raise InvalidInput("文件超过 20 MB，请拆分后导入。")
    if not upload.name.lower().endswith((".xlsx", ".xlsm")):
        raise InvalidInput("请上传 .xlsx 格式的 Excel 文件（旧版 .xls 请先另存为 .xlsx）。")
    check_upload(upload, {".xlsx", ".xlsm"}, MAX_BYTES)


def save_upload(user, upload) -> str:
    """Keep the uploaded file between the mapping step and the import; returns its token. Only a
    real workbook within the zip guard's limits is kept; the daily clean-up removes what is left."""
    check_workbook(upload)
    folder = Path(settings.VAR_DIR) / "imports" / str(user.pk)
    folder.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex
    with open(folder / f"upload-{token}.xlsx", "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return token


def upload_path(user, token: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}", token or ""):
        raise InvalidInput("导入已过期，请重新上传文件。")
    path = Path(settings.VAR_DIR) / "imports" / str(user.pk) / f"upload-{token}.xlsx"
    if not path.is_file():
        raise InvalidInput("导入已过期，请重新上传文件。")
    return path


def remove_upload(user, token: str) -> None:
    """The kept file of an import that has been done: nothing to come back to."""
    upload_path(user, token).unlink(missing_ok=True)


def run(ledger: Ledger, sheet: Sheet, *, actor) -> Result:
    """All rows or none. Items are written in bulk; one audit record names what was imported."""
    errors, clean = check(sheet, ledger)
    if errors:
        audit.record(
            actor,
            "ledger.import.rejected",
            ledger,
            payload={"rows": len(clean), "errors": len(errors)},
        )
        return Result(errors=errors, error_workbook=_error_workbook(actor, sheet, errors))
    with transaction.atomic():
        sources = {}
        new = []
        for row in clean:
            if row["source"] and row["source"] not in sources:
                sources[row["source"]] = ledger.sources.create(
                    kind="document", title=row["source"][:300]
                )
            item = Item(
                content=row["content"],
                source=sources.get(row["source"]),
                lead_unit=row["lead_unit"],
                deadline=row.get("deadline"),
                deadline_note=row.get("deadline_note", ""),
                ongoing=row.get("ongoing", False),
                report_cycle=ReportCycle.MONTHLY,
            )
            note = f"由 Excel 导入（原序号 {row['number'] or '—'}）" + (
                f"；导入时的进展：{row['progress']}" if row["progress"] else ""
            )
            new.append(NewItem(item, row["co_units"], row["owners"], note))
        items = add_items_in_bulk(ledger, new, actor=actor)
        audit.record(
            actor,
            "ledger.import.completed",
            ledger,
            payload={"rows": len(items), "first": items[0].number, "last": items[-1].number},
        )
    return Result(created=len(items))


def template_path() -> str:
    """A blank ledger in the customary layout, for organs starting from scratch."""
    handle = tempfile.NamedTemporaryFile(
        prefix="mofan-ledger-template-", suffix=".xlsx", delete=False
    )  # noqa: SIM115
    handle.close()
    book = xlsxwriter.Workbook(handle.name)
    sheet = book.add_worksheet("台账")
    head = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "align": "center"})
    for col, header in enumerate(FIELDS.values()):
        sheet.write_string(0, col, header, head)
        sheet.set_column(col, col, 30 if header in ("任务内容", "进展情况") else 14)
    sheet.write_comment(
        0,
        list(FIELDS).index("deadline"),
        "可写：2026年6月底前、6月30日前、年内、三季度末、长期坚持，或日期。",
    )
    book.close()
    return handle.name
