"""The branch's monthly 党费收缴 statement as Excel, in the layout branches keep it."""

from decimal import Decimal

from mofan.core.excel import write_table
from mofan.dues.calc import cn_month
from mofan.dues.choices import SHORT_LABELS, WaiverKind
from mofan.dues.statements import OrgMonth

HEADERS = [
    "序号", "姓名", "计算方式", "月计算基数（元）", "交纳比例", "应交金额（元）", "实交金额（元）",
    "交纳日期", "状态", "累计欠交（元）", "备注",
]  # fmt: skip
WIDTHS = [6, 10, 14, 14, 9, 12, 12, 13, 10, 12, 24]
MONEY = {3, 5, 6, 9}


def _note(row) -> str:
    notes = []
    if row.month.waiver:
        reason = f"：{row.month.waiver_reason}" if row.month.waiver_reason else ""
        notes.append(f"{WaiverKind(row.month.waiver).label}{reason}")
    if not row.here:
        notes.append("已转出")
    if row.lapse_review:
        notes.append(f"连续{row.unpaid_in_a_row}个月未交纳，须按党章第九条处理")
    return "；".join(notes)


def statement_rows(statement: OrgMonth):
    for number, row in enumerate(statement.rows, start=1):
        month = row.month
        yield [
            number,
            row.membership.person.name,
            SHORT_LABELS.get(row.category, ""),
            month.income,
            month.basis,
            month.due,
            month.paid,
            month.paid_on,
            month.label,
            row.arrears,
            _note(row),
        ]
    yield [
        "合计", f"{len(statement.rows)}人", "", None, "", statement.due, statement.paid, "",
        f"已交{statement.paid_count}人", sum((r.arrears for r in statement.rows), Decimal(0)), "",
    ]  # fmt: skip


def statement_xlsx(statement: OrgMonth) -> str:
    title = f"{statement.org.name}{cn_month(statement.month)}党费收缴情况"
    path, _ = write_table(
        title, HEADERS, statement_rows(statement), widths=WIDTHS, money_columns=MONEY
    )
    return path


SUMMARY_HEADERS = [
    "序号", "党组织", "党员人数", *[f"{m}月" for m in range(1, 13)], "全年实交（元）",
    "应交（元，截至本月）", "欠交（元）",
]  # fmt: skip


def summary_rows(rows):
    totals = [Decimal(0)] * 12
    for number, row in enumerate(rows, start=1):
        totals = [a + b for a, b in zip(totals, row.paid_by_month, strict=True)]
        yield [number, row.org.name, row.members, *row.paid_by_month, row.paid, row.due, row.owed]
    yield [
        "合计", f"{len(rows)}个党组织", sum(r.members for r in rows), *totals,
        sum((r.paid for r in rows), Decimal(0)), sum((r.due for r in rows), Decimal(0)),
        sum((r.owed for r in rows), Decimal(0)),
    ]  # fmt: skip


def summary_xlsx(root, year: int, rows) -> str:
    path, _ = write_table(
        f"{root.name}{year}年度党费收缴情况汇总",
        SUMMARY_HEADERS,
        summary_rows(rows),
        widths=[6, 28, 9, *[10] * 12, 13, 15, 12],
        money_columns=set(range(3, 18)),
    )
    return path
