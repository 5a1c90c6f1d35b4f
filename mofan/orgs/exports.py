"""Roster exports. Personal numbers are exported masked: exports travel further than screens."""

from mofan.core.excel import write_table

ROSTER_HEADERS = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "公民身份号码",
    "学历",
    "单位",
    "职务",
    "所在党组织",
    "党员类别",
    "入党日期",
    "转正日期",
    "党籍状态",
]


def _date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def roster_rows(memberships):
    for number, m in enumerate(memberships.iterator(chunk_size=2000), start=1):
        p = m.person
        yield [
            number,
            p.name,
            p.get_gender_display(),
            p.ethnicity,
            _date(p.birth_date),
            p.id_number_masked,
            p.get_education_display(),
            p.unit.name,
            p.job_title,
            m.org.name,
            m.get_kind_display(),
            _date(m.joined_on),
            _date(m.confirmed_on),
            m.get_status_display(),
        ]


def roster_xlsx(memberships) -> tuple[str, int]:
    return write_table(
        "党员名册",
        ROSTER_HEADERS,
        roster_rows(memberships),
        widths=[6, 10, 6, 8, 14, 22, 14, 24, 16, 28, 10, 14, 14, 10],
    )
