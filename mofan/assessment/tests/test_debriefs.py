"""述职评议: slips, anonymous ballots counted once, the tally hidden until the vote closes and the
result seen by need-to-know after publication; the pages, the API and the formula that reads it."""

from datetime import date, datetime, timedelta

import pytest

from mofan.assessment.tests.conftest import SHANGHAI

GOOD = {"good": 1, "fair_good": 0, "fair": 0, "poor": 0, "unknown": 0}


def _open(w):
    from mofan.assessment import debriefs

    w.debrief = debriefs.open_vote(w.debrief, actor=w.carol)
    return w.debrief


def _counts(debriefer):
    debriefer.refresh_from_db()
    return {m: getattr(debriefer, m) for m in ("good", "fair_good", "fair", "poor", "unknown")}


# -- slips -------------------------------------------------------------------------------------


def test_each_voter_gets_a_slip_whose_code_only_its_digest_is_kept(debrief_world):
    from mofan.assessment import debriefs
    from mofan.assessment.models import Slip

    w = debrief_world
    assert len(w.codes) == 5 and len(set(w.codes)) == 5
    assert all(len(code) == 16 and code.isalnum() for code in w.codes)
    digests = set(Slip.objects.filter(debrief=w.debrief).values_list("digest", flat=True))
    assert digests == {debriefs.digest(code) for code in w.codes}
    assert not any(code in digests for code in w.codes)
    # A slip keeps its digest and whether it was used: nothing that could say when or by whom.
    assert {f.name for f in Slip._meta.concrete_fields} == {"id", "debrief", "digest", "spent"}
    # The sheet can be printed again: the same codes.
    assert debriefs.slip_codes(w.debrief) == w.codes


def test_changing_the_number_of_voters_makes_new_slips(debrief_world):
    from mofan.assessment import debriefs

    w = debrief_world
    changed = debriefs.change(w.debrief, actor=w.carol, version=w.debrief.version,
                              title=w.debrief.title, held_on=w.debrief.held_on, voters=7)  # fmt: skip
    codes = debriefs.slip_codes(changed)
    assert len(codes) == 7 and not set(codes) & set(w.codes)
    assert changed.slips.count() == 7


def test_a_typed_code_is_read_as_the_slip_prints_it(debrief_world):
    from mofan.assessment import debriefs

    code = debrief_world.codes[0]
    typed = " ".join(code[i : i + 4] for i in range(0, 16, 4)).lower()
    assert debriefs.normalised(typed) == code
    assert debriefs.normalised("0I8B") == "OIBB"


# -- ballots -----------------------------------------------------------------------------------


def test_a_ballot_counts_each_grade_once_and_spends_its_slip(debrief_world):
    from mofan.assessment import debriefs
    from mofan.audit.models import AuditEvent

    w = debrief_world
    _open(w)
    events = AuditEvent.objects.count()
    debriefs.cast(w.codes[0], {str(w.da.pk): "good", str(w.db.pk): "fair"})
    debriefs.cast(w.codes[1], {w.da.pk: "good", w.db.pk: "unknown"})
    assert _counts(w.da) == {"good": 2, "fair_good": 0, "fair": 0, "poor": 0, "unknown": 0}
    assert _counts(w.db) == {"good": 0, "fair_good": 0, "fair": 1, "poor": 0, "unknown": 1}
    assert debriefs.cast_count(w.debrief) == 2
    # Neither the ballot nor its slip leaves an audit record (which would carry a time).
    assert AuditEvent.objects.count() == events


def test_a_second_ballot_on_the_same_slip_is_refused_and_changes_nothing(debrief_world):
    from mofan.assessment import debriefs

    w = debrief_world
    _open(w)
    debriefs.cast(w.codes[0], {w.da.pk: "good", w.db.pk: "good"})
    with pytest.raises(debriefs.BallotRefused, match="已经投过") as caught:
        debriefs.cast(w.codes[0], {w.da.pk: "poor", w.db.pk: "poor"})
    assert caught.value.status_code == 409
    assert _counts(w.da) == GOOD and _counts(w.db) == GOOD


