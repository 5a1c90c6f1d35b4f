"""Dues bases from Excel, in the layout a payroll or 党费 sheet has: a name, optionally the ID
number, the monthly base, optionally the way it is worked out and the first month. Every row is
checked first; one bad row and nothing is imported, with each row's reasons listed."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from mofan.access import crypto
from mofan.access.scoping import Action
from mofan.core import sheets
from mofan.core.errors import InvalidInput, UserFacingError
from mofan.core.excel import write_table
from mofan.core.sheets import cell_text as _text
from mofan.core.uploads import check_upload, extension
from mofan.dues import services
from mofan.dues.choices import SHORT_LABELS, DuesCategory
from mofan.dues.forms import parse_month
from mofan.dues.models import DuesBase
from mofan.orgs.choices import MembershipStatus
from mofan.orgs.models import Membership

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
# The headers organs use for each column (a template's, a payroll sheet's).
HEADERS = {
    "name": ("姓名",),
    "id_number": ("公民身份号码", "身份证号", "身份证号码"),
    "income": ("月计算基数（元）", "月计算基数", "计算基数", "月工资收入（税后）", "税后工资",
               "离退休费", "养老金"),
    "category": ("计算方式", "党员类别"),
    "starts_on": ("起始月份",),
}  # fmt: skip
CATEGORY_WORDS = {
    "在职": DuesCategory.SALARIED,
    "离退休": DuesCategory.RETIRED,
    "离休": DuesCategory.RETIRED,
    "退休": DuesCategory.RETIRED,
    "定额": DuesCategory.FIXED,
    "学生": DuesCategory.FIXED,
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class BaseImport:
    recorded: int = 0
    errors: list[RowError] = field(default_factory=list)


def _normalise(header) -> str:
    return _text(header).replace("*", "").replace(" ", "").replace("(", "（").replace(")", "）")


def _header(rows) -> tuple[int, dict[str, int]] | None:
    """(the header row's index, each column's position) within the first 20 rows."""
    for index, row in enumerate(rows[:20]):
        cells = [_normalise(c) for c in row]
        positions = {
            key: next(i for i, c in enumerate(cells) if c in names)
            for key, names in HEADERS.items()
            if any(c in names for c in cells)
        }
        if "name" in positions and "income" in positions:
            return index, positions
    return None


def read(upload) -> list[tuple[int, dict]]:
    if extension(upload.name) == ".xls":
        raise InvalidInput("请上传 .xlsx 格式的 Excel 文件（旧版 .xls 请先另存为 .xlsx）。")
    check_upload(upload, {".xlsx"}, MAX_BYTES)
    rows = sheets.read_first_sheet(upload, max_rows=MAX_ROWS).rows
    found = _header(rows)
    if found is None:
        raise InvalidInput("未找到表头：须包含“姓名”和“月计算基数（元）”两栏，可先下载导入模板。")
    index, positions = found
    data = []
    for number, row in enumerate(rows[index + 1 :], start=index + 2):
        values = {key: row[i] if i < len(row) else None for key, i in positions.items()}
        if all(_text(v) == "" for v in values.values()):
            continue
        data.append((number, values))
    if not data:
        raise InvalidInput("文件中没有数据行。")
    return data


def import_bases(upload, *, actor, org, year: int) -> BaseImport:
    """Record the rows' bases for members of `org`'s subtree whose dues the actor keeps; all
    rows or none."""
    rows = read(upload)
    members = list(
        Membership.objects.restrict(actor, Action.DUES)
        .in_subtree(org)
        .filter(status=MembershipStatus.NORMAL)
        .select_related("person")
    )
    by_name: dict[str, list[Membership]] = {}
    for membership in members:
        by_name.setdefault(membership.person.name, []).append(membership)
    by_hash = {m.person.id_number_hash: m for m in members}
    result, clean, seen = BaseImport(), [], {}
    for number, values in rows:
        errors = []
        name = _text(values.get("name"))
        id_number = _text(values.get("id_number")).upper()
        membership = None
        if not name:
            errors.append(RowError(number, "姓名", "姓名不能为空"))
        elif id_number:
            membership = next(
                (by_hash[h] for h in crypto.keyed_hashes(id_number) if h in by_hash), None
            )
            if membership is None:
                errors.append(
                    RowError(number, "公民身份号码", f"本组织党员中没有此公民身份号码（{name}）")
                )
            elif membership.person.name != name:
                errors.append(RowError(number, "姓名", "姓名与公民身份号码不符"))
        else:
            found = by_name.get(name, [])
            if not found:
                errors.append(RowError(number, "姓名", f"本组织在册党员中没有“{name}”"))
            elif len(found) > 1:
                errors.append(
                    RowError(
                        number,
                        "公民身份号码",
                        f"“{name}”有 {len(found)} 人同名，请填写公民身份号码",
                    )
                )
            else:
                membership = found[0]
        word = _text(values.get("category"))
        category = CATEGORY_WORDS.get(word) if word else DuesCategory.SALARIED
        if category is None:
            category = next((c for c in DuesCategory if c.label == word), None)
        if category is None:
            errors.append(RowError(number, "计算方式", "请填写 在职、离退休 或 定额"))
        income_text = _text(values.get("income"))
        income = None
        try:
            income = services.money(income_text, "月计算基数") if income_text else None
            if income is None:
                errors.append(
                    RowError(number, "月计算基数（元）", "月计算基数不能为空（定额类填 0）")
                )
            elif income < 0:
                errors.append(RowError(number, "月计算基数（元）", "月计算基数不能为负数"))
            elif income > services.MAX_INCOME:
                errors.append(
                    RowError(number, "月计算基数（元）", "超出合理范围，请核对（单位为元）")
                )
        except UserFacingError as error:
            errors.append(RowError(number, "月计算基数（元）", error.message))
        starts_text = values.get("starts_on")
        if isinstance(starts_text, date):
            starts_on = starts_text.replace(day=1)
        elif _text(starts_text):
            starts_on = parse_month(_text(starts_text).replace("/", "-").replace(".", "-"))
            if starts_on is None:
                errors.append(RowError(number, "起始月份", "请按“年-月”填写，如 2027-01"))
        else:
            starts_on = date(year, 1, 1)
        if membership is not None and starts_on is not None:
            key = (membership.person_id, starts_on)
            if key in seen:
                errors.append(RowError(number, "姓名", f"与第 {seen[key]} 行重复"))
            seen[key] = number
        if errors:
            result.errors += errors
        else:
            clean.append((number, membership, category, income, starts_on))
    if result.errors:
        return result
    with transaction.atomic():
        for number, membership, category, income, starts_on in clean:
            try:
                services.record_base(
                    membership.person, actor=actor, starts_on=starts_on, category=category,
                    monthly_income=income, note=f"{year}年度导入",
                )  # fmt: skip
            except UserFacingError as error:
                result.errors.append(RowError(number, "", error.message))
        if result.errors:
            transaction.set_rollback(True)
            return result
    result.recorded = len(clean)
    return result


def template(org, memberships, year: int) -> str:
    """The sheet to fill in: the organisation's members with their latest base, if any."""
    latest = {}
    for base in DuesBase.objects.filter(person__in=[m.person_id for m in memberships]).order_by(
        "starts_on"
    ):
        latest[base.person_id] = base
    rows = []
    for membership in memberships:
        base = latest.get(membership.person_id)
        rows.append(
            [
                membership.person.name,
                "",
                SHORT_LABELS[base.category] if base else SHORT_LABELS[DuesCategory.SALARIED],
                base.monthly_income if base else None,
                f"{year}-01",
            ]
        )
    path, _ = write_table(
        f"{org.name}{year}年度党费计算基数",
        ["姓名", "公民身份号码", "计算方式", "月计算基数（元）", "起始月份"],
        rows,
        widths=[12, 22, 12, 16, 12],
        money_columns={3},
    )
    return path
