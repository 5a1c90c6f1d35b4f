"""移交 and 整改: the rectification ledgers made at 反馈, the papers' days, the target's papers,
整改评估 reopening a finding, the generated 整改进展公开, the figures, the watermarked exports."""

import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from mofan.audit.models import AuditEvent
from mofan.core.errors import InvalidInput
from mofan.inspection import rectify, services
from mofan.inspection.choices import Stage
from mofan.inspection.models import Rectification
from mofan.inspection.tests.conftest import SHANGHAI
from mofan.ledger import services as ledgers
from mofan.ledger.choices import FindingState, LedgerKind, SourceKind
from mofan.notify.models import Notification

pytestmark = pytest.mark.django_db


def _to(w, stage):
    while w.round.stage != stage:
        w.round = services.advance(w.round, actor=w.qian)


def _found(w):
    """Two findings at branch A, the round at 反馈 (2026年11月20日, a Friday)."""
    _to(w, Stage.INQUIRING)
    first = services.add_finding(w.target, actor=w.qian, category="party_building",
                                 title="三会一课不规范", facts="2026年支部委员会会议记录缺失三次。")  # fmt: skip
    second = services.add_finding(w.target, actor=w.qian, category="integrity",
                                  title="公务接待超标准", facts="两次公务接待超出规定标准共计1800元。")  # fmt: skip
    _to(w, Stage.FEEDBACK)
    return first, second


def _close(w, ledger_finding):
    """A measure of the ledger finding, handed to 李四 and closed out by 张三 (its supervisor)."""
    item = ledgers.add_measure(ledger_finding, actor=w.alice, content="整改措施：补齐会议记录",
                               lead_unit=w.unit_a, owners=[w.amy_p], deadline=date(2026, 12, 31))  # fmt: skip
    ledgers.transition(item, "assign", actor=w.alice)
    ledgers.transition(item, "accept", actor=w.amy)
    ledgers.transition(item, "start", actor=w.amy)
    ledgers.attach(item, actor=w.amy, upload=SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4"),
                   is_evidence=True)  # fmt: skip
    ledgers.transition(item, "submit_done", actor=w.amy, comment="已整改")
    ledgers.transition(item, "close_out", actor=w.alice, evaluation="good")
    return item


def test_the_due_days_follow_the_official_calendar_and_the_month_ends():
    # 15 working days from Friday 20 November 2026: 23–27 Nov, 30 Nov–4 Dec, 7–11 Dec.
    assert rectify.due_dates(date(2026, 11, 20)) == (date(2026, 12, 11), date(2027, 1, 20))
    # Across the National Day holiday of 2026 (1–7 October off, Saturday 10 October worked):
    # counting weekdays only would give 21 October.
    plan, report = rectify.due_dates(date(2026, 9, 30))
    assert plan == date(2026, 10, 27) and report == date(2026, 11, 30)
    assert rectify.months_after(date(2026, 8, 31), 2) == date(2026, 10, 31)
    assert rectify.months_after(date(2026, 12, 31), 2) == date(2027, 2, 28)
    assert rectify.months_after(date(2027, 12, 31), 2) == date(2028, 2, 29)


def test_hand_over_makes_the_target_s_ledger_from_the_findings(
    inspect_world, django_capture_on_commit_callbacks
):
    w = inspect_world
    first, second = _found(w)
    with pytest.raises(InvalidInput, match="请先将反馈问题移交整改"):
        services.advance(w.round, actor=w.qian)
    with django_capture_on_commit_callbacks(execute=True):
        (rect,) = rectify.hand_over(w.round, actor=w.qian)
    assert (rect.fed_back_on, rect.plan_due_on, rect.report_due_on) == (
        date(2026, 11, 20), date(2026, 12, 11), date(2027, 1, 20))  # fmt: skip
    ledger = rect.ledger
    assert ledger.kind == LedgerKind.RECTIFICATION and ledger.unit == w.unit_a
    assert ledger.name == "第一党支部2026年第一轮巡察反馈问题整改台账"
    assert list(ledger.supervisors.values_list("username", flat=True)) == ["alice"]
    source = ledger.sources.get()
    assert source.kind == SourceKind.INSPECTION and source.issued_on == date(2026, 11, 20)
    assert [(f.number, f.description) for f in ledger.findings.order_by("number")] == [
        (1, "【党的建设】三会一课不规范：2026年支部委员会会议记录缺失三次。"),
        (2, "【廉洁】公务接待超标准：两次公务接待超出规定标准共计1800元。"),
    ]
    first.refresh_from_db()
    assert first.ledger_finding.number == 1
    told = Notification.objects.get(user=w.alice, kind="inspection")
    assert "2026年12月11日" in told.body and "2027年1月20日" in told.body
    with pytest.raises(InvalidInput, match="不能重复移交"):
        rectify.hand_over(w.round, actor=w.qian)
    services.advance(w.round, actor=w.qian)  # 移交 now allowed