@pytest.mark.parametrize(
    ("marks", "message"),
    [
        ({"a": "good"}, "尚未评议：王五"),
        ({"a": "good", "b": "excellent"}, "评议等次须为"),
        ({"a": "good", "b": "good", "x": "good"}, "不在本次述职评议中"),
    ],
)
def test_a_ballot_that_is_not_complete_or_valid_is_refused(debrief_world, marks, message):
    from mofan.assessment import debriefs
    from mofan.core.errors import InvalidInput

    w = debrief_world
    _open(w)
    ids = {"a": w.da.pk, "b": w.db.pk, "x": 999999}
    with pytest.raises(InvalidInput, match=message):
        debriefs.cast(w.codes[0], {ids[k]: v for k, v in marks.items()})
    assert _counts(w.da)["good"] == 0
    assert debriefs.cast_count(w.debrief) == 0  # the slip is still good


def test_ballots_are_refused_before_the_vote_opens_and_after_it_closes(debrief_world, time_machine):
    from mofan.assessment import debriefs
    from mofan.core.errors import InvalidInput

    w = debrief_world
    marks = {w.da.pk: "good", w.db.pk: "good"}
    with pytest.raises(debriefs.BallotRefused, match="尚未开始"):
        debriefs.cast(w.codes[0], marks)
    with pytest.raises(InvalidInput, match="票码无效"):
        debriefs.cast("AAAABBBBCCCCDDDD", marks)
    _open(w)
    debriefs.close_vote(w.debrief, actor=w.carol)
    with pytest.raises(debriefs.BallotRefused, match="已经结束"):
        debriefs.cast(w.codes[1], marks)
    assert debriefs.cast_count(w.debrief) == 0


def test_a_ballot_after_the_closing_time_is_refused_before_the_organiser_closes(
    debrief_world, time_machine
):
    from mofan.assessment import debriefs

    w = debrief_world
    closes = datetime(2026, 11, 20, 11, 0, tzinfo=SHANGHAI)
    w.debrief = debriefs.change(w.debrief, actor=w.carol, version=w.debrief.version,
                                title=w.debrief.title, held_on=w.debrief.held_on, voters=5,
                                closes_at=closes)  # fmt: skip
    codes = debriefs.slip_codes(w.debrief)
    w.debrief.refresh_from_db()
    _open(w)
    debriefs.cast(codes[0], {w.da.pk: "good", w.db.pk: "good"})
    time_machine.move_to(closes + timedelta(seconds=1), tick=False)
    with pytest.raises(debriefs.BallotRefused, match="已经结束"):
        debriefs.cast(codes[1], {w.da.pk: "good", w.db.pk: "good"})
    assert debriefs.cast_count(w.debrief) == 1


def test_who_reports_and_how_many_vote_are_fixed_once_the_vote_opens(debrief_world):
    from mofan.assessment import debriefs
    from mofan.core.errors import InvalidInput

    w = debrief_world
    with pytest.raises(InvalidInput, match="下级组织"):
        debriefs.add_debriefer(w.debrief, actor=w.carol, org=w.root, person=w.alice_p)
    with pytest.raises(InvalidInput, match="未在第二党支部任职"):
        debriefs.add_debriefer(w.debrief, actor=w.carol, org=w.branch_b, person=w.amy_p)
    _open(w)
    with pytest.raises(InvalidInput, match="投票已经开始"):
        debriefs.remove_debriefer(w.debrief, actor=w.carol, debriefer_id=w.da.pk)
    with pytest.raises(InvalidInput, match="投票已经开始"):
        debriefs.change(w.debrief, actor=w.carol, version=w.debrief.version, title="x",
                        held_on=w.debrief.held_on, voters=50)  # fmt: skip
    assert w.debrief.debriefers.count() == 2 and w.debrief.slips.count() == 5


