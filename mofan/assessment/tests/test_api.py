"""考核评价 over REST: the same gate and services as the pages; the team's scores and totals held
back from the assessed until publication; bad input a Chinese 4xx."""

import pytest

from mofan.assessment.models import Scheme, Score

pytestmark = pytest.mark.django_db


def test_a_scheme_and_its_indicators_through_the_api(assess_world, login):
    w = assess_world
    client = login(w.carol)
    created = client.post("/api/assessment-schemes/", {
        "org": w.organ.pk, "year": 2026, "name": "支部考核", "total": "100",
        "target_kinds": ["branch"],
    }, content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    scheme = Scheme.objects.get()
    dimension = created.json()["dimensions"][2]  # 组织建设
    url = f"/api/assessment-schemes/{scheme.pk}/indicators/"
    bad = client.post(url, {"dimension_id": dimension["id"], "name": "组织生活", "kind": "record",
                            "points": "100", "formula": "meetings_compliance",
                            "params": {"per_miss": "500"}}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "须在0.1至100之间" in bad.json()["detail"]
    good = client.post(url, {"dimension_id": dimension["id"], "name": "组织生活", "kind": "record",
                             "points": "100", "formula": "meetings_compliance"},
                       content_type="application/json")  # fmt: skip
    assert good.status_code == 201
    assert good.json()["params"] == {"per_miss": "1", "back_filled_counts": "1"}
    # Another branch's secretary neither reads nor adds.
    bob = login(w.bob)
    assert bob.get(f"/api/assessment-schemes/{scheme.pk}/").status_code == 404
    assert bob.post(url, {"dimension_id": dimension["id"], "name": "x", "kind": "judgement",
                          "points": "1"}, content_type="application/json").status_code == 404  # fmt: skip
    assert bob.post("/api/assessment-schemes/", {
        "org": w.organ.pk, "year": 2026, "name": "x", "total": "100", "target_kinds": ["branch"],
    }, content_type="application/json").status_code == 400  # fmt: skip
    assert Scheme.objects.count() == 1 and scheme.indicators.count() == 1


def test_the_assessed_see_their_scores_but_not_the_team_s_until_published(running, login):
    w = running
    duty = Score.objects.get(target=w.a, indicator=w.s.duty)
    alice = login(w.alice)
    saved = alice.post(f"/api/assessment-scores/{duty.pk}/self/",
                       {"version": duty.version, "text": "落实情况"},
                       content_type="application/json")  # fmt: skip
    assert saved.status_code == 200 and saved.json()["self_text"] == "落实情况"
    carol = login(w.carol)
    assert carol.post(f"/api/assessment-rounds/{w.round.pk}/scoring/").json()["state"] == "scoring"
    sam = login(w.sam)
    scored = sam.post(f"/api/assessment-scores/{duty.pk}/score/",
                      {"version": duty.version + 1, "points": "33", "comment": "较好"},
                      content_type="application/json")  # fmt: skip
    assert scored.status_code == 200 and scored.json()["points"] == "33.00"
    alice = login(w.alice)
    mine = alice.get("/api/assessment-scores/", {"target": w.a.pk}).json()["results"]
    judged = next(s for s in mine if s["id"] == duty.pk)
    assert (judged["points"], judged["comment"]) == (None, "")
    talks = next(s for s in mine if s["indicator"]["formula"] == "heart_to_heart")
    assert (talks["points"], talks["detail"]) == ("5.00", {"members": 2, "talked": 1})
    assert alice.get(f"/api/assessment-targets/{w.a.pk}/").json()["result"] is None
    # Branch A's secretary cannot score, nor read branch B.
    assert alice.post(f"/api/assessment-scores/{duty.pk}/score/",
                      {"version": duty.version + 2, "points": "40"},
                      content_type="application/json").status_code == 404  # fmt: skip
    assert alice.get(f"/api/assessment-targets/{w.b.pk}/").status_code == 404
    assert alice.get(f"/api/assessment-rounds/{w.round.pk}/").status_code == 404
    duty_b = Score.objects.get(target=w.b, indicator=w.s.duty)
    login(w.sam).post(f"/api/assessment-scores/{duty_b.pk}/score/",
                      {"version": duty_b.version, "points": "30"}, content_type="application/json")  # fmt: skip
    assert login(w.carol).post(f"/api/assessment-rounds/{w.round.pk}/publish/").status_code == 200
    result = login(w.alice).get(f"/api/assessment-targets/{w.a.pk}/").json()["result"]
    # Same 组织生活 for both; A: 组织设置 10 + 谈心谈话 5 + 33 = 48, B: 20 + 0 + 30 = 50.
    assert (result["rank"], result["peers"]) == (2, 2)


def test_a_round_is_started_over_the_api(assess_world, login):
    from mofan.assessment.models import Round
    from mofan.assessment.tests.conftest import build_scheme

    w = assess_world
    scheme = build_scheme(w, w.carol).scheme
    body = {"scheme": scheme.pk, "title": "2026年度考核", "self_due_on": "2026-12-10",
            "targets": [w.branch_a.pk], "team": [w.sam_p.pk]}  # fmt: skip
    assert login(w.bob).post("/api/assessment-rounds/", body,
                             content_type="application/json").status_code == 404  # fmt: skip
    carol = login(w.carol)
    wrong = carol.post("/api/assessment-rounds/", {**body, "targets": [w.organ.pk]},
                       content_type="application/json")  # fmt: skip
    assert wrong.status_code == 400 and "不在本指标体系的考核范围内" in wrong.json()["detail"]
    assert not Round.objects.exists()
    started = carol.post("/api/assessment-rounds/", body, content_type="application/json")
    assert started.status_code == 201, started.content
    round_ = Round.objects.get()
    assert list(round_.targets.values_list("org_id", flat=True)) == [w.branch_a.pk]
    assert list(round_.team.all()) == [w.sam]
