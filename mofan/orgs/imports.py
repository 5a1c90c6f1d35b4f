"""Roster import from Excel: every row checked, all or nothing, and an error workbook that marks
each bad cell with its reason in Chinese."""

import re
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from django.conf import settings
from django.db import transaction

from mofan.access import crypto
from mofan.access.scoping import Action
from mofan.audit import services as audit
from mofan.core import sheets
from mofan.core.errors import InvalidInput
from mofan.core.masking import mask
from mofan.core.sheets import cell_text as _text
from mofan.core.uploads import check_upload, extension
from mofan.orgs import names, pickers, services, validation
from mofan.orgs.choices import ETHNICITIES, Education, Gender, MembershipKind
from mofan.orgs.models import Membership, Person

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    hint: str
    width: int = 14


COLUMNS = [
    Column("name", "姓名", True, "2 至 20 个字", 10),
    Column("gender", "性别", True, "男 / 女", 6),
    Column("ethnicity", "民族", True, "如：汉族", 8),
    Column("birth_date", "出生日期", True, "如：1985-06-01", 12),
    Column("id_number", "公民身份号码", True, "18 位，须与出生日期、性别一致", 22),
    Column("phone", "手机号码", False, "11 位手机号", 14),
    Column("education", "学历", False, "、".join(Education.labels), 12),
    Column("unit", "单位", True, "单位的全称、简称、别名或编码", 16),
    Column("job_title", "职务", False, "", 12),
    Column("rank", "职级", False, "", 12),
    Column("org", "所在党组织", True, "所在党支部的全称、简称或编码，须在您的管辖范围内", 24),
    Column("kind", "党员类别", True, "正式党员 / 预备党员", 10),
    Column("joined_on", "入党日期", True, "如：2010-07-01", 12),
    Column("confirmed_on", "转正日期", False, "正式党员必填，预备党员不填", 12),
    # Written by 导出为导入表 for people already registered; the row then updates that person, and
    # only if nobody changed them since the export (a stale sheet never overwrites silently).
    Column("version", "数据版本", False, "导出时生成，请勿修改；新增人员留空", 10),
]
BY_HEADER = {c.header: c for c in COLUMNS}
# Headers of earlier templates and of the roster export, so a sheet of either imports as well.
for _alias, _key in {"单位编码": "unit", "党组织编码": "org", "党组织": "org"}.items():
    BY_HEADER[_alias] = next(c for c in COLUMNS if c.key == _key)
_GENDERS = {label: value for value, label in Gender.choices}
_EDUCATION = {label: value for value, label in Education.choices}
# The other ways people write the same degree (学历), after brackets and spaces are made alike.
_EDUCATION_SPELLINGS = {
    Education.DOCTORATE: ("博士研究生", "博士", "研究生博士", "博士研究生毕业"),
    Education.MASTER: ("硕士研究生", "硕士", "研究生硕士", "研究生", "硕士研究生毕业"),
    Education.BACHELOR: ("本科", "大学", "大学本科毕业", "本科毕业"),
    Education.COLLEGE: ("大专", "专科", "大学专科毕业", "高职", "高职高专"),
    Education.SECONDARY: ("中专", "中等专科", "中等专业学校", "中技", "技校"),
    Education.HIGH_SCHOOL: ("高中", "初中", "小学", "高中以下", "初中及以下"),
}


def _education_key(text: str) -> str:
    return re.sub(r"[\s（）()]", "", text)


_EDUCATION_BY_KEY = {_education_key(label): value for label, value in _EDUCATION.items()}
for _value, _spellings in _EDUCATION_SPELLINGS.items():
    _EDUCATION_BY_KEY.update({_education_key(s): _value for s in _spellings})