def test_the_result_grades_the_composite_and_leaves_unknown_out(debrief_world):
    from mofan.assessment import debriefs

    w = debrief_world
    _open(w)
    for code, (a, b) in zip(w.codes, [("good", "fair"), ("good", "poor"), ("fair_good", "unknown"),
                                      ("fair_good", "fair"), ("good", "fair")], strict=True):  # fmt: skip
        debriefs.cast(code, {w.da.pk: a, w.db.pk: b})
    debriefs.close_vote(w.debrief, actor=w.carol)
    a, b = debriefs.tally(w.debrief)
    assert a.counts == {"good": 3, "fair_good": 2, "fair": 0, "poor": 0, "unknown": 0}
    assert str(a.composite) == "92.00" and a.grade == "good" and str(a.approval) == "100.00"
    # B: 一般 ×3, 差 ×1, 不了解 ×1 → (60×3 + 0) / 4 = 45 → 差.
    assert b.graded == 4 and str(b.composite) == "45.00" and b.grade == "poor"
    assert str(b.approval) == "0.00"


# -- who sees what -----------------------------------------------------------------------------


def test_the_tally_shows_to_the_organiser_after_closing_and_to_each_reporter_after_publication(
    debrief_world, client, login
):
    from mofan.assessment import debriefs

    w = debrief_world
    _open(w)
    debriefs.cast(w.codes[0], {w.da.pk: "good", w.db.pk: "poor"})
    url = f"/assessment/debriefs/{w.debrief.pk}/"
    login(w.carol)
    page = client.get(url).content.decode()
    assert 'data-testid="tally"' not in page and "已投1张 / 发出5张" in page
    login(w.alice)
    assert client.get(url).status_code == 404  # nothing before publication
    debriefs.close_vote(w.debrief, actor=w.carol)
    login(w.carol)
    page = client.get(url).content.decode()
    assert 'data-testid="tally"' in page and "王五" in page
    login(w.alice)
    assert client.get(url).status_code == 404  # closed is not published
    debriefs.publish(w.debrief, actor=w.carol)
    page = client.get(url).content.decode()
    assert "张三" in page and "王五" not in page  # her own line only
    assert 'data-testid="people"' not in page
    login(w.amy)  # a plain member reads no organisation's records: not even her secretary's
    assert client.get(url).status_code == 404
    login(w.sam)  # the supervisor reads the whole tree: every line
    page = client.get(url).content.decode()
    assert "张三" in page and "王五" in page


def test_publication_tells_each_reporter_their_own_result(debrief_world):
    from mofan.assessment import debriefs
    from mofan.notify.models import Notification

    w = debrief_world
    _open(w)
    debriefs.cast(w.codes[0], {w.da.pk: "good", w.db.pk: "poor"})
    debriefs.close_vote(w.debrief, actor=w.carol)
    debriefs.publish(w.debrief, actor=w.carol)
    notice = Notification.objects.get(user=w.alice, title__startswith="述职评议")
    assert "您的述职评议结果：好（综合得分100" in notice.body
    assert "差" in Notification.objects.get(user=w.bob, title__startswith="述职评议").body


def test_another_organisation_cannot_read_or_run_the_debrief(debrief_world, client, login):
    w = debrief_world
    base = f"/assessment/debriefs/{w.debrief.pk}/"
    for user in (w.bob, w.sam, w.una):
        login(user)
        assert client.get(base).status_code == 404
        assert client.get(f"{base}slips/").status_code == 404
        assert client.post(base, {"op": "open", "version": w.debrief.version}).status_code == 404
        assert client.get("/api/debriefs/").json()["count"] == 0
        assert client.post(f"/api/debriefs/{w.debrief.pk}/open/").status_code == 404
    w.debrief.refresh_from_db()
    assert w.debrief.state == "draft"


# -- pages -------------------------------------------------------------------------------------


