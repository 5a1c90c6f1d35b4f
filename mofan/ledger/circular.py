"""督查通报: the figures a supervisor reports on the ledgers they supervise — per lead unit, items
handed down, closed out, closed out on time, overdue — and the 通报 itself, generated as a Word
document in 公文 layout and as an Excel workbook.

办结率 = items closed out ÷ items handed down (assigned, not drafts).
按期办结率 = items closed out by their deadline ÷ items due so far (deadline passed, or closed).
超期未办结 = open items past their deadline.
"""

import tempfile
from dataclasses import dataclass, field
from datetime import date

import xlsxwriter
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from docx.enum.text import WD_ALIGN_PARAGRAPH

from mofan.core import word
from mofan.core.templatetags.mofan import cndate
from mofan.core.word import paragraph
from mofan.ledger.choices import ItemState
from mofan.ledger.querysets import OPEN_STATES

OVERDUE_LISTED = 200  # overdue items named one by one in the 通报; the rest are counted


@dataclass
class UnitFigures:
    unit_id: int | None
    unit: str
    assigned: int
    closed: int
    closed_on_time: int
    due: int
    overdue: int

    @property
    def closed_rate(self) -> float | None:
        return self.closed / self.assigned if self.assigned else None

    @property
    def on_time_rate(self) -> float | None:
        return self.closed_on_time / self.due if self.due else None

    @property
    def closed_rate_text(self) -> str:
        return percent(self.closed_rate)

    @property
    def on_time_rate_text(self) -> str:
        return percent(self.on_time_rate)


@dataclass
class Circular:
    today: date
    title: str
    units: list[UnitFigures]
    overdue: list = field(default_factory=list)  # the overdue items, worst first
    overdue_total: int = 0

    @property
    def total(self) -> UnitFigures:
        return UnitFigures(
            None,
            "合计",
            *(sum(getattr(u, f) for u in self.units) for f in (
                "assigned", "closed", "closed_on_time", "due", "overdue"
            )),
        )  # fmt: skip


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def handed_counts(items, today: date, *group: str):
    """The 通报's counts over `items` (already scoped and filtered) that were handed down (not
    drafts), grouped by the `group` fields: one grouped query. The supervisor board keeps the
    same counts per ledger and lead unit (ledger/board.py)."""
    closed = Q(state=ItemState.CLOSED)
    on_time = closed & (Q(deadline__isnull=True) | Q(closed_day__lte=F("deadline")))
    due = closed | Q(deadline__lt=today)
    overdue = Q(state__in=OPEN_STATES, deadline__lt=today)
    return (
        items.exclude(state=ItemState.DRAFT)
        .annotate(closed_day=TruncDate("closed_at"))
        .values(*group)
        .annotate(
            assigned=Count("pk"),
            closed=Count("pk", filter=closed),
            closed_on_time=Count("pk", filter=on_time),
            due=Count("pk", filter=due),
            overdue=Count("pk", filter=overdue),
        )
        .order_by()
    )


def unit_figures(unit_id, unit_name, counts: dict) -> UnitFigures:
    return UnitFigures(
        unit_id,
        unit_name or "（未指定牵头单位）",
        counts["assigned"],
        counts["closed"],
        counts["closed_on_time"],
        counts["due"],
        counts["overdue"],
    )


def worst_first(units: list[UnitFigures]) -> list[UnitFigures]:
    return sorted(units, key=lambda u: (-u.overdue, u.unit))


def figures(items, today: date, *, title: str = "") -> Circular:
    """The 通报's figures over `items` (already scoped and filtered), per lead unit: one grouped
    query and one for the overdue list."""
    rows = handed_counts(items, today, "lead_unit_id", "lead_unit__name")
    units = worst_first([unit_figures(r["lead_unit_id"], r["lead_unit__name"], r) for r in rows])
    overdue = Q(state__in=OPEN_STATES, deadline__lt=today)
    late = (
        items.exclude(state=ItemState.DRAFT)
        .filter(overdue)
        .select_related("ledger", "lead_unit")
        .order_by("deadline", "pk")
    )
    return Circular(
        today=today,
        title=title or "关于督办事项落实情况的通报",
        units=units,
        overdue=list(late[:OVERDUE_LISTED]),
        overdue_total=late.count(),
    )