def test_hand_over_is_all_or_nothing_when_a_target_has_nobody_to_answer(inspect_world):
    from mofan.access.models import RoleAssignment

    w = inspect_world
    _found(w)
    RoleAssignment.objects.filter(user=w.alice, role="branch_secretary").delete()
    with pytest.raises(InvalidInput, match="第一党支部"):
        rectify.hand_over(w.round, actor=w.qian)
    assert not Rectification.objects.exists()
    from mofan.ledger.models import Ledger

    assert not Ledger.objects.filter(kind=LedgerKind.RECTIFICATION).exists()


def test_the_evaluation_reopens_a_finding_short_of_its_rectification(inspect_world):
    w = inspect_world
    first, second = _found(w)
    (rect,) = rectify.hand_over(w.round, actor=w.qian)
    first.refresh_from_db()
    second.refresh_from_db()
    _close(w, first.ledger_finding)
    first.ledger_finding.refresh_from_db()
    assert first.ledger_finding.state == FindingState.CLOSED
    with pytest.raises(InvalidInput, match="评估阶段"):
        rectify.rate(first, actor=w.qian, rating="done", evidence="查阅会议记录原件")
    _to(w, Stage.EVALUATING)
    with pytest.raises(InvalidInput, match="尚未销号"):
        rectify.rate(second, actor=w.qian, rating="done", evidence="查阅接待清单")
    with pytest.raises(InvalidInput, match="评估依据"):
        rectify.rate(first, actor=w.qian, rating="done", evidence="看")
    rectify.rate(second, actor=w.qian, rating="mostly", evidence="已退赔，制度尚在修订")
    first = rectify.rate(first, actor=w.qian, rating="not_done", evidence="抽查10月会议记录仍缺失")
    first.ledger_finding.refresh_from_db()
    assert first.rating == "not_done" and first.ledger_finding.state == FindingState.REOPENED
    assert AuditEvent.objects.filter(action="ledger.finding.reopened").count() == 1
    # The target adds a measure again and closes it: the finding closes out once more.
    _close(w, first.ledger_finding)
    first.ledger_finding.refresh_from_db()
    assert first.ledger_finding.state == FindingState.CLOSED
    found = rectify.round_figures(w.round)
    assert (found.problems, found.handed, found.closed, found.measures) == (2, 2, 1, 2)
    assert found.ratings == {"done": 0, "mostly": 1, "not_done": 1}
    assert found.by_category == {"党的建设": 1, "廉洁": 1} and found.rate == 50.0


def test_the_disclosure_is_generated_from_the_records_and_published_as_it_stands(inspect_world):
    w = inspect_world
    first, second = _found(w)
    (rect,) = rectify.hand_over(w.round, actor=w.qian)
    first.refresh_from_db()
    item = _close(w, first.ledger_finding)
    second.refresh_from_db()
    ledgers.add_measure(second.ledger_finding, actor=w.alice, content="长期坚持公务接待审批",
                        lead_unit=w.unit_a, ongoing=True)  # fmt: skip
    ledgers.add_accountability(item, actor=w.alice, kind="criticism", subject="某某",
                               reason="会议记录缺失", decided_on=date(2026, 11, 25))  # fmt: skip
    draft = rectify.draft_disclosure(rect, actor=w.qian)
    assert "巡察反馈问题2个，制定整改措施2条" in draft.text
    assert (
        "已完成整改1个，整改完成率50%；正在整改1个，其中需长期坚持、持续推进的1个。" in draft.text
    )
    assert "问责1人次，其中批评教育1人次。" in draft.text
    assert draft.figures["closed"] == 1 and draft.state == "draft"
    again = rectify.draft_disclosure(rect, actor=w.qian)  # the earlier draft gives way
    assert list(rect.target.disclosures.values_list("pk", flat=True)) == [again.pk]
    published = rectify.publish_disclosure(again, actor=w.qian, version=again.version)
    assert published.state == "published" and published.published_by == w.qian
    with pytest.raises(InvalidInput, match="已经公开"):
        rectify.publish_disclosure(published, actor=w.qian)


