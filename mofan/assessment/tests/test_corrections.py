"""结果更正: a published round is frozen; one score is corrected only by those who run the round,
with a reason, the earlier score, total and grade kept beside the new ones; the totals and ranks
follow, the assessed are told, and everyone who reads the score reads the correction."""

import pytest

from mofan.assessment import services
from mofan.assessment.models import Correction, Score, Target
from mofan.core.errors import InvalidInput, StaleEdit


def _duty(w, target) -> Score:
    return Score.objects.get(target=target, indicator=w.s.duty)


def test_a_correction_keeps_the_published_result_and_moves_the_ranks(published):
    from mofan.notify.models import Notification

    w = published
    score = _duty(w, w.b)
    before_total, before_grade = w.b.total, w.b.grade
    assert (w.a.rank, w.b.rank) == (1, 2)
    correction = services.correct_score(
        score, actor=w.carol, points="40", reason="复核时发现支部的专题党课材料漏计",
        version=score.version,
    )  # fmt: skip
    w.a.refresh_from_db()
    w.b.refresh_from_db()
    score.refresh_from_db()
    assert score.points == 40 and score.comment == "落实不到位"  # the comment kept when not given
    assert (correction.points_before, correction.points_after) == (20, 40)
    assert correction.total_before == before_total and correction.grade_before == before_grade
    assert correction.total_after == w.b.total == before_total + 20
    assert correction.grade_after == w.b.grade and correction.by == w.carol
    assert w.b.total >= w.a.total and w.b.rank == 1  # the ranks follow
    # B's secretary is told, with the reason; not those who ran the round.
    told = Notification.objects.filter(title__endswith="结果更正")
    assert list(told.values_list("user__username", flat=True)) == ["bob"]
    assert "复核时发现支部的专题党课材料漏计" in told.get().body
    # A second correction keeps the first.
    services.correct_score(score, actor=w.carol, points="35", reason="再次复核，扣除重复计算部分")
    assert list(score.corrections.values_list("points_before", "points_after")) == [
        (20, 40), (40, 35)
    ]  # fmt: skip