def test_the_organiser_runs_a_debrief_from_the_pages(assess_world, client, login):
    from mofan.assessment.models import Debrief
    from mofan.orgs.models import Position

    w = assess_world
    Position.objects.create(person=w.alice_p, org=w.branch_a, title="secretary",
                            started_on=date(2024, 1, 1))  # fmt: skip
    login(w.carol)
    bad = client.post("/assessment/debriefs/new/", {
        "org": w.organ.pk, "year": "2026", "title": "述职评议", "held_on": "2026-11-25",
        "voters": "0"})  # fmt: skip
    assert bad.status_code == 400 and "评议人数须为1至2000之间的整数" in bad.content.decode()
    assert not Debrief.objects.exists()
    made = client.post("/assessment/debriefs/new/", {
        "org": w.organ.pk, "year": "2026", "title": "述职评议", "held_on": "2026-11-25",
        "voters": "3"})  # fmt: skip
    debrief = Debrief.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/assessment/debriefs/{debrief.pk}/"
    page = f"/assessment/debriefs/{debrief.pk}/"
    refused = client.post(page, {"op": "add", "org": w.branch_b.pk, "version": 1})
    assert refused.status_code == 400 and "没有在任的书记或委员" in refused.content.decode()
    assert client.post(page, {"op": "add", "org": w.branch_a.pk, "version": 1}).status_code == 302
    stale = client.post(page, {"op": "open", "version": 1})
    assert stale.status_code == 409
    assert client.post(page, {"op": "open", "version": 2}).status_code == 302
    sheet = client.get(f"{page}slips/").content.decode()
    assert sheet.count('data-testid="slip"') == 3 and sheet.count("<svg") == 3
    debrief.refresh_from_db()
    assert debrief.state == "open"


def test_a_voter_casts_a_ballot_from_the_slip_without_an_account(debrief_world, client):
    w = debrief_world
    _open(w)
    url = f"/v/{w.codes[0]}/"
    page = client.get(url)
    assert page.status_code == 200 and "张三" in page.content.decode()
    half = client.post(url, {f"m{w.da.pk}": "good"})
    assert half.status_code == 400
    text = half.content.decode()
    assert "尚未评议：王五" in text and 'data-testid="ballot-form"' in text and " checked" in text
    done = client.post(url, {f"m{w.da.pk}": "good", f"m{w.db.pk}": "fair_good"})
    assert done.status_code == 200 and "投票成功" in done.content.decode()
    again = client.post(url, {f"m{w.da.pk}": "poor", f"m{w.db.pk}": "poor"})
    assert again.status_code == 409 and "已经投过" in again.content.decode()
    assert client.get(url).status_code == 409
    assert _counts(w.da) == GOOD
    assert client.get("/v/NOSUCHCODE0000AA/").status_code == 400


