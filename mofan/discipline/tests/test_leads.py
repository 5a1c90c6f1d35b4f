"""Case leads: the collective review's four dispositions, their steps and deadlines, the result
by the four forms, the follow-up visit; need-to-know (never the person concerned), every read
audited, encrypted at rest; the statistics without names."""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from mofan.access.roles import Role
from mofan.audit.models import AuditEvent
from mofan.core.errors import InvalidInput
from mofan.discipline import services, statistics
from mofan.discipline.choices import LeadState
from mofan.discipline.models import Lead

pytestmark = pytest.mark.django_db


def _lead(w, **extra):
    values = {"source": "petition", "received_on": date(2026, 11, 2), "subject": w.alice_p,
              "subject_post": "第一党支部书记", "allegation": "反映其违规收受下属单位购物卡。"}  # fmt: skip
    values.update(extra)
    return services.register(w.organ, actor=w.qian, **values)


def _review(w, lead, disposition, **extra):
    return services.review(lead, actor=w.qian, held_on=date(2026, 11, 6),
                           participants=[w.qian_p, w.sun_p], disposition=disposition,
                           reason="经集体排查，问题具体，可查性强。", **extra)  # fmt: skip


def test_a_letter_is_answered_in_fifteen_working_days_and_ends_in_the_first_form(dworld):
    w = dworld
    lead = _lead(w)
    assert lead.code == "2026-0001" and lead.state == LeadState.REGISTERED
    assert _lead(w).code == "2026-0002"
    with pytest.raises(InvalidInput, match="至少两名"):
        services.review(lead, actor=w.qian, held_on=date(2026, 11, 6), participants=[w.qian_p],
                        disposition="talk", talk_way="letter", reason="经集体排查决定函询。")  # fmt: skip
    with pytest.raises(InvalidInput, match="被反映人须回避"):
        services.review(lead, actor=w.qian, held_on=date(2026, 11, 6),
                        participants=[w.qian_p, w.alice_p], disposition="talk", talk_way="letter",
                        reason="经集体排查决定函询。")  # fmt: skip
    with pytest.raises(InvalidInput, match="谈话或函询"):
        _review(w, lead, "talk")
    _review(w, lead, "talk", talk_way="letter")
    lead.refresh_from_db()
    assert (lead.state, lead.due_on) == (LeadState.TALKING, None)
    with pytest.raises(InvalidInput, match="请先登记发出函询"):
        services.record_step(
            lead, actor=w.qian, kind="reply", on=date(2026, 11, 10), text="本人回复说明情况。"
        )
    with pytest.raises(InvalidInput, match="不能登记“初步核实报告”"):
        services.record_step(
            lead, actor=w.qian, kind="report", on=date(2026, 11, 10), text="核实报告内容。"
        )
    services.record_step(lead, actor=w.qian, kind="letter_sent", on=date(2026, 11, 9),
                         text="向张三发出函询通知书。")  # fmt: skip
    lead.refresh_from_db()
    assert lead.due_on == date(2026, 11, 30)  # 15 working days after Monday 9 November
    with pytest.raises(InvalidInput, match="请先登记“收到函询回复”"):
        services.conclude(
            lead, actor=w.qian, measure="criticism", result="批评教育。", on=date(2026, 11, 20)
        )
    services.record_step(lead, actor=w.qian, kind="reply", on=date(2026, 11, 16),
                         text="本人书面说明，承认收受购物卡两张已退还。")  # fmt: skip
    with pytest.raises(InvalidInput, match="须经初步核实"):
        services.conclude(lead, actor=w.qian, measure="heavy_punishment", result="给予处分。",
                          on=date(2026, 11, 20))  # fmt: skip
    lead = services.conclude(lead, actor=w.qian, measure="criticism", on=date(2026, 11, 20),
                             result="予以批评教育，责令退还购物卡。")  # fmt: skip
    assert (lead.state, lead.form, lead.measure) == (LeadState.CONCLUDED, 1, "criticism")
    with pytest.raises(InvalidInput, match="不能作出“初步核实”的处置"):
        _review(w, lead, "verify", due_on=date(2026, 12, 31))
    assert [s.kind for s in lead.steps.all()] == [
        "registered", "reviewed", "letter_sent", "reply", "concluded"]  # fmt: skip


