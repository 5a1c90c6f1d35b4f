"""The pages of 考核评价 as their users see them: the committee's admin keeps the scheme and runs
the round; the branch's secretary writes its self-assessment and sees its record-based scores with
the records behind them, the team's scores and the total only after publication; another
organisation reads nothing and changes nothing (404); bad input is a Chinese 4xx."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mofan.assessment import services
from mofan.assessment.models import Evidence, Indicator, Round, Scheme, Score

pytestmark = pytest.mark.django_db


def test_the_admin_builds_a_scheme_through_the_pages(assess_world, login):
    w = assess_world
    client = login(w.carol)
    created = client.post(reverse("assessment:scheme_new"), {
        "org": w.organ.pk, "year": 2026, "name": "党支部考核", "total": "100",
        "target_kinds": ["branch"],
    })  # fmt: skip
    scheme = Scheme.objects.get()
    assert created.status_code == 302 and created["Location"].endswith(f"/schemes/{scheme.pk}/")
    url = reverse("assessment:scheme", args=[scheme.pk])
    dimension = scheme.dimensions.get(name="组织建设")
    add = {"version": 1, "dimension": dimension.pk, "name": "组织生活", "kind": "record",
           "points": "60", "formula": "meetings_compliance",
           "p_meetings_compliance_per_miss": "3"}  # fmt: skip
    assert client.post(url, add).status_code == 302
    indicator = Indicator.objects.get()
    assert (indicator.formula, indicator.params) == (
        "meetings_compliance", {"per_miss": "3", "back_filled_counts": "1"},
    )  # fmt: skip
    page = client.get(url).content.decode()
    assert "基本指标（自动计分和评审计分）合计60分，与总分100分不符" in page
    assert 'data-testid="start"' not in page
    refused = client.post(url, {**add, "version": 2, "name": "党员登录次数", "kind": "judgement",
                                "points": "40"})  # fmt: skip
    assert refused.status_code == 400 and "不能以“登录次数”作为考核指标" in refused.content.decode()
    stale = client.post(url, {**add, "version": 1, "name": "思想建设", "kind": "judgement",
                              "points": "40"})  # fmt: skip
    assert stale.status_code == 409
    assert client.post(url, {**add, "version": 2, "name": "思想建设", "kind": "judgement",
                             "points": "40"}).status_code == 302  # fmt: skip
    assert 'data-testid="start"' in client.get(url).content.decode()
    start = client.post(reverse("assessment:start", args=[scheme.pk]), {
        "title": "2026年度考核", "self_due_on": "2026-12-10", "everyone": "on",
    })  # fmt: skip
    round_ = Round.objects.get()
    assert start.status_code == 302
    assert set(round_.targets.values_list("org_id", flat=True)) == {w.branch_a.pk, w.branch_b.pk}
    # Frozen: the indicator page refuses a change.
    edit = reverse("assessment:indicator", args=[scheme.pk, indicator.pk])
    frozen = client.post(edit, {**add, "version": 3, "points": "50"})
    assert frozen.status_code == 400 and "已启用考核，不能再修改" in frozen.content.decode()


@pytest.mark.parametrize("persona", ["alice", "amy", "bob", "sam", "una", "sysadmin"])
def test_no_one_else_keeps_the_scheme_or_runs_the_round(running, login, persona):
    w = running
    client = login(getattr(w, persona))
    for url in (reverse("assessment:scheme", args=[w.s.scheme.pk]),
                reverse("assessment:start", args=[w.s.scheme.pk])):  # fmt: skip
        assert client.get(url).status_code == 404
        assert client.post(url, {"op": "dimension", "name": "x"}).status_code == 404
    if persona != "sam":  # the team member sees the round
        assert client.get(reverse("assessment:round", args=[w.round.pk])).status_code == 404
        assert client.post(reverse("assessment:round", args=[w.round.pk]),
                           {"op": "scoring"}).status_code == 404  # fmt: skip
    Round.objects.get(pk=w.round.pk, state="self")


def test_another_branch_reads_and_changes_nothing_of_a_branch(running, login):
    w = running
    bob = login(w.bob)  # branch B's secretary
    assert bob.get(reverse("assessment:target", args=[w.a.pk])).status_code == 404
    duty = Score.objects.get(target=w.a, indicator=w.s.duty)
    record = Score.objects.get(target=w.a, indicator=w.s.talks)
    assert bob.post(reverse("assessment:score_action", args=[duty.pk, "self"]),
                    {"version": duty.version, "text": "冒充"}).status_code == 404  # fmt: skip
    assert bob.post(reverse("assessment:score_action", args=[duty.pk, "evidence"]),
                    {"meeting": w.talk.pk}).status_code == 404  # fmt: skip
    assert bob.get(reverse("assessment:drill", args=[record.pk])).status_code == 404
    assert bob.post(reverse("assessment:submit", args=[w.a.pk])).status_code == 404
    # B's own page is B's.
    assert bob.get(reverse("assessment:target", args=[w.b.pk])).status_code == 200
    # A member of branch A is not its keeper.
    assert login(w.amy).get(reverse("assessment:target", args=[w.a.pk])).status_code == 404
    duty.refresh_from_db()
    assert duty.self_text == "" and not Evidence.objects.exists()


def test_the_branch_writes_its_self_assessment_and_sees_the_records_behind_its_scores(
    running, login
):
    w = running
    alice = login(w.alice)
    page = alice.get(reverse("assessment:target", args=[w.a.pk])).content.decode()
    assert "总分、等次和考核组评分在结果公布后显示" in page and 'data-testid="total"' not in page
    talks = Score.objects.get(target=w.a, indicator=w.s.talks)
    assert "党员2人，本年参加谈心谈话1人（50.0%）" in page
    drill = alice.get(reverse("assessment:drill", args=[talks.pk])).content.decode()
    assert f'href="/meetings/{w.talk.pk}/">9月谈心谈话</a>' in drill and "参加1人" in drill
    compliance = Score.objects.get(target=w.a, indicator=w.s.compliance)
    months = alice.get(reverse("assessment:drill", args=[compliance.pk])).content.decode()
    assert f"/meetings/compliance/{w.branch_a.pk}/2026/1/" in months and "✘" in months
    duty = Score.objects.get(target=w.a, indicator=w.s.duty)
    url = reverse("assessment:score_action", args=[duty.pk, "self"])
    blank = alice.post(url, {"version": duty.version, "text": "  "})
    assert blank.status_code == 400 and "请填写自评情况" in blank.content.decode()
    assert alice.post(url, {"version": duty.version, "text": "按要求落实"}).status_code == 302
    evidence = reverse("assessment:score_action", args=[duty.pk, "evidence"])
    assert alice.post(evidence, {"meeting": w.talk.pk}).status_code == 302
    linked = Evidence.objects.get()
    assert (linked.record_kind, linked.record_id, linked.name, linked.by_team) == (
        "meeting", w.talk.pk, "9月谈心谈话", False,
    )  # fmt: skip
    # Branch B's meeting is not one branch A may link.
    other = alice.post(evidence, {"meeting": 999999})
    assert other.status_code == 400 and "不在您可查看的范围内" in other.content.decode()
    assert alice.post(reverse("assessment:submit", args=[w.a.pk])).status_code == 302
    w.a.refresh_from_db()
    assert w.a.self_done_at is not None


def test_the_team_scores_and_the_result_shows_after_publication(running, login):
    # One test client: each step signs in as the one who takes it.
    w = running
    duty_a = Score.objects.get(target=w.a, indicator=w.s.duty)
    score_url = reverse("assessment:score_action", args=[duty_a.pk, "score"])
    early = login(w.sam).post(score_url, {"version": duty_a.version, "points": "30"})
    assert early.status_code == 400 and "尚未进入评审阶段" in early.content.decode()
    round_url = reverse("assessment:round", args=[w.round.pk])
    # The team scores; it does not run the round.
    team = login(w.sam)
    assert 'data-testid="to-scoring"' not in team.get(round_url).content.decode()
    assert team.post(round_url, {"op": "scoring"}).status_code == 404
    assert team.post(f"/api/assessment-rounds/{w.round.pk}/scoring/").status_code == 404
    assert login(w.carol).post(round_url, {"op": "scoring"}).status_code == 302
    sam = login(w.sam)
    too_many = sam.post(score_url, {"version": duty_a.version, "points": "45"})
    assert too_many.status_code == 400 and "得分须在0至40之间" in too_many.content.decode()
    assert sam.post(score_url, {"version": duty_a.version, "points": "36",
                                "comment": "较好"}).status_code == 302  # fmt: skip
    # The branch's secretary scores nothing.
    duty_b = Score.objects.get(target=w.b, indicator=w.s.duty)
    b_url = reverse("assessment:score_action", args=[duty_b.pk, "score"])
    assert login(w.bob).post(b_url, {"version": duty_b.version, "points": "40"}).status_code == 404
    assert login(w.sam).post(b_url, {"version": duty_b.version, "points": "38"}).status_code == 302
    before = login(w.alice).get(reverse("assessment:target", args=[w.a.pk])).content.decode()
    assert "较好" not in before and 'data-testid="total"' not in before
    assert login(w.carol).post(round_url, {"op": "publish"}).status_code == 302
    w.a.refresh_from_db()
    after = login(w.alice).get(reverse("assessment:target", args=[w.a.pk])).content.decode()
    assert f'data-testid="total">{w.a.total.normalize():f}<' in after
    assert "评审意见：</span>较好" in after
    from mofan.notify.models import Notification

    told = Notification.objects.get(user=w.alice, title__endswith="结果已公布")
    assert told.body.startswith(f"第一党支部总分{w.a.total.normalize():f}分，等次：")
    assert not Notification.objects.filter(user=w.carol, kind="assessment").exists()


def test_the_score_page_reads_a_constant_number_of_queries(running, login):
    w = running
    client = login(w.carol)
    url = reverse("assessment:target", args=[w.a.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    duty = Score.objects.get(target=w.a, indicator=w.s.duty)
    for _ in range(5):
        services.add_evidence(duty, actor=w.carol, record=w.talk, by_team=True)
    assert count() == few


def test_the_assessed_are_told_and_the_assessors_are_not(running, login, time_machine):
    from mofan.assessment import notices
    from mofan.notify.models import Notification

    w = running
    started = Notification.objects.filter(kind="assessment")
    # Branch A's secretary and branch B's: each of their own organisation; carol runs the round.
    assert sorted(started.values_list("user__username", "url")) == [
        ("alice", f"/assessment/targets/{w.a.pk}/"), ("bob", f"/assessment/targets/{w.b.pk}/"),
    ]  # fmt: skip
    assert "请于2026年12月10日前" in started.get(user=w.alice).body
    time_machine.move_to(date(2026, 12, 8), tick=False)
    duty = Score.objects.get(target=w.b, indicator=w.s.duty)
    services.save_self_assessment(duty, actor=w.bob, text="落实情况")
    services.submit_self_assessment(w.b, actor=w.bob)
    assert notices.remind_self(date(2026, 12, 8)) == 1  # branch A has not submitted
    assert notices.remind_self(date(2026, 12, 8)) == 0  # once a day
    reminder = Notification.objects.get(title__contains="自评将于")
    assert (reminder.user, reminder.body) == (
        w.alice,
        "第一党支部尚未提交自评，请于2026年12月10日前完成。",
    )


def test_the_results_as_excel_for_those_who_assess(running, login):
    import io

    from openpyxl import load_workbook

    w = running
    url = reverse("assessment:results", args=[w.round.pk])
    assert login(w.alice).get(url).status_code == 404
    response = login(w.carol).get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "2026年度党支部党建工作考核结果"
    by_org = {r[1]: r for r in rows[2:]}
    w.a.refresh_from_db()
    assert by_org["第一党支部"][4:8] == [w.a.base, w.a.deducted, w.a.added, w.a.total]
    assert by_org["第一党支部"][9] == f"{w.a.rank}/2"


def test_the_team_s_evidence_is_the_assessed_s_only_after_publication(running, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    w = running
    login(w.carol).post(reverse("assessment:round", args=[w.round.pk]), {"op": "scoring"})
    deduction = Score.objects.get(target=w.a, indicator=w.s.deduction)
    services.add_evidence(deduction, actor=w.sam, by_team=True,
                          upload=SimpleUploadedFile("通报.pdf", b"%PDF-1.4 x"))  # fmt: skip
    url = reverse("assessment:evidence", args=[Evidence.objects.get().pk])
    assert login(w.sam).get(url).status_code == 200
    assert login(w.alice).get(url).status_code == 404
    for target in (w.a, w.b):
        duty = Score.objects.get(target=target, indicator=w.s.duty)
        services.score_indicator(duty, actor=w.sam, points="30")
    services.publish(w.round, actor=w.carol)
    assert login(w.alice).get(url).status_code == 200
    assert login(w.bob).get(url).status_code == 404
