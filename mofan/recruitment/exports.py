"""The year of 发展党员 of a subtree as Excel: a row a branch (quota, admitted, the gap, and how
many are at each stage now), a total row, and the make-up of those admitted."""

from mofan.core.excel import write_table
from mofan.recruitment.choices import Stage


def year_table(org, figures) -> tuple[str, int]:
    stages = [Stage.APPLICANT, Stage.ACTIVIST, Stage.NOMINEE, Stage.PROBATIONARY]
    headers = ["序号", "党支部", "计划发展", "已发展（预备党员）", "差额",
               *[f"现有{Stage(s).label}" for s in stages]]  # fmt: skip
    rows = []
    for n, row in enumerate(figures.branches, 1):
        rows.append([n, row.name, row.quota if row.quota is not None else "", row.admitted,
                     row.gap if row.gap is not None else "", *[row.live.get(s, 0) for s in stages]])  # fmt: skip
    rows.append(["", "合计", figures.quota_total, figures.admitted, figures.quota_total - figures.admitted,
                 *[figures.stages.get(s, 0) for s in stages]])  # fmt: skip
    rows.append([])
    for label, share in (("女性", figures.women), ("少数民族", figures.minorities),
                         ("35岁及以下", figures.young), ("大专及以上学历", figures.college),
                         ("生产、工作一线", figures.front_line)):  # fmt: skip
        rows.append(["", f"{figures.year}年发展党员中{label}", share.count, share.percent])
    return write_table(f"{org.name}{figures.year}年发展党员情况", headers, rows,
                       widths=[6, 36, 10, 16, 8, 14, 14, 12, 12])  # fmt: skip
