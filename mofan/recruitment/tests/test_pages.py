"""The pages and API of 发展党员: the branch's pipeline and an applicant's file for the branch's
secretary and the org admins above; the applicant sees their own stage and next step; another
organisation reads nothing and changes nothing; a refused step answers a Chinese 4xx."""

from datetime import date

import pytest
from django.urls import reverse

from conftest import make_user
from mofan.access import services as access
from mofan.notify.models import Notification
from mofan.recruitment import checks, services
from mofan.recruitment.choices import Stage, StepKind
from mofan.recruitment.models import Applicant, Step
from mofan.recruitment.tests.conftest import assembly

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(recruit_world):
    applicant = services.open_file(
        actor=None, person=recruit_world.chen, org=recruit_world.branch_a,
        applied_on=date(2026, 10, 10),
    )  # fmt: skip
    return applicant


def _details(person, w) -> dict:
    return {"name": person.name, "gender": person.gender, "ethnicity": person.ethnicity,
            "birth_date": person.birth_date.isoformat(), "id_number": person.id_number,
            "unit": w.unit_a.pk}  # fmt: skip


def test_a_new_person_is_registered_with_the_application(recruit_world, login):
    from mofan.orgs.models import Person

    w = recruit_world
    url = reverse("recruitment:new", args=[w.branch_a.pk])
    data = {"name": "郑十一", "gender": "M", "ethnicity": "汉族", "birth_date": "1988-03-04",
            "id_number": "110105198803040014", "unit": w.unit_a.pk, "applied_on": "2026-11-01"}  # fmt: skip
    assert login(w.alice).post(url, data).status_code == 302
    assert Applicant.objects.get().person == Person.objects.get(name="郑十一")


def test_the_secretary_opens_a_file_and_records_the_talk(recruit_world, login):
    w = recruit_world
    client = login(w.alice)
    assert client.get(reverse("recruitment:home")).status_code == 302  # straight to her branch
    url = reverse("recruitment:new", args=[w.branch_a.pk])
    young = _details(w.young, w)
    response = client.post(url, {**young, "applied_on": "2026-11-01"})
    assert response.status_code == 400
    assert "年满十八岁" in response.content.decode()
    response = client.post(url, {**_details(w.chen, w), "name": "陈二", "applied_on": "2026-10-10"})
    assert response.status_code == 400
    assert "另一姓名" in response.content.decode()
    response = client.post(url, {**_details(w.chen, w), "applied_on": "2026-10-10"})
    applicant = Applicant.objects.get()
    assert applicant.person == w.chen  # found by the ID number, not registered twice
    assert response.status_code == 302
    page = client.get(reverse("recruitment:file", args=[applicant.pk])).content.decode()
    assert "派人谈话" in page and "2026年11月10日前" in page and "第七条" in page
    step = reverse("recruitment:step", args=[applicant.pk, StepKind.TALK])
    response = client.post(step, {"version": applicant.version, "done_on": "2026-11-05",
                                  "person_a": w.alice_p.pk, "note": "了解入党动机"})  # fmt: skip
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.talked_on == date(2026, 11, 5)


def test_a_step_out_of_order_through_the_page_is_a_400_with_the_reason(filed, recruit_world, login):
    w = recruit_world
    client = login(w.alice)
    url = reverse("recruitment:step", args=[filed.pk, StepKind.ACTIVIST])
    response = client.post(url, {"version": filed.version, "done_on": "2026-11-05",
                                 "recommendation": "members", "person_a": w.qian.pk})  # fmt: skip
    assert response.status_code == 400
    assert "须先完成：派人谈话" in response.content.decode()
    assert not Step.objects.exists()
    stale = client.post(
        reverse("recruitment:step", args=[filed.pk, StepKind.TALK]),
        {"version": filed.version + 3, "done_on": "2026-11-05", "person_a": w.alice_p.pk,
         "note": "谈话"},
    )  # fmt: skip
    assert stale.status_code == 409
    assert client.get(reverse("recruitment:step", args=[filed.pk, "nonsense"])).status_code == 404