def test_the_ballot_api_counts_once_and_needs_no_account(debrief_world, client):
    w = debrief_world
    _open(w)
    shown = client.get(f"/api/debrief-ballots/{w.codes[0]}/")
    assert shown.status_code == 200 and [p["person_name"] for p in shown.json()] == ["张三", "王五"]
    body = {"code": w.codes[0], "marks": {str(w.da.pk): "good", str(w.db.pk): "good"}}
    first = client.post("/api/debrief-ballots/", body, content_type="application/json")
    assert first.status_code == 201
    second = client.post("/api/debrief-ballots/", body, content_type="application/json")
    assert second.status_code == 409 and "已经投过" in second.json()["detail"]
    bad = client.post("/api/debrief-ballots/", {"code": w.codes[1], "marks": {str(w.da.pk): "x"}},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400
    assert _counts(w.da) == GOOD and _counts(w.db) == GOOD


def test_the_api_runs_the_vote_and_holds_the_tally_back_until_it_closes(
    debrief_world, client, login
):
    from mofan.assessment import debriefs

    w = debrief_world
    login(w.carol)
    made = client.post("/api/debriefs/", {
        "org": w.organ.pk, "year": 2026, "title": "第二次述职评议", "held_on": "2026-11-21",
        "voters": 2, "reporters": [w.branch_a.pk],
    }, content_type="application/json")  # fmt: skip
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert [d["person_name"] for d in made.json()["debriefers"]] == ["张三"]
    assert client.post(f"/api/debriefs/{pk}/close/").status_code == 400
    opened = client.post(f"/api/debriefs/{pk}/open/").json()
    assert opened["state"] == "open" and opened["cast"] == 0 and opened["results"] == []
    from mofan.assessment.models import Debrief

    code = debriefs.slip_codes(Debrief.objects.get(pk=pk))[0]
    debriefer = opened["debriefers"][0]["id"]
    debriefs.cast(code, {debriefer: "fair_good"})
    login(w.carol)
    assert client.get(f"/api/debriefs/{pk}/").json()["results"] == []
    closed = client.post(f"/api/debriefs/{pk}/close/").json()
    assert closed["cast"] == 1 and closed["results"][0]["counts"]["fair_good"] == 1
    assert closed["results"][0]["composite"] == "80.00"
    login(w.alice)
    assert client.get(f"/api/debriefs/{pk}/").status_code == 404
    login(w.carol)
    client.post(f"/api/debriefs/{pk}/publish/")
    login(w.alice)
    mine = client.get(f"/api/debriefs/{pk}/").json()
    assert mine["cast"] is None and mine["results"][0]["grade"] == "fair_good"
    refused = client.post("/api/debriefs/", {
        "org": w.organ.pk, "year": 2026, "title": "x", "held_on": "2026-11-21", "voters": 2,
    }, content_type="application/json")  # fmt: skip
    assert refused.status_code == 400  # alice assesses no one


# -- the formula -------------------------------------------------------------------------------


def test_the_debrief_rating_formula_scores_the_published_result(debrief_world):
    from mofan.assessment import debriefs, formulas, services
    from mofan.assessment.models import Score, Target
    from mofan.assessment.tests.conftest import build_scheme

    w = debrief_world
    s = build_scheme(w, w.carol)
    s.scheme.refresh_from_db()
    # 10 of the judgement's 40 points go to the 述职评议 result: the total stays 100.
    services.save_indicator(s.scheme, actor=w.carol, dimension=s.duty.dimension, name=s.duty.name,
                            kind="judgement", points="30", indicator=s.duty)  # fmt: skip
    s.scheme.refresh_from_db()
    rating = services.save_indicator(
        s.scheme, actor=w.carol, dimension=s.scheme.dimensions.get(name="政治建设"),
        name="书记抓党建述职评议", kind="record", points="10", formula="debrief_rating",
        params={"full_at": "90"},
    )  # fmt: skip
    s.scheme.refresh_from_db()
    assert services.problems_of(s.scheme) == []
    _open(w)
    for code, (a, b) in zip(w.codes[:2], [("good", "fair"), ("fair_good", "fair")], strict=True):
        debriefs.cast(code, {w.da.pk: a, w.db.pk: b})
    debriefs.close_vote(w.debrief, actor=w.carol)
    round_ = services.start_round(s.scheme, actor=w.carol, title="考核",
                                  self_due_on=date(2026, 12, 10),
                                  targets=[w.branch_a, w.branch_b], team=[w.sam])  # fmt: skip
    a = Target.objects.get(round=round_, org=w.branch_a)
    unpublished = Score.objects.get(target=a, indicator=rating)
    assert unpublished.points == 0 and "尚未公布" in unpublished.explanation
    debriefs.publish(w.debrief, actor=w.carol)
    services.compute_round(round_)
    a_score = Score.objects.get(target=a, indicator=rating)
    b_score = Score.objects.get(target__round=round_, target__org=w.branch_b, indicator=rating)
    # A: (100 + 80) / 2 = 90 → full points; B: 60 → 10 × 60 / 90 = 6.67.
    assert str(a_score.points) == "10.00" and "综合得分90" in a_score.explanation
    assert str(b_score.points) == "6.67"
    rows = formulas.FORMULAS["debrief_rating"].evidence(w.carol, w.branch_a, 2026, w.today,
                                                      a_score.detail)  # fmt: skip
    assert rows[0].url == f"/assessment/debriefs/{w.debrief.pk}/"