def summary_text(circular: Circular) -> str:
    total = circular.total
    text = (
        f"截至{cndate(circular.today)}，共交办督办事项{total.assigned}项，已办结{total.closed}项，"
        f"办结率{percent(total.closed_rate)}；已到期事项{total.due}项，按期办结{total.closed_on_time}项，"
        f"按期办结率{percent(total.on_time_rate)}。"
    )
    if total.overdue:
        worst = [u for u in circular.units if u.overdue][:3]
        named = "、".join(f"{u.unit}（{u.overdue}项）" for u in worst)
        text += f"目前超期未办结{total.overdue}项，主要集中在{named}。"
    else:
        text += "目前没有超期未办结的事项。"
    return text


HEADERS = ["牵头单位", "交办", "办结", "办结率", "已到期", "按期办结", "按期办结率", "超期未办结"]


def _table_rows(circular: Circular) -> list[list]:
    out = []
    for u in [*circular.units, circular.total]:
        out.append(
            [
                u.unit, u.assigned, u.closed, percent(u.closed_rate), u.due,
                u.closed_on_time, percent(u.on_time_rate), u.overdue,
            ]
        )  # fmt: skip
    return out


def docx(circular: Circular, *, issuer: str) -> str:
    """The 通报 in 公文 layout (GB/T 9704): A4, 小标宋 title, 仿宋 三号 body, 黑体 section heads,
    the figures table, the overdue items, the issuer and the date."""
    document = word.official_document()
    word.title(document, circular.title)
    paragraph(document, "各有关单位：", indent=False)
    paragraph(
        document,
        "现将督办事项落实情况通报如下。",
    )
    word.heading(document, "一、总体情况")
    paragraph(document, summary_text(circular))
    word.heading(document, "二、各单位落实情况")
    word.table(document, HEADERS, list(_table_rows(circular)))
    word.heading(document, "三、超期未办结事项")
    if circular.overdue:
        for number, item in enumerate(circular.overdue, start=1):
            paragraph(
                document,
                f"{number}. {item.lead_unit.name if item.lead_unit else '（未指定牵头单位）'}："
                f"{item.content}（{item.ledger.name}第{item.number}项，时限{cndate(item.deadline)}，"
                f"已超期{(circular.today - item.deadline).days}天）",
            )
        if circular.overdue_total > len(circular.overdue):
            paragraph(
                document, f"另有{circular.overdue_total - len(circular.overdue)}项，详见附表。"
            )
    else:
        paragraph(document, "无。")
    word.heading(document, "四、工作要求")
    paragraph(
        document,
        "请超期未办结事项的牵头单位认真分析原因，明确整改措施和完成时限，加快推进落实，"
        "并按要求及时报送进展情况。",
    )
    document.add_paragraph()
    paragraph(document, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    paragraph(document, cndate(circular.today), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    return word.save_temporary(document, "mofan-circular-")


def xlsx(circular: Circular) -> str:
    """The figures by unit and the overdue items, two sheets."""
    handle = tempfile.NamedTemporaryFile(prefix="mofan-circular-", suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    book = xlsxwriter.Workbook(handle.name, {"strings_to_formulas": False})
    title = book.add_format({"bold": True, "font_size": 16, "align": "center"})
    head = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "align": "center"})
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("各单位落实情况")
    sheet.merge_range(0, 0, 0, len(HEADERS) - 1, circular.title, title)
    sheet.write(1, 0, f"统计截至{cndate(circular.today)}")
    sheet.write_row(2, 0, HEADERS, head)
    for row, values in enumerate(_table_rows(circular), start=3):
        sheet.write_row(row, 0, values, cell)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, len(HEADERS) - 1, 11)
    sheet.freeze_panes(3, 1)
    late = book.add_worksheet("超期未办结事项")
    late_headers = ["序号", "牵头单位", "任务内容", "台账", "事项编号", "完成时限", "超期天数"]
    late.write_row(0, 0, late_headers, head)
    for row, item in enumerate(circular.overdue, start=1):
        late.write_row(
            row,
            0,
            [
                row,
                item.lead_unit.name if item.lead_unit else "",
                item.content,
                item.ledger.name,
                item.number,
                cndate(item.deadline),
                (circular.today - item.deadline).days,
            ],
            cell,
        )
    late.set_column(2, 2, 50)
    late.set_column(1, 1, 20)
    late.set_column(3, 3, 24)
    book.close()
    return handle.name