def test_a_verification_ends_in_the_third_form_with_a_follow_up_visit(dworld):
    w = dworld
    lead = _lead(w, subject=None, subject_name="某某某", source="audit")
    with pytest.raises(InvalidInput, match="初步核实报告期限"):
        _review(w, lead, "verify")
    _review(w, lead, "verify", due_on=date(2026, 12, 31))
    lead.refresh_from_db()
    assert (lead.state, lead.due_on) == (LeadState.VERIFYING, date(2026, 12, 31))
    services.record_step(lead, actor=w.qian, kind="report", on=date(2026, 11, 19),
                         text="初步核实认定违规发放津贴补贴十二万元。")  # fmt: skip
    with pytest.raises(InvalidInput, match="须安排回访"):
        services.conclude(lead, actor=w.qian, measure="heavy_punishment", on=date(2026, 11, 20),
                          result="给予撤销党内职务处分。")  # fmt: skip
    lead = services.conclude(lead, actor=w.qian, measure="heavy_punishment", on=date(2026, 11, 20),
                             result="给予撤销党内职务处分。", revisit_on=date(2027, 5, 20))  # fmt: skip
    assert lead.form == 3
    visit = lead.revisits.get()
    assert visit.due_on == date(2027, 5, 20)
    with pytest.raises(InvalidInput, match="不能早于"):
        services.record_revisit(visit, actor=w.qian, done_on=date(2026, 11, 1), record="回访了。")
    services.record_revisit(
        visit, actor=w.qian, done_on=date(2026, 11, 20), record="思想稳定，工作正常。"
    )
    # Shelved, then reviewed again and closed.
    shelved = _lead(w)
    _review(w, shelved, "shelve", due_on=date(2027, 2, 1))
    shelved.refresh_from_db()
    assert shelved.state == LeadState.SHELVED
    _review(w, shelved, "close")
    shelved.refresh_from_db()
    assert (shelved.state, shelved.measure, shelved.form) == (
        LeadState.CONCLUDED,
        "dismissed",
        None,
    )


def test_statistics_count_sources_dispositions_and_the_forms_shares(dworld):
    w = dworld
    for n in range(3):  # three talks, each ending in the first form
        lead = _lead(w)
        _review(w, lead, "talk", talk_way="talk")
        services.record_step(
            lead, actor=w.qian, kind="talk_held", on=date(2026, 11, 10), text="谈话了解情况。"
        )
        services.conclude(lead, actor=w.qian, measure=["reminder", "criticism", "admonition"][n],
                          on=date(2026, 11, 12), result="已作处理，本人表示接受。")  # fmt: skip
    lead = _lead(w, source="inspection")
    _review(w, lead, "verify", due_on=date(2026, 12, 1))
    services.record_step(
        lead, actor=w.qian, kind="report", on=date(2026, 11, 19), text="核实属实。"
    )
    services.conclude(lead, actor=w.qian, measure="light_punishment", on=date(2026, 11, 20),
                      result="给予警告处分。", revisit_on=date(2027, 5, 1))  # fmt: skip
    _lead(w, received_on=date(2025, 12, 30))  # another year
    found = statistics.of_org(w.organ, 2026)
    assert (
        found.leads == 4 and found.by_source["信访举报"] == 3 and found.by_source["巡视巡察"] == 1
    )
    assert found.by_disposition["谈话函询"] == 3 and found.by_disposition["初步核实"] == 1
    assert found.forms == {"第一种形态": 3, "第二种形态": 1, "第三种形态": 0, "第四种形态": 0}
    assert found.shares["第一种形态"] == 75.0 and found.shares["第二种形态"] == 25.0
    assert statistics.of_org(w.root, 2026, tree=True).leads == 4
    assert statistics.of_org(w.root, 2026).leads == 0


