"""The 三项制度's documents and 创建 evaluations: the 述职报告 with its generated data sheet, the
voters' anonymous comments and the 约谈 flag, the 一学一报 scorer, the annual report on 党建 sent
up and reviewed with its generated appendix, and a 创建 evaluation from the round's results to
its published list — each with its need-to-know and its refusals."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from mofan.assessment import annual, awards, debriefs
from mofan.assessment.choices import AwardState, Decision, ReportState
from mofan.assessment.models import AnnualReport, Award, Candidate, DebriefComment, Target
from mofan.assessment.tests.conftest import SHANGHAI
from mofan.core.errors import InvalidInput, StaleEdit


def _text(response) -> str:
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# -- 述职报告 and the data sheet ----------------------------------------------------------------


def test_the_one_who_reports_writes_the_report_and_gets_the_data_sheet(
    debrief_world, client, login
):
    w = debrief_world
    url = f"/assessment/debriefs/{w.debrief.pk}/reports/{w.da.pk}/"
    login(w.alice)
    page = client.get("/assessment/")
    assert url in page.content.decode()  # 我的述职 on the home page
    response = client.post(url, {"text": "一年来，支部坚持……", "version": 0})
    assert response.status_code == 302
    w.da.refresh_from_db()
    assert w.da.report_text == "一年来，支部坚持……" and w.da.reported_at is not None
    sheet = client.get(url + "sheet.docx")
    assert sheet.status_code == 200
    text = _text(sheet)
    assert "第一党支部2026年度抓党建工作述职数据表" in text
    assert "述职人：张三（第一党支部书记）" in text
    # The figures are the records': the September talk with 张三, of branch A's 2 members.
    assert "党员2人，本年参加谈心谈话1人（50.0%）" in text
    # Another branch's secretary reaches neither the report nor the sheet.
    login(w.bob)
    assert client.get(url).status_code == 404
    assert client.get(url + "sheet.docx").status_code == 404
    assert client.post(url, {"text": "篡改"}).status_code == 404
    w.da.refresh_from_db()
    assert w.da.report_text == "一年来，支部坚持……"
    # The organiser reads it, and sees who has reported.
    login(w.carol)
    assert "一年来，支部坚持" in client.get(url).content.decode()
    assert "已提交" in client.get(f"/assessment/debriefs/{w.debrief.pk}/").content.decode()


def test_a_report_is_refused_empty_stale_or_after_the_vote(
    debrief_world, settings, tmp_path, time_machine
):
    settings.MEDIA_ROOT = tmp_path
    w = debrief_world
    with pytest.raises(InvalidInput, match="请填写述职报告或上传"):
        debriefs.submit_report(w.da, actor=w.alice, text="  ")
    with pytest.raises(InvalidInput, match="版本号有误"):
        debriefs.submit_report(w.da, actor=w.alice, text="报告", version="abc")
    first = debriefs.submit_report(w.da, actor=w.alice, text="报告", version=0)
    # Another's report does not make this form stale; a second submission of this one does.
    debriefs.submit_report(w.db, actor=w.bob, text="王五的报告", version=0)
    time_machine.shift(60)
    debriefs.submit_report(w.da, actor=w.alice, text="改过的报告",
                           version=debriefs.report_token(first))  # fmt: skip
    with pytest.raises(StaleEdit):
        debriefs.submit_report(w.da, actor=w.alice, text="旧页面上的报告",
                               version=debriefs.report_token(first))  # fmt: skip
    body = io.BytesIO()
    Document().save(body)
    upload = SimpleUploadedFile("述职报告.docx", body.getvalue())
    saved = debriefs.submit_report(w.da, actor=w.alice, text="", upload=upload)
    assert saved.report_name == "述职报告.docx" and saved.report_file
    debriefs.open_vote(w.debrief, actor=w.carol)
    debriefs.close_vote(w.debrief, actor=w.carol)
    with pytest.raises(InvalidInput, match="投票已经结束"):
        debriefs.submit_report(w.da, actor=w.alice, text="改")


def test_a_leaders_debrief_takes_only_committees_below(assess_world):
    w = assess_world
    debrief = debriefs.create_debrief(
        actor=None, org=w.root, year=2026, title="党委负责人述职党建", held_on=date(2026, 11, 25),
        voters=3, kind="leader",
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="下级党委、党组或机关党委"):
        debriefs.add_debriefer(debrief, actor=None, org=w.branch_a, person=w.alice_p)
    assert [o.pk for o in debriefs.reporting_orgs(debrief, type(w.root).objects.all())] == [
        w.organ.pk
    ]
    with pytest.raises(InvalidInput, match="约谈线"):
        debriefs.create_debrief(actor=None, org=w.root, year=2026, title="x", held_on=date(2026, 11, 25),
                                voters=3, poor_share="120")  # fmt: skip


# -- comments and 约谈 ---------------------------------------------------------------------------


def test_comments_are_kept_apart_from_the_ballot_and_flagged_ones_are_named(
    debrief_world, client, login
):
    w = debrief_world
    debriefs.open_vote(w.debrief, actor=w.carol)
    # Too long a comment refuses the whole ballot: the slip stays unspent.
    with pytest.raises(InvalidInput, match="不能超过300字"):
        debriefs.cast(w.codes[0], {w.da.pk: "good", w.db.pk: "poor"}, {w.db.pk: "长" * 301})
    assert debriefs.cast_count(w.debrief) == 0 and not DebriefComment.objects.exists()
    debriefs.cast(w.codes[0], {w.da.pk: "good", w.db.pk: "poor"}, {w.db.pk: "  联系群众不够 "})
    debriefs.cast(w.codes[1], {w.da.pk: "good", w.db.pk: "good"}, {w.da.pk: ""})
    client.post(f"/v/{w.codes[2]}/", {f"m{w.da.pk}": "fair", f"m{w.db.pk}": "good",
                                      f"c{w.da.pk}": "理论学习要加强"})  # fmt: skip
    assert sorted(DebriefComment.objects.values_list("text", flat=True)) == [
        "理论学习要加强", "联系群众不够"
    ]  # fmt: skip
    # A comment keeps no time, no order and no link to the slip.
    fields = {f.name for f in DebriefComment._meta.concrete_fields}
    assert fields == {"id", "debriefer", "text"}
    login(w.carol)
    assert (
        "联系群众不够" not in client.get(f"/assessment/debriefs/{w.debrief.pk}/").content.decode()
    )
    debriefs.close_vote(w.debrief, actor=w.carol)
    page = client.get(f"/assessment/debriefs/{w.debrief.pk}/").content.decode()
    # 王五: 1 差 of 3 graded = 33.33% > 20%: to be talked with; 张三 has no 差.
    assert "联系群众不够" in page and 'data-testid="flagged-list"' in page
    lines = {line.debriefer.pk: line for line in debriefs.tally(w.debrief)}
    assert lines[w.db.pk].flagged and str(lines[w.db.pk].poor_pct) == "33.33"
    assert not lines[w.da.pk].flagged
    debriefs.publish(w.debrief, actor=w.carol)
    # After publication 张三 sees his own line and the comments on him — not 王五's.
    login(w.alice)
    page = client.get(f"/assessment/debriefs/{w.debrief.pk}/").content.decode()
    assert "理论学习要加强" in page and "联系群众不够" not in page


# -- 一学一报 ---------------------------------------------------------------------------------------


def test_study_reports_count_the_members_who_reported_on_time(assess_world, time_machine):
    from mofan.access.models import User
    from mofan.assessment import formulas
    from mofan.meetings.choices import AttendanceRole, MeetingKind, MeetingState
    from mofan.meetings.models import Attendance, Meeting, StudyReport

    w = assess_world
    starts = datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI)
    session = Meeting.objects.create(
        org=w.organ, kind=MeetingKind.CENTRAL_GROUP_STUDY, title="10月中心组学习",
        starts_at=starts, ends_at=starts + timedelta(hours=2), state=MeetingState.HELD,
        month_index=2026 * 12 + 9, report_due_on=date(2026, 10, 16),
        created_by=User.objects.get(username="carol"),
    )  # fmt: skip
    for person in (w.carol_p, w.sam_p):
        Attendance.objects.create(meeting=session, person=person, role=AttendanceRole.MEMBER)
    Attendance.objects.create(meeting=session, person=w.una_p, role=AttendanceRole.OBSERVER)
    on_time = StudyReport.objects.create(meeting=session, person=w.carol_p, text="学习体会")
    StudyReport.objects.filter(pk=on_time.pk).update(
        submitted_at=datetime(2026, 10, 15, 18, 0, tzinfo=SHANGHAI)
    )
    late = StudyReport.objects.create(meeting=session, person=w.sam_p, text="学习体会")
    StudyReport.objects.filter(pk=late.pk).update(
        submitted_at=datetime(2026, 10, 17, 9, 0, tzinfo=SHANGHAI)
    )
    formula = formulas.FORMULAS["study_reports"]
    detail = formula.measure(w.root, [w.organ, w.branch_a], 2026, date(2026, 11, 20))
    assert detail[w.organ.pk] == {"sessions": 1, "due": 2, "on_time": 1}
    assert detail[w.branch_a.pk] == {"sessions": 0, "due": 0, "on_time": 0}
    params = formulas.resolved("study_reports", {"minimum": "3", "per_short": "1"})
    points, words = formula.score(detail[w.organ.pk], params, 10)
    assert str(points) == "3.00"  # 10 × 50% − 2 sessions short × 1
    assert "应交学习报告2份，按时提交1份" in words
    # A session whose deadline has not passed yet is not counted.
    assert formula.measure(w.root, [w.organ], 2026, date(2026, 10, 16))[w.organ.pk]["sessions"] == 0


# -- 党委（党组）报告年度党建工作 ---------------------------------------------------------------------


@pytest.fixture
def reviewer(assess_world):
    from conftest import make_user
    from mofan.access.roles import Role

    return make_user("rita", None, (Role.ORG_ADMIN, assess_world.root))


def test_an_annual_report_is_sent_up_returned_and_accepted(assess_world, reviewer, client, login):
    w = assess_world
    with pytest.raises(InvalidInput, match="党委、党组或机关党委"):
        annual.start_report(w.branch_a, actor=w.carol, year=2026)
    login(w.carol)
    response = client.post("/assessment/annual/", {"org": w.organ.pk, "year": 2026})
    report = AnnualReport.objects.get(org=w.organ, year=2026)
    assert response.status_code == 302 and report.to_org == w.root
    url = f"/assessment/annual/{report.pk}/"
    # Sending an empty report is refused; a draft is not for review above.
    bad = client.post(url, {"op": "send", "version": report.version, "title": report.title})
    assert bad.status_code == 400 and "请先填写报告正文" in bad.content.decode()
    login(reviewer)
    refused = client.post(url, {"op": "review", "decision": "accept", "version": report.version})
    assert refused.status_code == 404
    login(w.carol)
    report.refresh_from_db()
    client.post(url, {"op": "send", "version": report.version, "title": report.title,
                      "text": "2026年，机关党委坚持……"})  # fmt: skip
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.text.startswith("2026年")
    # Once sent it is not changed by its writers.
    stale = client.post(url, {"op": "save", "version": report.version, "title": "改", "text": "改"})
    assert stale.status_code == 400
    appendix = client.get(url + "appendix.docx")
    text = _text(appendix)
    assert "中共测试机关委员会2026年度党建工作报告数据附件" in text
    assert "第一党支部" in text and "第二党支部" in text
    # A branch secretary below reads nothing of it, and is not sent to an empty page.
    login(w.bob)
    assert client.get(url).status_code == 404
    assert "/assessment/annual/" not in client.get("/assessment/").content.decode()
    page = client.get("/assessment/annual/").content.decode()
    assert "您没有需要起草或审阅的报告" in page and 'data-testid="start-form"' not in page
    login(w.carol)
    assert "/assessment/annual/" in client.get("/assessment/").content.decode()
    login(w.bob)
    assert (
        client.post("/assessment/annual/", {"org": w.branch_b.pk, "year": 2026}).status_code == 302
    )
    assert not AnnualReport.objects.filter(org=w.branch_b).exists()
    login(reviewer)
    assert "2026年，机关党委坚持" in client.get(url).content.decode()
    refused = client.post(url, {"op": "review", "decision": "return", "version": report.version})
    assert refused.status_code == 400 and "须写明审阅意见" in refused.content.decode()
    client.post(url, {"op": "review", "decision": "return", "version": report.version,
                      "review": "请补充第一议题落实情况"})  # fmt: skip
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED and report.review == "请补充第一议题落实情况"
    annual.send_report(report, actor=w.carol, version=report.version)
    report.refresh_from_db()
    annual.review_report(report, actor=reviewer, version=report.version, accept=True, review="")
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED
    # The writer cannot review its own report.
    login(w.carol)
    assert client.post(url, {"op": "review", "decision": "accept"}).status_code == 404


# -- 创建 evaluations ---------------------------------------------------------------------------


def _award(w, **overrides):
    values = {"kind": "strong_branch", "title": "2026年度“四强”党支部评选", "round_": w.round,
              "places": 1, "min_total": "0", "apply_due_on": date(2026, 11, 30)}  # fmt: skip
    values.update(overrides)
    return awards.create_award(w.organ, actor=w.carol, **values)


def test_the_recommendation_list_is_the_rounds_result_best_first(published):
    from mofan.notify.models import Notification

    w = published
    assert w.a.total > w.b.total
    award = _award(w)
    # Each recommended branch's keepers are told to apply: 张三 (A), 王五 (B), not the organiser.
    told = Notification.objects.filter(title__startswith="创建评选：")
    assert set(told.values_list("user__username", flat=True)) >= {"alice", "bob"}
    assert not told.filter(user=w.carol).exists()
    assert list(award.candidates.values_list("org_id", "position")) == [
        (w.branch_a.pk, 1), (w.branch_b.pk, 2)
    ]  # fmt: skip
    # One evaluation of a kind per round; a title that names another kind is refused.
    with pytest.raises(InvalidInput, match="已用于“2026年度‘四强’党支部评选”"):
        _award(w, title="2026年度“四强”党支部评选（第二次）")
    advanced = {"kind": "model_advanced", "title": "2026年度模范机关先进单位评选"}
    with pytest.raises(InvalidInput, match="名称须写明创建类别“模范机关先进单位”"):
        _award(w, kind="model_advanced")
    # The line leaves out those below it; no one above it is refused.
    line = (w.a.total + w.b.total) / 2
    made = _award(w, min_total=str(line), **advanced)
    assert list(made.candidates.values_list("org_id", flat=True)) == [w.branch_a.pk]
    pacesetter = {"kind": "model_pacesetter", "title": "2026年度模范机关标兵单位评选"}
    with pytest.raises(InvalidInput, match="没有符合推荐条件"):
        _award(w, min_total=str(w.a.total + 1), **pacesetter)
    with pytest.raises(InvalidInput, match="名额"):
        _award(w, places="0", **pacesetter)
    with pytest.raises(InvalidInput, match="申报截止日期"):
        _award(w, apply_due_on=date(2026, 11, 1), **pacesetter)
    assert Award.objects.filter(round=w.round).count() == 2


def test_a_round_not_published_is_no_basis(running):
    w = running
    with pytest.raises(InvalidInput, match="须已公布"):
        _award(w)


def test_candidates_apply_the_organiser_decides_and_publishes(published, client, login):
    w = published
    award = _award(w)
    a = Candidate.objects.get(award=award, org=w.branch_a)
    b = Candidate.objects.get(award=award, org=w.branch_b)
    url = f"/assessment/awards/{award.pk}/"
    login(w.bob)  # branch B's secretary applies for B, not for A
    assert client.post(url, {"op": "apply", "candidate": a.pk, "statement": "冒名申报的材料内容"}
                       ).status_code == 404  # fmt: skip
    short = client.post(url, {"op": "apply", "candidate": b.pk, "statement": "太短"})
    assert short.status_code == 400 and "至少10个字" in short.content.decode()
    login(w.alice)
    response = client.post(url, {"op": "apply", "candidate": a.pk, "version": a.version,
                                 "statement": "支部坚持政治引领，党员队伍作用发挥突出。"})  # fmt: skip
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.applied_at is not None and a.statement.startswith("支部坚持")
    # 王五 (branch B) sees only his own line before publication.
    login(w.bob)
    page = client.get(url).content.decode()
    assert "第二党支部" in page and "第一党支部" not in page
    login(w.carol)
    with pytest.raises(InvalidInput, match="只有评审中"):
        awards.decide(a, actor=w.carol, version=a.version, approve=True, note="")
    client.post(url, {"op": "close", "version": award.version})
    award.refresh_from_db()
    assert award.state == AwardState.REVIEWING
    with pytest.raises(InvalidInput, match="未提交申报"):
        awards.decide(b, actor=w.carol, version=b.version, approve=True, note="")
    with pytest.raises(InvalidInput, match="评审意见"):
        awards.decide(a, actor=w.carol, version=a.version, approve=False, note="")
    client.post(url, {"op": "approve", "candidate": a.pk, "version": a.version, "note": "事迹突出"})
    a.refresh_from_db()
    assert a.decision == Decision.APPROVED
    # Not after applications close.
    login(w.alice)
    assert client.post(url, {"op": "apply", "candidate": a.pk, "statement": "再改一次申报材料内容"}
                       ).status_code == 400  # fmt: skip
    login(w.carol)
    client.post(url, {"op": "publish", "version": award.version + 0})
    award.refresh_from_db()
    b.refresh_from_db()
    assert award.state == AwardState.PUBLISHED
    assert b.decision == Decision.REJECTED and b.decision_note == "未在截止日期前申报"
    from mofan.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="assessment.award.published")
    assert event.payload == {"approved": [w.branch_a.pk], "not_applied": [w.branch_b.pk]}
    decision = client.get(f"/assessment/awards/{award.pk}/decision.docx")
    text = _text(decision)
    assert "中共测试机关委员会关于命名2026年度“四强”党支部的决定" in text
    assert "决定命名第一党支部等1个党组织" in text and "第二党支部" not in text
    login(w.bob)  # a recommended branch reads the list, not the organiser's documents
    assert client.get(f"/assessment/awards/{award.pk}/decision.docx").status_code == 404
    # Published: the organ's readers see those approved; B its own line (rejected).
    login(w.bob)
    page = client.get(url).content.decode()
    assert "第一党支部" in page and "第二党支部" in page and "未在截止日期前申报" in page


def test_an_outsider_reads_no_award(published, client, login):
    from conftest import make_user
    from mofan.access.roles import Role
    from mofan.orgs import services as orgs

    w = published
    award = _award(w)
    other = orgs.create_org(actor=None, parent=w.root, kind="organ_committee", code="X",
                            name="中共其他机关委员会")  # fmt: skip
    outsider = make_user("oscar", None, (Role.ORG_ADMIN, other))
    login(outsider)
    assert client.get(f"/assessment/awards/{award.pk}/").status_code == 404
    assert client.post(f"/assessment/awards/{award.pk}/", {"op": "close"}).status_code == 404
    assert client.get(f"/assessment/awards/{award.pk}/decision.docx").status_code == 404
    award.refresh_from_db()
    assert award.state == AwardState.APPLYING
    from mofan.access.scoping import Action

    assert not Target.objects.restrict(outsider, Action.VIEW).exists()
    assert not Candidate.objects.restrict(outsider, Action.VIEW).exists()


# -- over REST ----------------------------------------------------------------------------------


def test_the_api_takes_comments_with_a_ballot_and_shows_the_flag(debrief_world, client, login):
    w = debrief_world
    debriefs.open_vote(w.debrief, actor=w.carol)
    body = {"code": w.codes[0], "marks": {str(w.da.pk): "poor", str(w.db.pk): "good"},
            "comments": {str(w.da.pk): "要多听群众意见"}}  # fmt: skip
    assert (
        client.post("/api/debrief-ballots/", body, content_type="application/json").status_code
        == 201
    )
    long = {"code": w.codes[1], "marks": {str(w.da.pk): "good", str(w.db.pk): "good"},
            "comments": {str(w.da.pk): "长" * 301}}  # fmt: skip
    refused = client.post("/api/debrief-ballots/", long, content_type="application/json")
    assert refused.status_code == 400 and debriefs.cast_count(w.debrief) == 1
    assert list(DebriefComment.objects.values_list("text", flat=True)) == ["要多听群众意见"]
    debriefs.close_vote(w.debrief, actor=w.carol)
    login(w.carol)
    results = client.get(f"/api/debriefs/{w.debrief.pk}/").json()["results"]
    flags = {line["debriefer"]["id"]: (line["flagged"], line["poor_pct"]) for line in results}
    assert flags == {w.da.pk: (True, "100.00"), w.db.pk: (False, "0.00")}


def test_the_api_makes_a_leaders_debrief(debrief_world, client, login):
    from mofan.assessment.models import Debrief

    w = debrief_world
    before = Debrief.objects.count()
    login(w.carol)
    made = client.post("/api/debriefs/", {
        "org": w.organ.pk, "year": 2026, "kind": "leader", "title": "党委负责人述职党建",
        "held_on": "2026-11-25", "voters": 3, "poor_share": "15", "reporters": [w.branch_a.pk],
    }, content_type="application/json")  # fmt: skip
    # A branch does not report in a leaders' debrief: refused, nothing made.
    assert made.status_code == 400 and "下级党委、党组或机关党委" in made.json()["detail"]
    assert Debrief.objects.count() == before


def test_the_annual_report_over_rest(assess_world, reviewer, client, login):
    w = assess_world
    login(w.carol)
    made = client.post("/api/annual-reports/", {"org": w.organ.pk, "year": 2026},
                       content_type="application/json")  # fmt: skip
    assert made.status_code == 201 and made.json()["to_org"] == w.root.pk
    pk, version = made.json()["id"], made.json()["version"]
    saved = client.post(f"/api/annual-reports/{pk}/save/", {
        "version": version, "title": made.json()["title"], "text": "机关党委坚持……"},
        content_type="application/json")  # fmt: skip
    assert saved.status_code == 200 and saved.json()["text"] == "机关党委坚持……"
    stale = client.post(f"/api/annual-reports/{pk}/send/", {"version": version},
                        content_type="application/json")  # fmt: skip
    assert stale.status_code == 409
    sent = client.post(f"/api/annual-reports/{pk}/send/", {"version": saved.json()["version"]},
                       content_type="application/json")  # fmt: skip
    assert sent.json()["state"] == "submitted"
    # The writer cannot review; a branch below reads nothing.
    assert client.post(f"/api/annual-reports/{pk}/review/", {"version": 1, "accept": True},
                       content_type="application/json").status_code == 404  # fmt: skip
    login(w.bob)
    assert client.get(f"/api/annual-reports/{pk}/").status_code == 404
    login(reviewer)
    bad = client.post(f"/api/annual-reports/{pk}/review/", {
        "version": sent.json()["version"], "accept": False}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "须写明审阅意见" in bad.json()["detail"]
    done = client.post(f"/api/annual-reports/{pk}/review/", {
        "version": sent.json()["version"], "accept": True, "review": "同意"},
        content_type="application/json")  # fmt: skip
    assert done.json()["state"] == "accepted" and done.json()["review"] == "同意"


def test_an_evaluation_over_rest(published, client, login):
    w = published
    login(w.carol)
    made = client.post("/api/awards/", {
        "round": w.round.pk, "kind": "strong_branch", "title": "四强党支部评选", "places": 1,
        "min_total": "0", "apply_due_on": "2026-11-30"}, content_type="application/json")  # fmt: skip
    assert made.status_code == 201, made.content
    award = made.json()
    assert [c["org"] for c in award["candidates"]] == [w.branch_a.pk, w.branch_b.pk]
    a = award["candidates"][0]
    login(w.bob)  # B's secretary sees only B, and cannot apply for A
    assert [c["org"] for c in client.get(f"/api/awards/{award['id']}/").json()["candidates"]] == [
        w.branch_b.pk
    ]
    assert client.post(f"/api/award-candidates/{a['id']}/apply/", {
        "version": a["version"], "statement": "冒名顶替的申报材料内容"},
        content_type="application/json").status_code == 404  # fmt: skip
    login(w.alice)
    applied = client.post(f"/api/award-candidates/{a['id']}/apply/", {
        "version": a["version"], "statement": "支部坚持政治引领，作用发挥突出。"},
        content_type="application/json")  # fmt: skip
    assert applied.status_code == 200 and applied.json()["applied_at"]
    login(w.carol)
    closed = client.post(f"/api/awards/{award['id']}/close/", {"version": award["version"]},
                         content_type="application/json")  # fmt: skip
    assert closed.json()["state"] == "reviewing"
    decided = client.post(f"/api/award-candidates/{a['id']}/decide/", {
        "version": applied.json()["version"], "approve": True}, content_type="application/json")  # fmt: skip
    assert decided.json()["decision"] == "approved"
    published_ = client.post(f"/api/awards/{award['id']}/publish/", {
        "version": closed.json()["version"]}, content_type="application/json")  # fmt: skip
    assert published_.json()["state"] == "published"
    assert [c["decision"] for c in published_.json()["candidates"]] == ["approved", "rejected"]


# -- the ledger's work, through the unit an organisation is set up in ---------------------------


@pytest.fixture
def ledger_world(assess_world):
    """Branch A set up in 办公厅, branch B in 人事司; a ledger with 办公厅's items: one closed on
    time, one closed late, one open past its deadline, one due next year; 人事司's: one open on
    time. Two findings rectified by 办公厅: one closed, one closed and found back at 回头看."""
    from mofan.ledger import services as ledgers
    from mofan.ledger.models import Finding, FollowUpCheck, Item
    from mofan.orgs.models import PartyOrg

    w = assess_world
    PartyOrg.objects.filter(pk=w.branch_a.pk).update(unit=w.unit_a)
    PartyOrg.objects.filter(pk=w.branch_b.pk).update(unit=w.unit_b)
    w.branch_a.refresh_from_db()
    w.branch_b.refresh_from_db()
    ledger = ledgers.create_ledger(actor=w.sam, name="2026年重点工作台账", kind="general", year=2026,
                                   unit=w.unit_root)  # fmt: skip
    at = datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI)

    def item(n, unit, deadline, state, closed=None, finding=None):
        return Item.objects.create(
            ledger=ledger, number=str(n), sort_key=f"{n:04d}", content=f"事项{n}", lead_unit=unit,
            deadline=deadline, state=state, closed_at=closed, finding=finding,
        )  # fmt: skip

    item(1, w.unit_a, date(2026, 6, 30), "closed", at)
    item(2, w.unit_a, date(2026, 3, 31), "closed", at)
    item(3, w.unit_a, date(2026, 9, 30), "in_progress")
    item(4, w.unit_a, date(2027, 3, 31), "in_progress")
    item(5, w.unit_b, date(2026, 12, 31), "in_progress")
    closed = Finding.objects.create(ledger=ledger, number=1, description="学习制度落实不到位",
                                    state="closed", closed_at=at)  # fmt: skip
    relapsed = Finding.objects.create(ledger=ledger, number=2, description="台账记录不规范",
                                      state="reopened")  # fmt: skip
    item(6, w.unit_a, date(2026, 6, 30), "closed", at, finding=closed)
    item(7, w.unit_a, date(2026, 6, 30), "closed", at, finding=relapsed)
    FollowUpCheck.objects.create(finding=relapsed, scheduled_on=date(2026, 8, 1),
                                 done_on=date(2026, 8, 1), outcome="reopened")  # fmt: skip
    w.ledger = ledger
    return w


def test_directives_count_for_the_organisation_set_up_in_their_unit(ledger_world):
    from mofan.assessment import formulas

    w = ledger_world
    formula = formulas.FORMULAS["ledger_on_time"]
    detail = formula.measure(w.root, [w.branch_a, w.branch_b, w.organ], 2026, date(2026, 11, 20))
    # 办公厅: items 1, 2, 3, 6, 7 due this year; 1, 6, 7 closed on time; 3 overdue; 4 not yet due.
    assert detail[w.branch_a.pk] == {"unit": True, "due": 5, "closed_on_time": 3, "overdue": 1}
    assert detail[w.branch_b.pk] == {"unit": True, "due": 0, "closed_on_time": 0, "overdue": 0}
    assert detail[w.organ.pk]["unit"] is False
    params = formulas.resolved("ledger_on_time", {"per_overdue": "2"})
    points, words = formula.score(detail[w.branch_a.pk], params, 10)
    assert str(points) == "4.00"  # 10 × 60% − 1 × 2
    assert "按期办结3项，逾期未办结1项" in words
    assert formula.score(detail[w.organ.pk], params, 10)[0] == 0


def test_the_grades_given_at_close_out_score_the_unit_s_organisation(ledger_world):
    from mofan.assessment import formulas
    from mofan.ledger.models import Item

    w = ledger_world
    # 办公厅's closed items 1, 2, 6, 7 graded 好, 较好, 差 and not graded; one closed last year.
    for number, grade in (("1", "good"), ("2", "fairly_good"), ("6", "poor")):
        Item.objects.filter(ledger=w.ledger, number=number).update(evaluation=grade)
    Item.objects.create(
        ledger=w.ledger, number="8", sort_key="0008", content="事项8", lead_unit=w.unit_a,
        deadline=date(2025, 12, 31), state="closed", evaluation="poor",
        closed_at=datetime(2025, 12, 20, 10, 0, tzinfo=SHANGHAI),
    )  # fmt: skip
    formula = formulas.FORMULAS["ledger_grades"]
    detail = formula.measure(w.root, [w.branch_a, w.branch_b, w.organ], 2026, date(2026, 11, 20))
    assert detail[w.branch_a.pk] == {"unit": True, "closed": 4, "good": 1, "fairly_good": 1,
                                     "average": 0, "poor": 1}  # fmt: skip
    params = formulas.resolved("ledger_grades", {"full_at": "90", "per_poor": "1"})
    points, words = formula.score(detail[w.branch_a.pk], params, 10)
    assert str(points) == "5.67"  # mean (100 + 80 + 0) ÷ 3 = 60, 10 × 60 ÷ 90 − 1
    assert "好1项、较好1项、一般0项、差1项" in words and "评估均值60.0" in words
    # Nothing graded yet is the full share; an organisation with no unit scores nothing.
    assert formula.score(detail[w.branch_b.pk], params, 10)[0] == 10
    assert formula.score(detail[w.organ.pk], params, 10)[0] == 0
    rows = formula.evidence(w.sam, w.branch_a, 2026, date(2026, 11, 20), detail[w.branch_a.pk])
    assert [r.counted for r in rows if r.title.startswith("6 ")] == [False]
    assert {r.title[0]: (r.note.rsplit("：", 1)[1], r.counted) for r in rows} == {
        "1": ("好", True), "2": ("较好", True), "6": ("差", False), "7": ("未评估", None)
    }  # fmt: skip


def test_findings_count_closed_unless_found_back(ledger_world, client, login):
    from mofan.assessment import formulas

    w = ledger_world
    formula = formulas.FORMULAS["findings_closed"]
    detail = formula.measure(w.root, [w.branch_a, w.branch_b], 2026, date(2026, 11, 20))
    assert detail[w.branch_a.pk] == {"unit": True, "findings": 2, "closed": 1, "relapsed": 1}
    assert detail[w.branch_b.pk]["findings"] == 0
    params = formulas.resolved("findings_closed", {})
    points, _ = formula.score(detail[w.branch_a.pk], params, 10)
    assert str(points) == "3.00"  # 10 × 50% − 1 × 2
    rows = formula.evidence(w.sam, w.branch_a, 2026, date(2026, 11, 20), detail[w.branch_a.pk])
    assert [r.counted for r in rows] == [True, False]


def test_an_org_admin_sets_the_unit_an_organisation_is_in(assess_world, client, login):
    w = assess_world
    login(w.carol)
    page = client.get(f"/orgs/party-orgs/{w.branch_a.pk}/edit/")
    assert page.status_code == 200 and "所在单位" in page.content.decode()
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"unit": w.unit_a.pk, "kind": w.branch_a.kind, "version": w.branch_a.version})
    for key in ("founded_on", "term_started_on"):
        data.pop(key, None)
    response = client.post(f"/orgs/party-orgs/{w.branch_a.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    w.branch_a.refresh_from_db()
    assert w.branch_a.unit_id == w.unit_a.pk
    assert "办公厅" in client.get(f"/orgs/party-orgs/{w.branch_a.pk}/").content.decode()


# -- what the outside probe found ----------------------------------------------------------------


def test_a_refused_send_keeps_the_saved_draft(assess_world, client, login):
    w = assess_world
    report = annual.start_report(w.organ, actor=w.carol, year=2026)
    report = annual.save_report(report, actor=w.carol, version=report.version, title=report.title,
                                text="已保存的草稿")  # fmt: skip
    login(w.carol)
    refused = client.post(f"/assessment/annual/{report.pk}/", {
        "op": "send", "version": report.version, "title": report.title, "text": ""})  # fmt: skip
    assert refused.status_code == 400
    report.refresh_from_db()
    assert report.text == "已保存的草稿" and report.state == ReportState.DRAFT
    bad = client.post(f"/assessment/annual/{report.pk}/", {
        "op": "save", "version": "abc", "title": report.title, "text": "x"})  # fmt: skip
    assert bad.status_code == 400 and "版本号有误" in bad.content.decode()


def test_an_application_is_read_by_the_evaluator_and_the_applicant_only(published, client, login):
    w = published
    award = _award(w, places=2)
    a = Candidate.objects.get(award=award, org=w.branch_a)
    b = Candidate.objects.get(award=award, org=w.branch_b)
    awards.apply(a, actor=w.alice, version=a.version, statement="第一党支部的申报材料内容")
    awards.apply(b, actor=w.bob, version=b.version, statement="第二党支部的申报材料内容")
    award = awards.close_applications(award, actor=w.carol)
    for c in (a, b):
        c.refresh_from_db()
        awards.decide(c, actor=w.carol, version=c.version, approve=True, note="")
    awards.publish_award(award, actor=w.carol)
    with pytest.raises(InvalidInput, match="已经公布"):
        awards.publish_award(award, actor=w.carol)
    login(w.bob)
    lines = {
        c["org"]: c["statement"]
        for c in client.get(f"/api/awards/{award.pk}/").json()["candidates"]
    }
    assert lines == {w.branch_a.pk: "", w.branch_b.pk: "第二党支部的申报材料内容"}
    assert client.get(f"/api/award-candidates/{a.pk}/").json()["statement"] == ""
    login(w.carol)
    assert (
        client.get(f"/api/award-candidates/{a.pk}/").json()["statement"]
        == "第一党支部的申报材料内容"
    )


@pytest.mark.parametrize(("upto", "last"), [
    (date(2026, 11, 20), (2026, 10)),  # November's requirements fall due on the 30th
    (date(2026, 11, 30), (2026, 11)),
    (date(2026, 12, 31), (2026, 12)),
    (date(2027, 1, 5), (2026, 12)),  # last year, assessed in January
])  # fmt: skip
def test_compliance_counts_the_months_whose_requirements_fell_due(upto, last):
    from mofan.assessment import formulas

    first, end = formulas.ended_months(2026, upto)
    assert first == 2026 * 12 and end == last[0] * 12 + last[1] - 1


def test_a_voter_who_cannot_scan_types_the_code(debrief_world, client):
    w = debrief_world
    debriefs.open_vote(w.debrief, actor=w.carol)
    assert 'data-testid="entry-form"' in client.get("/v/").content.decode()
    code = w.codes[0]
    typed = " ".join(code[i : i + 4] for i in range(0, 16, 4)).lower()
    response = client.get("/v/", {"code": typed})
    assert response.status_code == 302 and response["Location"] == f"/v/{code}/"
    bad = client.get("/v/", {"code": "ABC"})
    assert bad.status_code == 400 and "票码为16位字母和数字" in bad.content.decode()
    unknown = client.get("/v/NOSUCHCODE0000AA/")
    assert unknown.status_code == 400 and "重新输入票码" in unknown.content.decode()
