"""A round's results as Excel: a row an organisation in rank order within its kind — the base,
deductions, bonuses, total, grade and rank among its peers — for the 考核结果通报 and the files."""

from mofan.core.excel import write_table
from mofan.orgs.choices import OrgKind

HEADERS = ["序号", "党组织", "类别", "自评提交", "基本分", "扣分", "加分", "总分", "等次",
           "同类排名", "待评审指标"]  # fmt: skip
WIDTHS = [6, 40, 10, 12, 9, 8, 8, 9, 12, 10, 10]
MONEY = {4, 5, 6, 7}


def _rows(targets):
    for number, t in enumerate(targets, start=1):
        yield [
            number, t.org.name, OrgKind(t.org.kind).label,
            t.self_done_at.date() if t.self_done_at else "",
            t.base, t.deducted, t.added, t.total,
            "差（一票否决）" if t.vetoed else t.get_grade_display(),
            f"{t.rank}/{t.peers}" if t.rank else "", t.unscored or "",
        ]  # fmt: skip


def results_xlsx(round_) -> tuple[str, int]:
    targets = round_.targets.select_related("org").order_by("org__kind", "rank", "org__path")
    return write_table(f"{round_.title}结果", HEADERS, _rows(targets.iterator(chunk_size=2000)),
                       widths=WIDTHS, money_columns=MONEY)  # fmt: skip