def test_only_the_officers_and_handlers_read_and_never_the_person_concerned(dworld, client, login):
    from conftest import make_user

    w = dworld
    lead = _lead(w)
    url = reverse("discipline:lead", args=[lead.pk])
    # 张三, the person concerned, made a discipline officer of the organ committee too.
    from mofan.access.models import RoleAssignment

    RoleAssignment.objects.create(user=w.alice, role=Role.DISCIPLINE_OFFICER, org=w.organ)
    for user in (w.alice, w.feng, w.carol, w.bob, w.amy, w.sam):
        login(user)
        assert client.get(url).status_code == 404, user
        home = client.get(reverse("discipline:home"))
        assert home.status_code == (200 if user in (w.alice, w.feng) else 404)  # officers only
        assert lead.code not in home.content.decode()
        assert (
            client.post(url, {"op": "step", "kind": "reply", "version": lead.version}).status_code
            == 404
        )
    login(w.qian)
    page = client.get(url).content.decode()
    assert "违规收受下属单位购物卡" in page and "张三" in page
    # A handler (赵六, an org admin with no discipline role) reads it once assigned.
    sun = make_user("sun", w.sun_p)
    services.assign(lead, actor=w.qian, handlers=[sun], version=lead.version)
    with pytest.raises(InvalidInput, match="被反映人不能承办"):
        services.assign(lead, actor=w.qian, handlers=[w.alice], version=lead.version + 1)
    login(sun)
    assert client.get(url).status_code == 200
    assert client.post(url, {"op": "review", "version": lead.version + 1}).status_code == 400
    viewers = set(AuditEvent.objects.filter(action="discipline.lead.viewed", object_id=str(lead.pk))
                  .values_list("actor_name", flat=True))  # fmt: skip
    assert viewers == {"qian", "sun"}


def test_the_allegation_and_the_name_are_encrypted_and_found_by_name(dworld, client, login):
    w = dworld
    lead = _lead(w, subject=None, subject_name="王某某")
    _lead(w)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT subject_name, allegation FROM discipline_lead WHERE id = %s", [lead.pk]
        )
        name, allegation = cursor.fetchone()
    assert "王某某" not in name and "购物卡" not in allegation
    login(w.qian)
    page = client.get(reverse("discipline:home"), {"name": "王某某"}).content.decode()
    assert "2026-0001" in page and "2026-0002" not in page
    assert Lead.objects.get(pk=lead.pk).allegation.startswith("反映其")


def test_statistics_are_for_officers_and_leaders_without_names(dworld, client, login):
    from mofan.access.models import RoleAssignment

    w = dworld
    _lead(w)
    url = reverse("discipline:statistics") + f"?org={w.organ.pk}&year=2026"
    login(w.una)  # a leader of 人事司, not of the organ committee
    assert client.get(url).status_code == 404
    RoleAssignment.objects.create(user=w.una, role=Role.LEADER, unit=w.unit_root)
    page = client.get(url).content.decode()
    assert "信访举报" in page and "张三" not in page and "购物卡" not in page
    login(w.amy)
    assert client.get(url).status_code == 404


def test_the_pages_register_review_and_conclude(dworld, client, login):
    w = dworld
    login(w.qian)
    response = client.post(reverse("discipline:home"), {
        "org": w.organ.pk, "source": "petition", "received_on": "2026-11-02",
        "subject": w.alice_p.pk, "allegation": "反映其违规收受下属单位购物卡。"})  # fmt: skip
    lead = Lead.objects.get()
    assert response.status_code == 302 and lead.subject == w.alice_p
    url = reverse("discipline:lead", args=[lead.pk])
    bad = client.post(url, {"op": "review", "version": lead.version, "disposition": "talk",
                            "held_on": "2026-11-06", "participants": [w.qian_p.pk, w.sun_p.pk],
                            "reason": "经集体排查决定谈话。"})  # fmt: skip
    assert bad.status_code == 400 and "谈话函询须选择谈话或函询" in bad.content.decode()
    client.post(url, {"op": "review", "version": lead.version, "disposition": "talk",
                      "talk_way": "talk", "held_on": "2026-11-06",
                      "participants": [w.qian_p.pk, w.sun_p.pk], "reason": "经集体排查决定谈话。"})  # fmt: skip
    lead.refresh_from_db()
    assert lead.state == LeadState.TALKING and lead.due_on == date(2026, 11, 27)
    client.post(url, {"op": "step", "version": lead.version, "kind": "talk_held",
                      "on": "2026-11-10", "text": "与本人谈话，本人如实说明。"})  # fmt: skip
    lead.refresh_from_db()
    client.post(url, {"op": "conclude", "version": lead.version, "measure": "reminder",
                      "on": "2026-11-12", "result": "予以谈话提醒。"})  # fmt: skip
    lead.refresh_from_db()
    assert lead.form == 1 and lead.state == LeadState.CONCLUDED
    stale = client.post(url, {"op": "step", "version": 1, "kind": "talk_held", "on": "2026-11-10",
                              "text": "再次谈话的记录。"})  # fmt: skip
    assert stale.status_code == 409


