"""The permission matrix of 监督执纪 and 巡视巡察's rectification: every page and endpoint of a
record, read by each persona the issue names — the holding organisation's officer, a handler
assigned, the person concerned (even as an officer), an officer of the organisation above, a
leader, the target's secretary, an org admin, a member — with the status each must get."""

from datetime import date

import pytest
from django.urls import reverse

from mofan.access.models import RoleAssignment
from mofan.access.roles import Role
from mofan.discipline import records, reports, services
from mofan.discipline.choices import REPORT_ITEMS
from mofan.orgs.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix(dworld):
    from conftest import make_user

    w = dworld
    w.lead = services.register(w.organ, actor=w.qian, source="petition", received_on=date(2026, 11, 2),
                               subject=w.carol_p, allegation="反映其违规收受购物卡。")  # fmt: skip
    w.sun = make_user("sun", w.sun_p)
    services.assign(w.lead, actor=w.qian, handlers=[w.sun], version=w.lead.version)
    # 赵六, the person concerned, is the organ's org admin and, here, one of its officers too.
    RoleAssignment.objects.create(user=w.carol, role=Role.DISCIPLINE_OFFICER, org=w.organ)
    RoleAssignment.objects.create(user=w.una, role=Role.LEADER, unit=w.unit_root)  # 测试部's leader
    w.talk = records.record_talk(w.organ, actor=w.qian, kind="reminder", person=w.bob_p, talker=w.alice_p,
                                 held_on=date(2026, 11, 18), record="谈话提醒，指出苗头性问题。")  # fmt: skip
    Person.objects.filter(pk=w.amy_p.pk).update(rank="二级调研员")
    round_ = reports.open_round(w.organ, actor=w.qian, year=2026, ranks=["二级调研员"])
    w.report = reports.submit(
        round_.reports.get(), actor=w.amy, items={k: "无" for k, _ in REPORT_ITEMS}
    )
    w.round_ = round_
    return w


OK, GONE = 200, 404
# persona → (lead page, lead API, lead record.docx, statistics page, a cadre's report page,
#            the report round page, talks page)
EXPECTED = {
    "qian": (OK, OK, OK, OK, OK, OK, OK),  # the holding organisation's officer
    "sun": (OK, OK, OK, GONE, GONE, GONE, GONE),  # the lead's handler, nothing else
    "carol": (GONE, GONE, GONE, OK, OK, OK, OK),  # an officer too, but the person concerned
    "feng": (GONE, GONE, GONE, OK, GONE, GONE, OK),  # the root's officer: the root's own only
    "una": (GONE, GONE, GONE, OK, GONE, GONE, GONE),  # a leader: the figures, no names
    "amy": (GONE, GONE, GONE, GONE, OK, GONE, GONE),  # a member: her own report
    "bob": (GONE, GONE, GONE, GONE, GONE, GONE, GONE),  # another branch's secretary
    "sam": (GONE, GONE, GONE, GONE, GONE, GONE, GONE),  # a supervisor of the root
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_persona_gets_what_the_matrix_says(matrix, client, login, persona):
    w = matrix
    login(getattr(w, persona))
    urls = (
        reverse("discipline:lead", args=[w.lead.pk]),
        f"/api/discipline-leads/{w.lead.pk}/",
        reverse("discipline:lead_record", args=[w.lead.pk]),
        reverse("discipline:statistics") + f"?org={w.organ.pk}" if persona != "feng"
        else reverse("discipline:statistics"),
        reverse("discipline:report", args=[w.report.pk]),
        reverse("discipline:report_round", args=[w.round_.pk]),
        reverse("discipline:talks"),
    )  # fmt: skip
    got = tuple(client.get(url).status_code for url in urls)
    assert got == EXPECTED[persona]
    if persona in ("feng", "una", "carol"):
        page = client.get(urls[3]).content.decode()
        assert "购物卡" not in page  # figures, never an allegation
        assert persona == "carol" or "赵六" not in page  # nor a name (赵六's own menu aside)
    if persona != "qian":
        talks = client.get(urls[6]).content.decode()
        assert "指出苗头性问题" not in talks or persona == "carol"