def test_a_correction_without_a_reason_or_change_is_refused_and_changes_nothing(published):
    w = published
    score = _duty(w, w.b)
    for kwargs, message in [
        ({"points": "30", "reason": ""}, "更正理由"),
        ({"points": "30", "reason": "复核"}, "不少于5个字"),
        ({"points": "30", "reason": "。。。。。。"}, "不少于5个字"),
        ({"points": "41", "reason": "复核时发现漏计材料"}, "得分须在0至40之间"),
        ({"points": "20", "reason": "复核时发现漏计材料"}, "无需更正"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            services.correct_score(score, actor=w.carol, **kwargs)
    with pytest.raises(StaleEdit):
        services.correct_score(score, actor=w.carol, points="30", reason="复核时发现漏计材料",
                               version=score.version - 1)  # fmt: skip
    score.refresh_from_db()
    assert score.points == 20 and not Correction.objects.exists()
    assert Target.objects.get(pk=w.b.pk).total == w.b.total


def test_before_publication_the_team_scores_and_nothing_is_corrected(running):
    from mofan.notify.models import Notification

    w = running
    services.start_scoring(w.round, actor=w.carol)
    # The branches are told the self-assessment is over (the reminders no longer stand).
    closed = Notification.objects.filter(title__endswith="自评已结束")
    assert set(closed.values_list("user__username", flat=True)) >= {"alice", "bob"}
    assert "未提交，已不能修改" in closed.filter(user=w.alice).get().body
    score = _duty(w, w.b)
    with pytest.raises(InvalidInput, match="公布后才需更正"):
        services.correct_score(score, actor=w.carol, points="30", reason="复核时发现漏计材料")
    # After publication the team's scoring is closed: the round is frozen.
    services.score_indicator(score, actor=w.sam, points="20", comment="落实不到位")
    services.score_indicator(_duty(w, w.a), actor=w.sam, points="40")
    services.publish(w.round, actor=w.carol)
    with pytest.raises(InvalidInput, match="结果已公布"):
        services.score_indicator(score, actor=w.sam, points="30")


def test_the_page_and_the_api_correct_for_those_who_run_the_round_only(published, client, login):
    w = published
    score = _duty(w, w.b)
    page_url = f"/assessment/scores/{score.pk}/correct/"
    api_url = f"/api/assessment-scores/{score.pk}/correct/"
    body = {"version": score.version, "points": "30", "reason": "复核时发现漏计材料"}
    # The team (sam), branch A's secretary and B's own secretary: 404, nothing changed.
    for user in (w.sam, w.alice, w.bob):
        login(user)
        assert client.post(page_url, body).status_code == 404
        assert client.post(api_url, body, content_type="application/json").status_code == 404
    assert not Correction.objects.exists()
    login(w.carol)
    page = client.get(f"/assessment/targets/{w.b.pk}/").content.decode()
    assert f'data-testid="correct-{w.s.duty.pk}"' in page
    refused = client.post(page_url, {**body, "reason": ""})
    assert refused.status_code == 400 and "更正理由" in refused.content.decode()
    assert client.post(page_url, body).status_code == 302
    answer = client.post(api_url, {"version": score.version + 1, "points": "35",
                                   "reason": "再次复核，补计一项"}, content_type="application/json")  # fmt: skip
    assert answer.status_code == 200
    assert [(c["points_before"], c["points_after"]) for c in answer.json()["corrections"]] == [
        ("20.00", "30.00"), ("30.00", "35.00")
    ]  # fmt: skip
    # B's secretary reads the corrections with their reasons, and has no form to correct.
    login(w.bob)
    page = client.get(f"/assessment/targets/{w.b.pk}/").content.decode()
    assert "复核时发现漏计材料" in page and "再次复核，补计一项" in page
    assert f'data-testid="correct-{w.s.duty.pk}"' not in page
    read = client.get(f"/api/assessment-scores/{score.pk}/").json()
    assert read["points"] == "35.00" and len(read["corrections"]) == 2
    # Another branch reads nothing of it.
    login(w.alice)
    assert client.get(f"/api/assessment-scores/{score.pk}/").status_code == 404


def test_a_blank_score_is_no_correction_and_the_failed_form_keeps_what_was_typed(
    published, client, login
):
    w = published
    score = _duty(w, w.b)
    with pytest.raises(InvalidInput, match="请填写更正后的得分"):
        services.correct_score(score, actor=w.carol, points=" ", reason="复核时发现漏计材料")
    login(w.carol)
    refused = client.post(f"/api/assessment-scores/{score.pk}/correct/",
                          {"version": score.version, "reason": "复核时发现漏计材料"},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 400 and "请填写更正后的得分" in refused.json()["detail"]
    page = client.post(f"/assessment/scores/{score.pk}/correct/",
                       {"version": score.version, "points": "41", "reason": "复核时发现漏计"})  # fmt: skip
    text = page.content.decode()
    assert page.status_code == 400 and "得分须在0至40之间" in text
    assert f'data-testid="correct-{w.s.duty.pk}" open' in text and 'value="复核时发现漏计"' in text
    score.refresh_from_db()
    assert score.points == 20 and not Correction.objects.exists()


def test_a_correction_warns_of_an_evaluation_drawn_from_the_result(published, client, login):
    from datetime import date

    from mofan.assessment import awards

    w = published
    awards.create_award(w.organ, actor=w.carol, kind="strong_branch", title="2026年度“四强”党支部评选",
                        round_=w.round, places=1, min_total="0", apply_due_on=date(2026, 11, 30))  # fmt: skip
    score = _duty(w, w.b)
    login(w.carol)
    response = client.post(f"/assessment/scores/{score.pk}/correct/", {
        "version": score.version, "points": "30", "reason": "复核时发现漏计材料"}, follow=True)  # fmt: skip
    assert "本轮结果正用于创建评选“2026年度‘四强’党支部评选”" in response.content.decode()