def test_the_record_in_word_is_watermarked_and_the_reminders_spare_the_person(
    dworld, client, login
):
    import io

    from docx import Document

    from mofan.access.models import RoleAssignment
    from mofan.notify.models import Notification

    w = dworld
    lead = _lead(w)
    _review(w, lead, "talk", talk_way="letter")
    services.record_step(
        lead, actor=w.qian, kind="letter_sent", on=date(2026, 11, 9), text="发出函询通知书。"
    )
    login(w.qian)
    got = client.get(reverse("discipline:lead_record", args=[lead.pk]))
    document = Document(io.BytesIO(b"".join(got.streaming_content)))
    assert "钱纪检（qian）" in document.sections[0].header._element.xml
    text = "\n".join(p.text for p in document.paragraphs)
    assert "发出函询：发出函询通知书。" in text and "参加人员：钱纪检、孙纪检" in text
    assert (
        AuditEvent.objects.filter(action="discipline.lead.exported", object_id=str(lead.pk)).count()
        == 1
    )
    login(w.feng)
    assert client.get(reverse("discipline:lead_record", args=[lead.pk])).status_code == 404
    # The reply is due 30 November: from the 27th the officers are reminded — not 张三, the
    # person concerned, although made an officer too.
    RoleAssignment.objects.create(user=w.alice, role=Role.DISCIPLINE_OFFICER, org=w.organ)
    assert services.remind(date(2026, 11, 26)) == 0
    assert services.remind(date(2026, 11, 27)) == 1
    assert services.remind(date(2026, 11, 27)) == 0
    note = Notification.objects.get(kind="discipline", user=w.qian)
    assert "线索2026-0001" in note.title and "张三" not in note.body + note.title
    assert not Notification.objects.filter(kind="discipline", user=w.alice).exists()


def test_the_auditor_lists_who_viewed_a_lead(dworld, client, login):
    w = dworld
    lead = _lead(w)
    login(w.qian)
    client.get(reverse("discipline:lead", args=[lead.pk]))
    client.get(reverse("discipline:home"))
    login(w.auditor)
    page = client.get(reverse("console:audit"), {
        "action": "discipline.lead.viewed", "object_type": "discipline.lead",
        "object_id": str(lead.pk)}).content.decode()  # fmt: skip
    names = set(AuditEvent.objects.filter(action="discipline.lead.viewed", object_id=str(lead.pk))
                .values_list("actor_name", flat=True))  # fmt: skip
    assert names == {"qian"} and page.count("discipline.lead.viewed") >= 2 and "qian" in page
    login(w.qian)
    assert client.get(reverse("console:audit")).status_code == 404


def test_the_lead_list_reads_in_the_same_queries_for_one_lead_or_forty(dworld, client, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = dworld
    _lead(w)
    login(w.qian)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("discipline:home"), {"year": 2026, "source": "petition"})
        assert response.status_code == 200
        return len(queries)

    one = count()
    for _ in range(39):
        _lead(w)
    assert count() == one
    assert AuditEvent.objects.filter(action="discipline.lead.viewed").count() == 1 + 40


def test_an_officer_cannot_register_a_lead_about_themselves(dworld):
    w = dworld
    with pytest.raises(InvalidInput, match="不能登记反映本人"):
        services.register(w.organ, actor=w.qian, source="other", received_on=date(2026, 11, 2),
                          subject=w.qian_p, allegation="反映其收受购物卡问题。")  # fmt: skip
    assert not Lead.objects.exists()
