"""Dues bases from Excel, in the layout a payroll or 党费 sheet has: a name, optionally the ID
number, the monthly base, optionally the way it is worked out and the first month. Every row is
checked first; one bad row and nothing is imported, with each row's reasons listed."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction

from mofan.access import crypto
from mofan.access.scoping import Action
from mofan.core import sheets
from mofan.core.errors import InvalidInput, UserFacingError
from mofan.core.excel import write_table
from mofan.core.sheets import cell_text as _text
from mofan.core.uploads import check_upload, extension
from mofan.dues import services
from mofan.dues.choices import SHORT_LABELS, DuesCategory, PaymentMethod
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
    recorded: int = 0  # rows that recorded or changed something
    unchanged: int = 0  # rows equal to what was there
    errors: list[RowError] = field(default_factory=list)


def _normalise(header) -> str:
    return _text(header).replace("*", "").replace(" ", "").replace("(", "（").replace(")", "）")


def _header(rows, headers: dict, required: tuple) -> tuple[int, dict[str, int]] | None:
    """(the header row's index, each column's position) within the first 20 rows."""
    for index, row in enumerate(rows[:20]):
        cells = [_normalise(c) for c in row]
        positions = {
            key: next(i for i, c in enumerate(cells) if c in names)
            for key, names in headers.items()
            if any(c in names for c in cells)
        }
        if all(key in positions for key in required):
            return index, positions
    return None


def read(upload, headers: dict = HEADERS, required: tuple = ("name", "income")):
    """The data rows, each (its row number in the sheet, {column key: cell}), under a header
    found in the first 20 rows."""
    if extension(upload.name) == ".xls":
        raise InvalidInput("请上传 .xlsx 格式的 Excel 文件（旧版 .xls 请先另存为 .xlsx）。")
    check_upload(upload, {".xlsx"}, MAX_BYTES)
    rows = sheets.read_first_sheet(upload, max_rows=MAX_ROWS).rows
    found = _header(rows, headers, required)
    if found is None:
        names = "”和“".join(headers[key][0] for key in required)
        raise InvalidInput(f"未找到表头：须包含“{names}”栏，可先下载导入模板。")
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


class _Matcher:
    """Finds a row's member among those the importer keeps: by ID number when given (and its
    name must agree), else by a name no one else in the organisation bears."""

    def __init__(self, members):
        self.by_name: dict[str, list[Membership]] = {}
        for membership in members:
            self.by_name.setdefault(membership.person.name, []).append(membership)
        self.by_hash = {m.person.id_number_hash: m for m in members}

    def __call__(self, number: int, values: dict, errors: list) -> Membership | None:
        name = _text(values.get("name"))
        id_number = _text(values.get("id_number")).upper()
        if not name:
            errors.append(RowError(number, "姓名", "姓名不能为空"))
            return None
        if id_number:
            found = next(
                (self.by_hash[h] for h in crypto.keyed_hashes(id_number) if h in self.by_hash),
                None,
            )
            if found is None:
                errors.append(
                    RowError(number, "公民身份号码", f"本组织党员中没有此公民身份号码（{name}）")
                )
            elif found.person.name != name:
                errors.append(RowError(number, "姓名", "姓名与公民身份号码不符"))
                return None
            return found
        namesakes = self.by_name.get(name, [])
        if not namesakes:
            errors.append(RowError(number, "姓名", f"本组织在册党员中没有“{name}”"))
        elif len(namesakes) > 1:
            errors.append(
                RowError(
                    number,
                    "公民身份号码",
                    f"“{name}”有 {len(namesakes)} 人同名，请填写公民身份号码",
                )
            )
        else:
            return namesakes[0]
        return None


def _kept(actor, org):
    return list(
        Membership.objects.restrict(actor, Action.DUES)
        .in_subtree(org)
        .filter(status=MembershipStatus.NORMAL)
        .select_related("person")
    )


def import_bases(upload, *, actor, org, year: int) -> BaseImport:
    """Record the rows' bases for members of `org`'s subtree whose dues the actor keeps; all
    rows or none."""
    rows = read(upload)
    match = _Matcher(_kept(actor, org))
    result, clean, seen = BaseImport(), [], {}
    for number, values in rows:
        errors = []
        membership = match(number, values, errors)
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
        if isinstance(starts_text, datetime | date):  # Excel turns "2027-01" into a date
            starts_on = date(starts_text.year, starts_text.month, 1)
        elif _text(starts_text):
            starts_on = parse_month(_text(starts_text).replace("/", "-").replace(".", "-"))
            if starts_on is None:
                errors.append(RowError(number, "起始月份", "请按“年-月”填写，如 2027-01"))
        else:
            starts_on = date(year, 1, 1)
        if starts_on is not None and starts_on.year != year:
            errors.append(RowError(number, "起始月份", f"起始月份须在所选的{year}年度内"))
            starts_on = None
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
                base = services.record_base(
                    membership.person, actor=actor, starts_on=starts_on, category=category,
                    monthly_income=income, note=f"{year}年度导入", overwrite=True,
                )  # fmt: skip
            except UserFacingError as error:
                result.errors.append(RowError(number, "", error.message))
                continue
            if getattr(base, "unchanged", False):
                result.unchanged += 1
            else:
                result.recorded += 1
        if result.errors:
            transaction.set_rollback(True)
            result.recorded = result.unchanged = 0
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


PAYMENT_HEADERS = {
    "name": ("姓名",),
    "id_number": ("公民身份号码", "身份证号", "身份证号码"),
    "month": ("所属月份", "党费月份", "月份"),
    "amount": ("金额（元）", "金额", "交纳金额（元）", "交纳金额", "实交金额（元）", "实交金额"),
    "paid_on": ("交纳日期", "缴纳日期", "日期"),
    "method": ("方式", "交纳方式"),
}
METHOD_WORDS = {
    "现金": PaymentMethod.CASH,
    "银行转账": PaymentMethod.TRANSFER,
    "转账": PaymentMethod.TRANSFER,
    "线上": PaymentMethod.ONLINE,
    "线上交纳": PaymentMethod.ONLINE,
    "微信": PaymentMethod.ONLINE,
    "支付宝": PaymentMethod.ONLINE,
}
_YMD = re.compile(r"(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?")


def _month_cell(value) -> date | None:
    if isinstance(value, datetime | date):
        return date(value.year, value.month, 1)
    match = _YMD.fullmatch(_text(value))
    if not match or match[3]:
        return None
    try:
        return date(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None


def _day_cell(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = _YMD.fullmatch(text)
    if not match or not match[3]:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def import_payments(upload, *, actor, org, today: date) -> BaseImport:
    """Payments from the organ's payment records (a bank or payroll sheet): a name (or name and ID
    number), the month, the amount, the date; all rows or none."""
    rows = read(upload, PAYMENT_HEADERS, ("name", "month", "amount", "paid_on"))
    match = _Matcher(_kept(actor, org))
    result, clean, seen = BaseImport(), [], {}
    for number, values in rows:
        errors = []
        membership = match(number, values, errors)
        month = _month_cell(values.get("month"))
        if month is None:
            errors.append(RowError(number, "所属月份", "请按“年-月”填写，如 2026-11"))
        paid_on = _day_cell(values.get("paid_on"))
        if paid_on is None:
            errors.append(RowError(number, "交纳日期", "请填写日期，如 2026-11-05"))
        elif paid_on > today:
            errors.append(RowError(number, "交纳日期", "交纳日期不能晚于今天"))
        amount = None
        try:
            amount = services.money(_text(values.get("amount")), "金额")
            if amount <= 0:
                errors.append(RowError(number, "金额（元）", "金额须大于零"))
        except UserFacingError as error:
            errors.append(RowError(number, "金额（元）", error.message))
        word = _text(values.get("method"))
        method = METHOD_WORDS.get(word) if word else PaymentMethod.TRANSFER
        if method is None:
            errors.append(RowError(number, "方式", "请填写 现金、银行转账 或 线上交纳"))
        if membership is not None and month is not None:
            key = (membership.person_id, month)
            if key in seen:
                errors.append(RowError(number, "所属月份", f"与第 {seen[key]} 行重复"))
            seen[key] = number
        if errors:
            result.errors += errors
        else:
            clean.append((number, membership, month, amount, paid_on, method))
    if result.errors:
        return result
    with transaction.atomic():
        for number, membership, month, amount, paid_on, method in clean:
            try:
                services.record_payment(
                    membership.person, actor=actor, month=month, amount=amount,
                    paid_on=paid_on, method=method, note="导入", today=today,
                )  # fmt: skip
            except UserFacingError as error:
                result.errors.append(RowError(number, "", error.message))
        if result.errors:
            transaction.set_rollback(True)
            return result
    result.recorded = len(clean)
    return result