_KINDS = {label: value for value, label in MembershipKind.choices}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass
class CellError:
    row: int  # 1-based row number in the sheet
    column: str  # column key
    message: str

    @property
    def header(self) -> str:
        return next(c.header for c in COLUMNS if c.key == self.column) if self.column else "整行"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=list)
    error_workbook: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def template_xlsx(rows=()) -> str:
    """The template users download from the roster page: blank, or filled with the given rows
    (dicts by column key, as 导出为导入表 writes them) to be edited and imported back."""
    handle = tempfile.NamedTemporaryFile(prefix="mofan-template-", suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    book = xlsxwriter.Workbook(handle.name)
    sheet = book.add_worksheet("党员名册")
    head = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "align": "center"})
    required = book.add_format(
        {
            "bold": True,
            "bg_color": "#FDE9E7",
            "border": 1,
            "align": "center",
            "font_color": "#9B1C1C",
        }
    )
    text = book.add_format({"num_format": "@"})
    for col, column in enumerate(COLUMNS):
        sheet.write_string(0, col, column.header, required if column.required else head)
        sheet.set_column(col, col, column.width, text)
        if column.hint:
            sheet.write_comment(0, col, column.hint)
    lists = {"gender": list(_GENDERS), "education": list(_EDUCATION), "kind": list(_KINDS)}
    for col, column in enumerate(COLUMNS):
        if column.key in lists:
            sheet.data_validation(
                1, col, MAX_ROWS, col, {"validate": "list", "source": lists[column.key]}
            )
    for number, row in enumerate(rows, start=1):
        for col, column in enumerate(COLUMNS):
            sheet.write_string(number, col, row.get(column.key) or "")
    sheet.freeze_panes(1, 0)
    guide = book.add_worksheet("填写说明")
    guide.set_column(0, 0, 16)
    guide.set_column(1, 1, 60)
    guide.write_row(0, 0, ["栏目", "填写要求"], head)
    for row, column in enumerate(COLUMNS, start=1):
        guide.write_row(
            row, 0, [column.header + ("（必填）" if column.required else ""), column.hint]
        )
    guide.write_string(
        len(COLUMNS) + 2,
        0,
        "导入规则：任一行有误则全部不导入，并提供标注了错误单元格的文件（身份证号、手机号已部分隐藏），请对照修改本表后重新导入。",
    )
    guide.write_string(
        len(COLUMNS) + 3,
        0,
        "修改已登记党员：在党员名册点“导出为导入表”，修改后导入本表即可更新；以公民身份号码对应人员，"
        "“数据版本”请勿改动，导出后他人已修改的人员将提示重新导出。",
    )
    book.close()
    return handle.name


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = _DATE.match(text)
    if not match:
        raise ValueError
    return date(int(match[1]), int(match[2]), int(match[3]))


