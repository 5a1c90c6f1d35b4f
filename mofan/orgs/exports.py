"""Roster exports. Personal numbers are exported masked: exports travel further than screens —
except in 导出为导入表, the sheet an org admin edits and imports back, which must carry the ID
number that matches each row to its person; that export is for admins only and audited with the
people it names."""

from django.db.models import Count

from mofan.core.excel import write_table
from mofan.orgs.models import PartyOrg, Unit

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


def _iso(value) -> str:
    return value.isoformat() if value else ""


def import_sheet_rows(memberships):
    """The members as rows of the import template (dicts by column key), with the 数据版本 that
    lets an edited row update its person and refuses a row someone changed since."""
    from mofan.orgs.imports import version_token

    members = list(memberships)
    shared = {
        model: set(
            model.objects.filter(name__in={node.name for node in nodes})
            .values("name")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .values_list("name", flat=True)
        )
        for model, nodes in (
            (Unit, {m.person.unit for m in members}),
            (PartyOrg, {m.org for m in members}),
        )
    }

    def named(node) -> str:
        # By name, as people read it; by code where two share the name, so the row imports back.
        return node.code if node.name in shared[type(node)] else node.name

    for m in members:
        p = m.person
        yield {
            "name": p.name,
            "gender": p.get_gender_display(),
            "ethnicity": p.ethnicity,
            "birth_date": _iso(p.birth_date),
            "id_number": p.id_number,
            "phone": p.phone,
            "education": p.get_education_display() if p.education else "",
            "unit": named(p.unit),
            "job_title": p.job_title,
            "rank": p.rank,
            "org": named(m.org),
            "kind": m.get_kind_display(),
            "joined_on": _iso(m.joined_on),
            "confirmed_on": _iso(m.confirmed_on),
            "version": version_token(m),
        }


def roster_import_sheet(memberships) -> tuple[str, list[int]]:
    """导出为导入表: the import template filled with these members; the path and the people's
    ids (for the audit record)."""
    from mofan.orgs.imports import template_xlsx

    rows = list(import_sheet_rows(memberships))
    person_ids = list(memberships.values_list("person_id", flat=True))
    return template_xlsx(rows), person_ids