def test_the_pipeline_lists_the_most_urgent_first_with_its_rule(filed, recruit_world, login):
    w = recruit_world
    other = services.open_file(
        actor=None, person=w.una_p, org=w.branch_a, applied_on=date(2026, 11, 15)
    )
    page = login(w.alice).get(reverse("recruitment:org", args=[w.branch_a.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert text.index("陈一") < text.index("周八")  # due 11月10日 (overdue) before 12月15日
    assert "已逾期（应于2026年11月10日前）" in text
    assert "1 人有逾期未办事项" in text
    assert other.next_due_on == date(2026, 12, 15)


def test_the_pipeline_page_reads_a_constant_number_of_queries(
    recruit_world, login, django_assert_max_num_queries
):
    w = recruit_world
    client = login(w.alice)
    services.open_file(actor=None, person=w.chen, org=w.branch_a, applied_on=date(2026, 10, 10))
    client.get(reverse("recruitment:org", args=[w.branch_a.pk]))
    with django_assert_max_num_queries(14) as first:
        client.get(reverse("recruitment:org", args=[w.branch_a.pk]))
    services.open_file(actor=None, person=w.una_p, org=w.branch_a, applied_on=date(2026, 11, 1))
    services.open_file(actor=None, person=w.young.__class__.objects.create(
        name="吴十二", gender="M", birth_date=date(1990, 1, 1), id_number_hash="x1",
        unit=w.unit_a), org=w.branch_a, applied_on=date(2026, 11, 2))  # fmt: skip
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("recruitment:org", args=[w.branch_a.pk]))


@pytest.mark.parametrize("persona", ["bob", "sam", "una", "amy", "sysadmin"])
def test_another_organisation_or_role_reads_and_changes_nothing(
    filed, recruit_world, login, persona
):
    w = recruit_world
    client = login(getattr(w, persona))
    assert client.get(reverse("recruitment:org", args=[w.branch_a.pk])).status_code == 404
    assert client.get(reverse("recruitment:file", args=[filed.pk])).status_code == 404
    step = reverse("recruitment:step", args=[filed.pk, StepKind.TALK])
    assert client.post(step, {"version": 1, "done_on": "2026-11-05", "person_a": w.alice_p.pk,
                              "note": "谈话"}).status_code == 404  # fmt: skip
    assert client.post(reverse("recruitment:new", args=[w.branch_a.pk]),
                       {"person": w.una_p.pk, "applied_on": "2026-11-01"}).status_code == 404  # fmt: skip
    assert Step.objects.count() == 0 and Applicant.objects.count() == 1


def test_the_org_admin_above_keeps_the_files_too(filed, recruit_world, login):
    w = recruit_world
    client = login(w.carol)  # org admin of the organ committee
    assert client.get(reverse("recruitment:file", args=[filed.pk])).status_code == 200
    assert "陈一" in client.get(reverse("recruitment:org", args=[w.organ.pk])).content.decode()


def test_the_applicant_sees_their_own_stage_and_next_step_only(filed, recruit_world, login):
    w = recruit_world
    chen = make_user("chen", w.chen)
    client = login(chen)
    home = client.get(reverse("recruitment:home")).content.decode()
    assert "入党申请人" in home
    page = client.get(reverse("recruitment:file", args=[filed.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "派人谈话" in text and 'data-testid="available"' not in text
    step = reverse("recruitment:step", args=[filed.pk, StepKind.TALK])
    assert client.get(step).status_code == 404


def test_the_daily_check_tells_the_branch_once(filed, recruit_world):
    w = recruit_world
    assert checks.notify_overdue(date(2026, 11, 10))["overdue"] == 0
    first = checks.notify_overdue(date(2026, 11, 20))
    assert first["overdue"] == 1 and first["notices"] >= 2  # alice (secretary), carol (org admin)
    assert checks.notify_overdue(date(2026, 11, 21))["notices"] == 0
    notice = Notification.objects.get(user=w.alice, kind="recruitment")
    assert notice.title == "发展党员提醒：陈一的“派人谈话”已逾期"
    assert "2026年11月10日前" in notice.body


def _api(client, user):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {access.issue_api_token(user, actor=user)}"
    return client


def test_the_api_opens_files_records_steps_and_keeps_others_out(recruit_world, client):
    w = recruit_world
    api = _api(client, w.alice)
    details = {"name": "陈一", "gender": "M", "birth_date": w.chen.birth_date.isoformat(),
               "id_number": w.chen.id_number, "unit": w.unit_a.pk}  # fmt: skip
    response = api.post("/api/applicants/", {**details, "org": w.branch_a.pk,
                                              "applied_on": "2026-10-10"}, content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    steps = f"/api/applicants/{pk}/steps/"
    body = {"kind": "activist", "done_on": "2026-11-05", "version": 1, "recommendation": "members",
            "person_a": w.qian.pk}  # fmt: skip
    refused = api.post(steps, body, content_type="application/json")
    assert refused.status_code == 400 and "派人谈话" in refused.json()["detail"]
    talk = {"kind": "talk", "done_on": "2026-11-05", "version": 1, "person_a": w.alice_p.pk,
            "note": "谈话"}  # fmt: skip
    assert api.post(steps, talk, content_type="application/json").status_code == 201
    assert [s["kind"] for s in api.get(steps).json()] == ["talk"]
    bob = _api(client, w.bob)
    assert bob.get(f"/api/applicants/{pk}/").status_code == 404
    assert (
        bob.post(steps, {**body, "version": 2}, content_type="application/json").status_code == 404
    )
    assert bob.post("/api/applicants/", {"person": w.una_p.pk, "org": w.branch_a.pk,
                                         "applied_on": "2026-10-10"}, content_type="application/json").status_code == 404  # fmt: skip
    assert Applicant.objects.get().stage == Stage.APPLICANT


def test_the_admission_vote_through_the_page(recruit_world, login, time_machine):
    w = recruit_world
    time_machine.move_to(date(2025, 3, 1), tick=False)
    applicant = services.open_file(
        actor=None, person=w.chen, org=w.branch_a, applied_on=date(2025, 3, 1)
    )
    time_machine.move_to(date(2026, 6, 30), tick=False)

    def step(kind, on, **fields):
        applicant.refresh_from_db()
        services.record_step(applicant, actor=None, kind=kind, done_on=on, **fields)

    step(StepKind.TALK, date(2025, 3, 10), person_a=w.alice_p, note="谈话")
    step(StepKind.ACTIVIST, date(2025, 4, 10), recommendation="members", person_a=w.qian)
    step(StepKind.REVIEW, date(2025, 10, 8), note="良好")
    step(StepKind.REVIEW, date(2026, 4, 8), note="良好")
    step(StepKind.NOMINEE, date(2026, 4, 15), person_a=w.qian, person_b=w.sun)
    step(StepKind.POLITICAL, date(2026, 5, 10), note="合格")
    step(StepKind.TRAINING, date(2026, 5, 20), days=3)
    step(StepKind.PUBLICITY, date(2026, 6, 1), ends_on=date(2026, 6, 5))
    step(StepKind.PRE_REVIEW, date(2026, 6, 10))
    meeting = assembly(w.branch_a, date(2026, 6, 25))
    applicant.refresh_from_db()
    client = login(w.alice)
    url = reverse("recruitment:step", args=[applicant.pk, StepKind.ADMISSION])
    form = client.get(url).content.decode()
    assert meeting.title in form
    data = {"version": applicant.version, "done_on": "2026-06-25", "meeting": meeting.pk,
            "present": 2, "votes_for": 2, "votes_against": 0, "votes_abstain": 0}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 400
    assert "未超过半数，不能进行表决" in response.content.decode()
    response = client.post(url, {**data, "present": 4, "votes_for": 4})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.admitted_on == date(2026, 6, 25)
    page = client.get(reverse("recruitment:file", args=[applicant.pk])).content.decode()
    assert "（会议记录第1项议程）：应到4人，实到4人，赞成4票" in page
    assert meeting.agenda.get().title == "讨论接收陈一同志为预备党员"
    # The 审批表 to send up: for the keepers of the file only.
    form = reverse("recruitment:approval", args=[applicant.pk, "admission"])
    assert 'data-testid="admission-docx"' in page and "confirmation-docx" not in page
    response = client.get(form)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert client.get(reverse("recruitment:approval", args=[applicant.pk, "confirmation"])
                      ).status_code == 404  # fmt: skip
    assert login(w.bob).get(form).status_code == 404
    assert login(make_user("chen", w.chen)).get(form).status_code == 404


def test_the_front_line_mark_is_corrected_on_the_file(filed, recruit_world, login):
    w = recruit_world
    url = reverse("recruitment:front_line", args=[filed.pk])
    assert login(w.bob).post(url, {"version": 1, "front_line": "1"}).status_code == 404
    client = login(w.alice)
    stale = client.post(url, {"version": 0, "front_line": "1"})
    assert stale.status_code == 409 and "已被他人更新" in stale.content.decode()
    filed.refresh_from_db()
    assert filed.front_line is False
    assert client.post(url, {"version": 1, "front_line": "1"}).status_code == 302
    filed.refresh_from_db()
    assert (filed.front_line, filed.version) == (True, 2)
    assert client.get(url).status_code == 405


def test_the_applicant_s_own_page_links_to_the_file(filed, recruit_world, login):
    w = recruit_world
    url = reverse("orgs:person_detail", args=[w.chen.pk])
    # The keepers of the file keep the file, not the non-member's person record.
    assert login(w.alice).get(url).status_code == 404
    chen = make_user("chen", w.chen)
    own = login(chen).get(url)
    assert own.status_code == 200
    assert "发展党员档案：入党申请人" in own.content.decode()


def test_the_secretary_s_home_lists_the_overdue_talk(filed, recruit_world, login):
    w = recruit_world
    page = login(w.alice).get("/").content.decode()
    assert 'data-testid="home-branch-members"' in page
    assert "陈一</a>：派人谈话" in page and "已逾期，2026年11月10日前" in page
    assert "陈一" not in login(w.bob).get("/").content.decode()


def test_the_year_plan_and_figures_of_a_committee(recruit_world, login, time_machine):
    from mofan.recruitment.models import Plan

    w = recruit_world
    time_machine.move_to(date(2025, 3, 1), tick=False)
    applicant = services.open_file(
        actor=None, person=w.chen, org=w.branch_a, applied_on=date(2025, 3, 1), front_line=True
    )
    time_machine.move_to(date(2026, 11, 20), tick=False)
    for kind, on, fields in (
        (StepKind.TALK, date(2025, 3, 10), {"person_a": w.alice_p, "note": "谈话"}),
        (StepKind.ACTIVIST, date(2025, 4, 10), {"recommendation": "members", "person_a": w.qian}),
        (StepKind.REVIEW, date(2025, 10, 8), {"note": "良好"}),
        (StepKind.REVIEW, date(2026, 4, 8), {"note": "良好"}),
        (StepKind.NOMINEE, date(2026, 4, 15), {"person_a": w.qian, "person_b": w.sun}),
        (StepKind.POLITICAL, date(2026, 5, 10), {"note": "合格"}),
        (StepKind.TRAINING, date(2026, 5, 20), {"days": 3}),
        (StepKind.PUBLICITY, date(2026, 6, 1), {"ends_on": date(2026, 6, 5)}),
        (StepKind.PRE_REVIEW, date(2026, 6, 10), {}),
        (StepKind.ADMISSION, date(2026, 6, 25), {"meeting": assembly(w.branch_a, date(2026, 6, 25)),
                                                 "present": 4, "votes_for": 4, "votes_against": 0,
                                                 "votes_abstain": 0}),
        (StepKind.APPROVAL, date(2026, 7, 15), {}),
    ):  # fmt: skip
        applicant.refresh_from_db()
        services.record_step(applicant, actor=None, kind=kind, done_on=on, **fields)
    services.open_file(actor=None, person=w.una_p, org=w.branch_b, applied_on=date(2026, 11, 1))
    client = login(w.carol)
    url = reverse("recruitment:year", args=[w.organ.pk, 2026])
    bad = client.post(url, {f"quota_{w.branch_a.pk}": "三", f"quota_{w.branch_b.pk}": "2"})
    assert bad.status_code == 400 and "计划人数须为0至999的整数" in bad.content.decode()
    assert not Plan.objects.exists()
    saved = client.post(url, {f"quota_{w.branch_a.pk}": "2", f"quota_{w.branch_b.pk}": "1",
                              "note": "机关党委2026年度计划"})  # fmt: skip
    assert saved.status_code == 302
    page = client.get(url).content.decode()
    # 陈一 (born 1998-04-05, bachelor, male, 汉族): admitted at 28.
    assert '<div class="h1 mb-0" data-testid="admitted">1</div>' in page
    assert "计划 3 人" in page
    assert '<div class="h2 mb-0" data-testid="young">100.0%</div>' in page
    assert '<div class="h2 mb-0" data-testid="college-front-line">100.0% / 100.0%</div>' in page
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(
        client.get(reverse("recruitment:year_export", args=[w.organ.pk, 2026])).streaming_content
    ))).active  # fmt: skip
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    first = next(r for r in rows if r[1] == "第一党支部")
    assert list(first[2:6]) == [2, 1, 1, 0]  # quota 2, one admitted, one short, no applicant
    second = next(r for r in rows if r[1] == "第二党支部")
    assert list(second[2:6]) == [1, 0, 1, 1]  # quota 1, none admitted, one applicant now
    assert next(r for r in rows if r[1] == "2026年发展党员中生产、工作一线")[2:4] == [1, "100.0%"]
    # The branch secretary of another organ cannot read it; the file's Word notice is there.
    assert login(w.bob).get(url).status_code == 404
    notice = login(w.alice).get(reverse("recruitment:publicity", args=[applicant.pk]))
    from docx import Document

    text = "\n".join(
        p.text for p in Document(io.BytesIO(b"".join(notice.streaming_content))).paragraphs
    )
    assert "拟将陈一同志作为发展对象报上级党委预审" in text
    assert "公示时间：2026年6月1日至2026年6月5日（5个工作日）" in text
    assert "2025年4月10日被确定为入党积极分子" in text


def _heat_map_cell(client, org, month):
    import json
    import re

    page = client.get(reverse("meetings:compliance"), {"org": org.pk, "year": 2026})
    data = json.loads(
        re.search(
            r'id="heatmap-data" type="application/json">(.*?)</script>', page.content.decode(), re.S
        ).group(1)  # fmt: skip
    )
    row = data["ids"].index(org.pk)
    return next(c for c in data["cells"] if c[1] == row and c[0] == month - 1)


def test_the_heat_map_marks_the_month_of_an_overdue_step_for_those_who_keep_files(
    filed, recruit_world, login
):
    w = recruit_world
    # Handed in on 2026年10月10日, the talk was due by 11月10日: today, 11月20日, it is overdue.
    alice = login(w.alice)
    assert _heat_map_cell(alice, w.branch_a, 11)[6] == ["发展党员：1项逾期未办"]
    assert _heat_map_cell(alice, w.branch_a, 10)[6] == []
    cell = alice.get(reverse("meetings:cell", args=[w.branch_a.pk, 2026, 11])).content.decode()
    assert "陈一：派人谈话</a>" in cell and "应于2026年11月10日前办理，已逾期" in cell
    # A member of the same branch reads its heat map, not its applicants.
    amy = login(w.amy)
    assert _heat_map_cell(amy, w.branch_a, 11)[6] == []
    cell = amy.get(reverse("meetings:cell", args=[w.branch_a.pk, 2026, 11])).content.decode()
    assert "陈一" not in cell
    # Done, the mark goes.
    services.record_step(filed, actor=None, kind=StepKind.TALK, done_on=date(2026, 11, 18),
                         person_a=w.alice_p, note="谈话")  # fmt: skip
    assert _heat_map_cell(alice, w.branch_a, 11)[6] == []


def test_the_file_keeps_its_papers_for_its_keepers_and_the_applicant(filed, recruit_world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mofan.recruitment.models import Document

    w = recruit_world
    url = reverse("recruitment:documents", args=[filed.pk])
    bob = login(w.bob)
    assert bob.post(url, {"kind": "application",
                          "file": SimpleUploadedFile("申请书.pdf", b"%PDF-1.4 x")}).status_code == 404  # fmt: skip
    alice = login(w.alice)
    bad = alice.post(url, {"kind": "application",
                           "file": SimpleUploadedFile("申请书.exe", b"MZ")})  # fmt: skip
    assert bad.status_code == 400 and Document.objects.count() == 0
    none = alice.post(url, {"kind": "application"})
    assert none.status_code == 400 and "请选择要上传的文件" in none.content.decode()
    assert alice.post(url, {"kind": "application",
                            "file": SimpleUploadedFile("入党申请书.pdf", b"%PDF-1.4 x")}).status_code == 302  # fmt: skip
    document = Document.objects.get()
    assert (document.kind, document.name, document.applicant_id) == (
        "application", "入党申请书.pdf", filed.pk,
    )  # fmt: skip
    page = alice.get(reverse("recruitment:file", args=[filed.pk])).content.decode()
    assert "入党申请书.pdf" in page and "入党申请书 · " in page
    read = reverse("recruitment:document", args=[filed.pk, document.pk])
    assert alice.get(read).status_code == 200
    assert login(w.bob).get(read).status_code == 404
    assert login(make_user("chen", w.chen)).get(read).status_code == 200  # the applicant's own


def test_the_api_keeps_the_papers_of_a_file(filed, recruit_world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    w = recruit_world
    url = f"/api/applicants/{filed.pk}/documents/"
    upload = {"kind": "report", "file": SimpleUploadedFile("思想汇报.pdf", b"%PDF-1.4 x")}
    assert login(w.bob).post(url, upload).status_code == 404
    alice = login(w.alice)
    json_body = alice.post(url, {"kind": "report"}, content_type="application/json")
    assert json_body.status_code == 415 and "不支持" in json_body.content.decode()
    upload["file"].seek(0)
    created = alice.post(url, upload)
    assert created.status_code == 201 and created.json()["name"] == "思想汇报.pdf"
    assert [d["kind"] for d in alice.get(url).json()] == ["report"]
    assert login(w.bob).get(url).status_code == 404