def test_the_target_sends_its_papers_and_the_reminders_find_the_late(inspect_world, time_machine):
    w = inspect_world
    _found(w)
    (rect,) = rectify.hand_over(w.round, actor=w.qian)
    assert rectify.remind(date(2026, 12, 1)) == 0  # ten days before the plan is due
    assert rectify.remind(date(2026, 12, 9)) == 1  # 张三 is reminded of the plan
    assert rectify.remind(date(2026, 12, 9)) == 0  # once a day
    note = Notification.objects.filter(user=w.alice, title__contains="整改方案").get()
    assert "将于2026年12月11日到期" in note.title
    time_machine.move_to(datetime(2026, 12, 14, 10, 0, tzinfo=SHANGHAI), tick=False)
    assert [(t.pk, label, days) for t, label, days in rectify.late_papers(w.round)] == [
        (w.target.pk, "整改方案", 3)
    ]
    rectify.send_paper(rect, actor=w.alice, paper="plan",
                       upload=SimpleUploadedFile("整改方案.pdf", b"%PDF-1.4 plan"))  # fmt: skip
    rect.refresh_from_db()
    assert rect.plan_file_name == "整改方案.pdf" and rect.plan_sent_at is not None
    assert rectify.late_papers(w.round) == []
    sent = AuditEvent.objects.get(action="inspection.plan.sent")
    assert sent.payload["late_days"] == 3
    with pytest.raises(InvalidInput, match="请选择整改情况报告文件"):
        rectify.send_paper(rect, actor=w.alice, paper="report", upload=None)
    _to(w, Stage.CLOSED)
    with pytest.raises(InvalidInput, match="已经结束"):
        rectify.send_paper(rect, actor=w.alice, paper="report",
                           upload=SimpleUploadedFile("报告.pdf", b"%PDF-1.4"))  # fmt: skip