def read_rows(upload) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header row and the data rows of the first sheet, found wherever the header sits. The
    file is checked to be a real .xlsx within the zip guard's limits, and read lazily: reading
    stops once the row limit is passed."""
    if extension(upload.name) == ".xls":
        raise InvalidInput("请上传 .xlsx 格式的 Excel 文件（旧版 .xls 请先另存为 .xlsx）。")
    check_upload(upload, {".xlsx"}, MAX_BYTES)
    rows = sheets.read_first_sheet(upload, max_rows=MAX_ROWS).rows
    header_index, headers = next(
        (
            (i, cells)
            for i, cells in (
                (i, [_text(c).replace("*", "").replace(" ", "") for c in row])
                for i, row in enumerate(rows[:20])
            )
            if "姓名" in cells and "公民身份号码" in cells
        ),
        (None, []),
    )
    if header_index is None:
        raise InvalidInput("未找到表头（须包含“姓名”“公民身份号码”等栏目），请使用导入模板。")
    present = {BY_HEADER[h].key for h in headers if h in BY_HEADER}
    missing = [c.header for c in COLUMNS if c.required and c.key not in present]
    if missing:
        raise InvalidInput(f"缺少必填栏目：{'、'.join(missing)}。")
    positions = {BY_HEADER[h].key: i for i, h in enumerate(headers) if h in BY_HEADER}
    data = []
    for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        values = {key: (row[i] if i < len(row) else None) for key, i in positions.items()}
        if all(_text(v) == "" for v in values.values()):
            continue
        data.append((number, values))
    if not data:
        raise InvalidInput("文件中没有数据行。")
    if len(data) > MAX_ROWS:
        raise InvalidInput(f"一次最多导入 {MAX_ROWS} 行，请拆分后导入。")
    return headers, data


def _check_rows(rows: list[tuple[int, dict]], user) -> tuple[list[CellError], list[dict]]:
    errors: list[CellError] = []
    clean: list[dict] = []
    # Units and organisations are named as people name them: full name, short name, alias or code.
    orgs = pickers.by_names(
        pickers.choices(user, "orgs", action=Action.CHANGE), (_text(v["org"]) for _, v in rows)
    )
    units = pickers.by_names(pickers.choices(user, "units"), (_text(v["unit"]) for _, v in rows))
    seen_ids: dict[str, int] = {}
    seen_phones: dict[str, int] = {}
    for number, values in rows:
        row_errors: dict[str, str] = {}
        out: dict = {"row": number}
        for column in COLUMNS:
            if column.required and _text(values.get(column.key)) == "":
                row_errors[column.key] = f"“{column.header}”不能为空。"
        name = _text(values.get("name"))
        if name and not 2 <= len(name) <= 20:
            row_errors["name"] = "姓名应为 2 至 20 个字。"
        out["name"] = name
        out["gender"] = _GENDERS.get(_text(values.get("gender")))
        if "gender" not in row_errors and out["gender"] is None:
            row_errors["gender"] = "性别只能填“男”或“女”。"
        out["ethnicity"] = _text(values.get("ethnicity"))
        if "ethnicity" not in row_errors and out["ethnicity"] not in ETHNICITIES:
            row_errors["ethnicity"] = "民族名称不规范，如：汉族、回族。"
        education = _text(values.get("education"))
        out["education"] = _EDUCATION_BY_KEY.get(_education_key(education), "")
        if education and not out["education"]:
            row_errors["education"] = f"学历只能填：{'、'.join(_EDUCATION)}。"
        out["kind"] = _KINDS.get(_text(values.get("kind")))
        if "kind" not in row_errors and out["kind"] is None:
            row_errors["kind"] = "党员类别只能填“正式党员”或“预备党员”。"
        for key in ("birth_date", "joined_on", "confirmed_on"):
            try:
                out[key] = _date(values.get(key))
            except ValueError:
                row_errors[key] = "日期格式不正确，请填写如 1985-06-01。"
                out[key] = None
        out["id_number"] = validation.normalise_id_number(_text(values.get("id_number")))
        out["phone"] = _text(values.get("phone"))
        for key, message in validation.person_errors(
            id_number=out["id_number"],
            birth_date=out["birth_date"],
            gender=out["gender"],
            phone=out["phone"],
        ).items():
            row_errors.setdefault(key, message)
        if out["kind"]:
            for key, message in validation.membership_errors(
                kind=out["kind"],
                joined_on=out["joined_on"],
                confirmed_on=out["confirmed_on"],
                birth_date=out["birth_date"],
            ).items():
                row_errors.setdefault(key, message)
        out["unit"] = units.get(_text(values.get("unit")))
        if out["unit"] is pickers.AMBIGUOUS:
            row_errors.setdefault(
                "unit", f"有多个单位名为“{_text(values.get('unit'))}”，请填写全称或编码。"
            )
            out["unit"] = None
        elif "unit" not in row_errors and out["unit"] is None:
            row_errors["unit"] = f"单位“{_text(values.get('unit'))}”不存在或已撤销。"
        out["org"] = orgs.get(_text(values.get("org")))
        if out["org"] is pickers.AMBIGUOUS:
            row_errors.setdefault(
                "org", f"有多个党组织名为“{_text(values.get('org'))}”，请填写全称或编码。"
            )
            out["org"] = None
        elif "org" not in row_errors and out["org"] is None:
            row_errors["org"] = f"党组织“{_text(values.get('org'))}”不存在，或不在您的管辖范围内。"
        elif out["org"] is not None and not out["org"].is_active:
            row_errors["org"] = "该党组织已撤销。"
        if "id_number" not in row_errors:
            if out["id_number"] in seen_ids:
                row_errors["id_number"] = (
                    f"与第 {seen_ids[out['id_number']]} 行的公民身份号码重复。"
                )
            seen_ids.setdefault(out["id_number"], number)
        if out["phone"] and "phone" not in row_errors:
            out["phone"] = validation.normalise_phone(out["phone"])
            if out["phone"] in seen_phones:
                row_errors["phone"] = f"与第 {seen_phones[out['phone']]} 行的手机号码重复。"
            seen_phones.setdefault(out["phone"], number)
        errors.extend(CellError(number, key, message) for key, message in row_errors.items())
        clean.append(out)

    errors += _match_registered(clean, rows, user)
    errors.sort(key=lambda e: (e.row, [c.key for c in COLUMNS].index(e.column)))
    return errors, clean


def version_token(membership: Membership) -> str:
    """The 数据版本 written beside a registered member by 导出为导入表."""
    return f"{membership.person.version}-{membership.version}"


def _match_registered(clean: list[dict], rows: list[tuple[int, dict]], user) -> list[CellError]:
    """Rows whose ID number is already registered update that person — only when the row came
    from 导出为导入表 (it carries the 数据版本), the member is in the importer's scope, and nobody
    changed them since. Every other clash is an error; one query each for all rows."""
    errors: list[CellError] = []
    raw_versions = {number: _text(values.get("version")) for number, values in rows}
    # Every key's hash: while `mofan rotate-keys` runs, older rows carry the previous key's.
    id_hashes = {h: r for r in clean if r["id_number"] for h in crypto.keyed_hashes(r["id_number"])}
    registered = Person.objects.filter(id_number_hash__in=list(id_hashes)).select_related(
        "membership"
    )
    editable = set(
        Membership.objects.restrict(user, Action.CHANGE)
        .filter(person__in=registered)
        .values_list("person_id", flat=True)
    )
    for person in registered:
        row = id_hashes[person.id_number_hash]
        version = raw_versions[row["row"]]
        membership = getattr(person, "membership", None)
        if membership is None or person.pk not in editable or not version:
            hint = "如需修改已登记党员，请在党员名册点“导出为导入表”，改后再导入。"
            errors.append(
                CellError(
                    row["row"],
                    "id_number",
                    "该公民身份号码已在系统中登记。"
                    + (hint if membership is not None and person.pk in editable else ""),
                )
            )
        elif version != version_token(membership):
            errors.append(
                CellError(row["row"], "version", "该党员的信息在导出后已被修改，请重新导出后再改。")
            )
        elif row["org"] is not None and row["org"] != membership.org:
            errors.append(
                CellError(
                    row["row"],
                    "org",
                    f"所在党组织为“{membership.org.name}”，变更请办理组织关系转接，不能在导入中修改。",
                )
            )
        else:
            row["registered"] = membership
    for row in clean:
        if (
            raw_versions[row["row"]]
            and "registered" not in row
            and not any(e.row == row["row"] for e in errors)
        ):
            errors.append(
                CellError(
                    row["row"],
                    "version",
                    "系统中没有此公民身份号码的党员（导入不能修改公民身份号码）；新增人员请清空“数据版本”。",
                )
            )
    phone_hashes = {h: r for r in clean if r["phone"] for h in crypto.keyed_hashes(r["phone"])}
    for phone_hash, owner in Person.objects.filter(phone_hash__in=list(phone_hashes)).values_list(
        "phone_hash", "pk"
    ):
        row = phone_hashes[phone_hash]
        if "registered" not in row or row["registered"].person_id != owner:
            errors.append(CellError(row["row"], "phone", "该手机号码已被系统中其他人员使用。"))
    return errors


# Shown masked in the error workbook whatever their content: the file leaves the system.
_MASKED = {"id_number", "phone"}


def _shown(column: Column, raw) -> str:
    """A cell as the error workbook shows it: ID and phone columns masked outright, and any ID or
    mobile number typed into another column masked where it stands."""
    text = raw.isoformat() if isinstance(raw, date) else _text(raw)
    if column.key in _MASKED:
        return mask(text)
    return validation.mask_personal_numbers(text)


def _error_workbook(user, rows: list[tuple[int, dict]], errors: list[CellError]) -> Path:
    """The uploaded rows again, each bad cell red with its reason as a comment and in a last
    column; ID and phone numbers masked, as the file is downloaded and kept by people."""
    folder = Path(settings.VAR_DIR) / "imports" / str(user.pk)
    folder.mkdir(parents=True, exist_ok=True)
    path = Path(
        tempfile.NamedTemporaryFile(dir=folder, prefix="errors-", suffix=".xlsx", delete=False).name
    )  # noqa: SIM115
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    sheet = book.add_worksheet("错误标注")
    head = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    bad = book.add_format({"bg_color": "#F8D7DA", "font_color": "#9B1C1C", "border": 1})
    by_cell = {(e.row, e.column): e.message for e in errors}
    by_row: dict[int, list[str]] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(f"{error.header}：{error.message}")
    for col, column in enumerate(COLUMNS):
        sheet.write_string(0, col, column.header, head)
        sheet.set_column(col, col, column.width)
    sheet.write_string(0, len(COLUMNS), "错误说明", head)
    sheet.set_column(len(COLUMNS), len(COLUMNS), 60)
    sheet.write_string(0, len(COLUMNS) + 1, "原行号", head)
    for out_row, (number, values) in enumerate(rows, start=1):
        for col, column in enumerate(COLUMNS):
            shown = _shown(column, values.get(column.key))
            message = by_cell.get((number, column.key))
            if message:
                sheet.write_string(out_row, col, shown, bad)
                sheet.write_comment(out_row, col, validation.mask_personal_numbers(message))
            else:
                sheet.write_string(out_row, col, shown)
        notes = "；".join(by_row.get(number, []))
        sheet.write_string(out_row, len(COLUMNS), validation.mask_personal_numbers(notes))
        sheet.write_number(out_row, len(COLUMNS) + 1, number)
    sheet.freeze_panes(1, 0)
    book.close()
    return path


def import_roster(upload, *, actor) -> ImportResult:
    """Check every row; save all of them in one transaction only if none is wrong."""
    _, rows = read_rows(upload)
    errors, clean = _check_rows(rows, actor)
    if errors:
        audit.record(
            actor,
            "orgs.roster.import_rejected",
            payload={"file": upload.name, "rows": len(rows), "errors": len(errors)},
        )
        return ImportResult(errors=errors, error_workbook=_error_workbook(actor, rows, errors))
    fresh = [
        (r, values) for r, (_, values) in zip(clean, rows, strict=True) if "registered" not in r
    ]
    with transaction.atomic():
        people = [
            Person(
                name=r["name"],
                gender=r["gender"],
                ethnicity=r["ethnicity"],
                birth_date=r["birth_date"],
                id_number=r["id_number"],
                id_number_hash=crypto.keyed_hash(r["id_number"]),
                phone=r["phone"],
                phone_hash=crypto.keyed_hash(r["phone"]) if r["phone"] else "",
                education=r["education"],
                unit=r["unit"],
                job_title=_text(values.get("job_title")),
                rank=_text(values.get("rank")),
                name_pinyin=names.pinyin(r["name"]),
                name_initials=names.initials(r["name"]),
                name_stroke_key=names.stroke_key(r["name"]),
            )
            for r, values in fresh
        ]
        Person.objects.bulk_create(people, batch_size=2000)
        by_hash = dict(
            Person.objects.filter(
                id_number_hash__in=[p.id_number_hash for p in people]
            ).values_list("id_number_hash", "pk")
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    person_id=by_hash[p.id_number_hash],
                    org=r["org"],
                    kind=r["kind"],
                    joined_on=r["joined_on"],
                    confirmed_on=r["confirmed_on"],
                )
                for p, (r, _) in zip(people, fresh, strict=True)
            ],
            batch_size=2000,
        )
        services.members_changed(*{r["org"] for r, _ in fresh})
        updated = [
            membership.person_id
            for r, (_, values) in zip(clean, rows, strict=True)
            if (membership := r.get("registered"))
            and _update_registered(membership, r, values, actor)
        ]
        audit.record(
            actor,
            "orgs.roster.imported",
            payload={
                "file": upload.name,
                "rows": len(rows),
                "person_ids": sorted(by_hash.values()),
                "updated_ids": sorted(updated),
            },
        )
    return ImportResult(
        created=len(people), updated=len(updated), unchanged=len(rows) - len(people) - len(updated)
    )


def _update_registered(membership: Membership, r: dict, values: dict, actor) -> bool:
    """Apply an exported-and-edited row to its person through the services (each change audited
    with its before and after); True if anything changed."""
    person = membership.person
    versions = (person.version, membership.version)
    services.update_person(
        person,
        actor=actor,
        version=person.version,
        name=r["name"],
        gender=r["gender"],
        ethnicity=r["ethnicity"],
        birth_date=r["birth_date"],
        phone=r["phone"],
        education=r["education"],
        unit=r["unit"],
        job_title=_text(values.get("job_title")),
        rank=_text(values.get("rank")),
    )
    services.update_membership(
        membership,
        actor=actor,
        version=membership.version,
        kind=r["kind"],
        joined_on=r["joined_on"],
        confirmed_on=r["confirmed_on"],
    )
    return (person.version, membership.version) != versions