def test_the_pages_hand_over_rate_disclose_and_keep_to_their_readers(inspect_world, client, login):
    w = inspect_world
    first, second = _found(w)
    round_url = reverse("inspection:round", args=[w.round.pk])
    login(w.qian)
    response = client.post(round_url, {"op": "handover"})
    assert response.status_code == 302
    rect = Rectification.objects.get()
    rect_url = reverse("inspection:rectification", args=[rect.pk])
    page = client.get(round_url).content.decode()
    assert rect_url in page and "整改完成率" in page
    # The feedback and the findings sheet carry the reader's name.
    feedback = client.get(reverse("inspection:feedback", args=[w.target.pk]))
    document = Document(io.BytesIO(b"".join(feedback.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "一、党的建设方面的问题" in text and "二、廉洁方面的问题" in text
    assert "于2026年12月11日前将整改方案、于2027年1月20日前将整改情况报告" in text
    header = document.sections[0].header._element.xml
    assert "钱纪检（qian）" in header and "导出" in header
    sheet = client.get(reverse("inspection:findings_sheet", args=[w.round.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(sheet.streaming_content))).active.values)
    assert rows[1][0].startswith("钱纪检（qian）")
    assert rows[3][:3] == ("第一党支部", 1, "党的建设") and rows[3][5] == "整改中"
    assert (
        AuditEvent.objects.filter(
            action__in=["inspection.feedback.exported", "inspection.findings.exported"]
        ).count()
        == 2
    )
    # The target's secretary reads the rectification (not the round) and sends the plan.
    client.logout()
    login(w.alice)
    assert client.get(round_url).status_code == 404
    assert client.get(reverse("inspection:target", args=[w.target.pk])).status_code == 404
    assert client.get(reverse("inspection:feedback", args=[w.target.pk])).status_code == 404
    page = client.get(rect_url)
    assert page.status_code == 200 and "公务接待超标准" in page.content.decode()
    assert client.post(rect_url, {"op": "draft"}).status_code == 404
    response = client.post(rect_url, {"op": "paper", "paper": "plan",
                                      "file": SimpleUploadedFile("方案.exe", b"MZ")})  # fmt: skip
    assert response.status_code == 400 and "文件" in response.content.decode()
    rect.refresh_from_db()
    assert rect.plan_sent_at is None
    client.post(rect_url, {"op": "paper", "paper": "plan",
                           "file": SimpleUploadedFile("整改方案.pdf", b"%PDF-1.4 x")})  # fmt: skip
    paper = client.get(reverse("inspection:paper", args=[rect.pk, "plan"]))
    assert paper.status_code == 200 and b"".join(paper.streaming_content) == b"%PDF-1.4 x"
    # Someone else — the other branch's secretary, the root's discipline officer — finds nothing.
    for other in (w.bob, w.feng, w.amy):
        client.logout()
        login(other)
        assert client.get(rect_url).status_code == 404
        assert client.get(reverse("inspection:paper", args=[rect.pk, "plan"])).status_code == 404
    # The keeper drafts and publishes; the secretary then reads the published text.
    client.logout()
    login(w.qian)
    client.post(rect_url, {"op": "draft"})
    draft = rect.target.disclosures.get()
    client.logout()
    login(w.alice)
    assert draft.text not in client.get(rect_url).content.decode()  # a draft under review
    assert client.get(reverse("inspection:disclosure", args=[rect.pk, draft.pk])).status_code == 404
    client.logout()
    login(w.qian)
    client.post(rect_url, {"op": "publish", "disclosure": draft.pk, "version": draft.version})
    client.logout()
    login(w.alice)
    assert "巡察反馈问题2个" in client.get(rect_url).content.decode()
    # The rating form, on the target page in 评估.
    client.logout()
    login(w.qian)
    _to(w, Stage.EVALUATING)
    first.refresh_from_db()
    target_url = reverse("inspection:target", args=[w.target.pk])
    response = client.post(target_url, {"op": "rate", "finding": first.pk, "rating": "not_done",
                                        "evidence": "抽查仍有缺失", "version": first.version})  # fmt: skip
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.rating == "not_done" and first.ledger_finding.state == FindingState.REOPENED
    response = client.post(target_url, {"op": "rate", "finding": second.pk, "rating": "done",
                                         "evidence": "查阅整改台账记录", "version": second.version})  # fmt: skip
    assert response.status_code == 400 and "尚未销号" in response.content.decode()


def test_the_api_hands_over_rates_and_discloses_within_the_same_reach(inspect_world, client, login):
    w = inspect_world
    first, _ = _found(w)
    login(w.alice)  # the target's secretary cannot hand over
    assert client.post(f"/api/inspection-rounds/{w.round.pk}/hand-over/").status_code == 404
    login(w.qian)
    response = client.post(f"/api/inspection-rounds/{w.round.pk}/hand-over/")
    assert response.status_code == 200
    (made,) = response.json()
    assert (made["plan_due_on"], made["report_due_on"]) == ("2026-12-11", "2027-01-20")
    again = client.post(f"/api/inspection-rounds/{w.round.pk}/hand-over/")
    assert again.status_code == 400 and "不能重复移交" in again.json()["detail"]
    figures = client.get(f"/api/inspection-rounds/{w.round.pk}/figures/").json()
    assert (figures["problems"], figures["handed"], figures["closed"]) == (2, 2, 0)
    assert figures["by_category"] == {"党的建设": 1, "廉洁": 1}
    rect_url = f"/api/inspection-rectifications/{made['id']}/"
    # The secretary sends the report; the keeper drafts and publishes the disclosure.
    login(w.alice)
    assert [r["id"] for r in client.get("/api/inspection-rectifications/").json()["results"]] == [
        made["id"]
    ]
    sent = client.post(f"{rect_url}paper/", {"paper": "report", "file": SimpleUploadedFile(
        "整改情况报告.pdf", b"%PDF-1.4 r")})  # fmt: skip
    assert sent.status_code == 200 and sent.json()["report_file_name"] == "整改情况报告.pdf"
    got = client.get(f"{rect_url}papers/report/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 r"
    assert client.post(f"{rect_url}disclose/").status_code == 404
    login(w.qian)
    draft = client.post(f"{rect_url}disclose/").json()
    assert draft["state"] == "draft" and "巡察反馈问题2个" in draft["text"]
    login(w.alice)
    assert client.get(f"{rect_url}disclosures/").json() == []
    login(w.qian)
    stale = client.post(f"{rect_url}publish/", {"disclosure": draft["id"], "version": 9},
                        content_type="application/json")  # fmt: skip
    assert stale.status_code == 409
    done = client.post(f"{rect_url}publish/", {"disclosure": draft["id"], "version": 1},
                       content_type="application/json")  # fmt: skip
    assert done.json()["state"] == "published"
    # Rating: the keepers, in 评估 only.
    _to(w, Stage.EVALUATING)
    first.refresh_from_db()
    body = {"rating": "not_done", "evidence": "抽查仍有缺失", "version": first.version}
    login(w.bob)  # the team's leader records findings, but does not rate
    assert client.post(f"/api/inspection-findings/{first.pk}/rate/", body,
                       content_type="application/json").status_code == 404  # fmt: skip
    login(w.qian)
    rated = client.post(f"/api/inspection-findings/{first.pk}/rate/", body,
                        content_type="application/json")  # fmt: skip
    assert rated.status_code == 200 and rated.json()["rating"] == "not_done"
    # Outside: another branch's secretary, the root's discipline officer, a member.
    for other in (w.feng, w.amy, w.carol):
        login(other)
        assert client.get(rect_url).status_code == 404
        assert client.get("/api/inspection-rectifications/").json()["results"] == []
        assert client.get(f"{rect_url}papers/report/").status_code == 404


def test_the_daily_command_and_the_beat_send_the_reminders(inspect_world, settings):
    from django.core.management import call_command

    w = inspect_world
    _found(w)
    rectify.hand_over(w.round, actor=w.qian)
    out = io.StringIO()
    call_command("inspection_reminders", "--date", "2026-12-10", stdout=out)
    assert "巡察整改材料提醒 1 条" in out.getvalue()
    assert settings.CELERY_BEAT_SCHEDULE["inspection-reminders"]["task"] == (
        "mofan.inspection.send_reminders"
    )
    from mofan.inspection.jobs import send_reminders

    assert send_reminders.name == "mofan.inspection.send_reminders"


def test_a_finding_becomes_a_case_lead_of_the_inspecting_organisation(inspect_world, client, login):
    from mofan.discipline.models import Lead

    w = inspect_world
    first, _ = _found(w)
    url = reverse("discipline:from_finding", args=[first.pk])
    body = {
        "subject_name": "某某某",
        "subject_post": "支部书记",
        "allegation": "会议记录缺失，涉嫌弄虚作假。",
    }
    login(w.bob)  # the team leader records findings, but hands nothing to discipline
    assert client.post(url, body).status_code == 404
    login(w.qian)
    assert client.post(url, {**body, "allegation": ""}).status_code == 302
    assert not Lead.objects.exists()  # refused: the allegation is required
    response = client.post(url, body)
    lead = Lead.objects.get()
    assert response.url == reverse("discipline:lead", args=[lead.pk])
    assert (lead.source, lead.finding_id, lead.org_id) == ("inspection", first.pk, w.organ.pk)
    assert rectify.round_figures(w.round).leads == 1
    page = client.get(reverse("inspection:target", args=[w.target.pk])).content.decode()
    assert f"已移交问题线索{lead.code}" in page


def test_the_plan_page_gives_the_term_s_figures_by_year(inspect_world, client, login):
    w = inspect_world
    _found(w)
    rectify.hand_over(w.round, actor=w.qian)
    term = rectify.term_figures(w.plan)
    assert term["all"].problems == 2 and [f.problems for _, f in term["years"]] == [2, 0, 0, 0, 0]
    login(w.qian)
    page = client.get(reverse("inspection:plan", args=[w.plan.pk])).content.decode()
    assert "本规划期巡察成果" in page and "党的建设 1" in page


def test_a_finding_keeps_its_evidence_for_those_who_read_it(inspect_world, client, login):
    from mofan.inspection.models import Evidence

    w = inspect_world
    first, _ = _found(w)  # at 反馈: evidence is added before
    with pytest.raises(InvalidInput, match="反馈前"):
        services.add_evidence(first, actor=w.qian, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"))
    w.round.stage = Stage.REPORTING
    w.round.save(update_fields=["stage"])
    target_url = reverse("inspection:target", args=[w.target.pk])
    login(w.bob)  # the team's leader records evidence of the team's target
    bad = client.post(target_url, {"op": "evidence", "finding": first.pk,
                                   "file": SimpleUploadedFile("记录.pdf", b"MZ not a pdf")})  # fmt: skip
    assert bad.status_code == 400 and not Evidence.objects.exists()
    client.post(target_url, {"op": "evidence", "finding": first.pk,
                             "file": SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4 minutes")})  # fmt: skip
    evidence = Evidence.objects.get()
    assert evidence.file_name == "会议记录.pdf" and evidence.uploaded_by == w.bob
    url = reverse("inspection:evidence", args=[evidence.pk])
    api = f"/api/inspection-findings/{first.pk}/evidence/{evidence.pk}/"
    for reader in (w.bob, w.qian):
        login(reader)
        got = client.get(url)
        assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 minutes"
        assert client.get(api).status_code == 200
    assert "会议记录.pdf" in client.get(target_url).content.decode()
    for other in (w.feng, w.alice, w.carol):
        login(other)
        assert client.get(url).status_code == 404 and client.get(api).status_code == 404
    assert AuditEvent.objects.filter(action="inspection.evidence.downloaded").count() == 4
