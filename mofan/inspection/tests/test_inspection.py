"""巡视巡察, first part: the term's coverage plan and its map (organisations founded, dissolved or
merged during the term), rounds and their stages, teams with 回避 enforced, targets, findings
kept encrypted — and who reads them: the discipline officers of the organisation that holds
them and the team, nobody else, every read audited."""

from datetime import date

import pytest
from django.db import connection

from mofan.inspection import rectify, services
from mofan.inspection.choices import Coverage, Stage
from mofan.inspection.models import Finding, PlanEntry, Round, Target
from mofan.orgs.models import UnitChange


def test_recusal_refuses_the_unit_the_membership_and_a_recent_move(inspect_world):
    from mofan.core.errors import InvalidInput

    w = inspect_world
    # 李四 works in 办公厅 and is a member of branch A.
    with pytest.raises(InvalidInput, match="须回避：李四在办公厅工作，第一党支部设在该单位"):
        services.add_member(w.team, actor=w.qian, person=w.amy_p, role="member")
    # 钱纪检 works in 测试部, the unit above 办公厅: not 办公厅's own; one in a division of 办公厅
    # is.
    from conftest import make_person
    from mofan.orgs import services as orgs
    from mofan.orgs.choices import UnitKind

    assert services.recusal(w.qian_p, w.branch_a) is None
    secretariat = orgs.create_unit(actor=None, parent=w.unit_a, kind=UnitKind.DIVISION, code="UA1",
                                   name="秘书处")  # fmt: skip
    assert services.recusal(make_person("陈秘书", secretariat), w.branch_a) == (
        "陈秘书在秘书处工作，该单位属于第一党支部所在的办公厅"
    )
    # 周八 (人事司, no party record here) left 办公厅 two years ago: refused; five years ago: not.
    change = UnitChange.objects.create(person=w.una_p, left=w.unit_a, joined=w.unit_b,
                                       on=date(2024, 11, 1))  # fmt: skip
    with pytest.raises(InvalidInput, match="于2024年11月1日离开办公厅，未满3年"):
        services.add_member(w.team, actor=w.qian, person=w.una_p, role="member")
    UnitChange.objects.filter(pk=change.pk).update(on=date(2021, 11, 1))
    services.add_member(w.team, actor=w.qian, person=w.una_p, role="member")
    # A second 组长, the same person twice: refused.
    with pytest.raises(InvalidInput, match="已有组长"):
        services.add_member(w.team, actor=w.qian, person=w.sam_p, role="leader")
    with pytest.raises(InvalidInput, match="已在本轮的巡察组中"):
        services.add_member(w.team, actor=w.qian, person=w.una_p, role="member")
    # The team cannot take branch B: 王五 and 周八 both work in 人事司.
    with pytest.raises(InvalidInput, match="须回避：王五在人事司工作"):
        services.add_target(w.round, actor=w.qian, org=w.branch_b, team=w.team)
    assert list(w.round.targets.values_list("org_id", flat=True)) == [w.branch_a.pk]


def test_a_persons_move_of_unit_is_kept_for_the_rule(world):
    from mofan.orgs import services as orgs

    w = world
    person = w.amy_p
    orgs.update_person(person, actor=w.carol, version=person.version, unit=w.unit_b)
    change = UnitChange.objects.get(person=person)
    assert (change.left, change.joined) == (w.unit_a, w.unit_b)


def test_stages_move_one_at_a_time_and_findings_are_kept_encrypted(inspect_world):
    from mofan.core.errors import InvalidInput

    w = inspect_world
    with pytest.raises(InvalidInput, match="进驻后、反馈前"):
        services.add_finding(w.target, actor=w.qian, category="conduct", title="t", facts="x" * 10)
    services.add_team(w.round, actor=w.qian, name="第二巡察组")
    services.advance(w.round, actor=w.qian)
    w.round.refresh_from_db()
    assert w.round.stage == Stage.STATIONED and w.round.stage_dates["stationed"] == "2026-11-20"
    with pytest.raises(InvalidInput, match="只能在准备阶段"):
        services.add_team(w.round, actor=w.qian, name="第三巡察组")
    finding = services.add_finding(
        w.target, actor=w.qian, category="conduct", title="公务接待超标准",
        facts="2026年5月，该支部所在单位公务接待三次超出标准，涉及金额合计一万二千元。",
    )  # fmt: skip
    assert finding.number == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, facts FROM inspection_finding WHERE id = %s", [finding.pk])
        title, facts = cursor.fetchone()
    assert "公务接待" not in title and "公务接待" not in facts  # ciphertext at rest
    assert Finding.objects.get(pk=finding.pk).facts.startswith("2026年5月")
    for _ in range(3):  # to 反馈
        services.advance(w.round, actor=w.qian)
    rectify.hand_over(w.round, actor=w.qian)  # 移交 needs the findings handed over
    for _ in range(4):  # to the end
        services.advance(w.round, actor=w.qian)
    with pytest.raises(InvalidInput, match="已经结束"):
        services.advance(w.round, actor=w.qian)


def test_stationing_needs_a_leader_for_each_target(inspect_world):
    from mofan.core.errors import InvalidInput

    w = inspect_world
    second = services.add_team(w.round, actor=w.qian, name="第二巡察组")
    services.add_member(second, actor=w.qian, person=w.una_p, role="member")
    from mofan.orgs import services as orgs
    from mofan.orgs.choices import OrgKind

    third = orgs.create_org(actor=None, parent=w.organ, kind=OrgKind.BRANCH, code="C",
                            name="第三党支部")  # fmt: skip
    services.add_target(w.round, actor=w.qian, org=third, team=second)
    with pytest.raises(InvalidInput, match="尚无组长"):
        services.advance(w.round, actor=w.qian)


def test_the_coverage_map_counts_founded_dissolved_and_inspected(inspect_world):
    from mofan.orgs import services as orgs
    from mofan.orgs.choices import OrgKind

    w = inspect_world
    new = orgs.create_org(actor=None, parent=w.organ, kind=OrgKind.BRANCH, code="C", name="第三党支部",
                          founded_on=date(2027, 3, 1))  # fmt: skip
    gone = orgs.create_org(actor=None, parent=w.organ, kind=OrgKind.BRANCH, code="D",
                           name="第四党支部")  # fmt: skip
    orgs.dissolve_node(gone, actor=None, on=date(2026, 6, 30))
    later = orgs.create_org(actor=None, parent=w.organ, kind=OrgKind.BRANCH, code="E",
                            name="第五党支部")  # fmt: skip
    orgs.dissolve_node(later, actor=None, on=date(2031, 3, 31))  # after the term: still due
    services.plan_orgs(w.plan, actor=w.qian, orgs=[w.branch_b], year=2027)
    found = services.coverage(w.plan)
    status = {row.org_id: row.status for row in found.rows}
    # Branch A's round is still preparing: not yet inspected.
    assert status == {w.branch_a.pk: Coverage.UNCOVERED, w.branch_b.pk: Coverage.PLANNED,
                      new.pk: Coverage.UNCOVERED, gone.pk: Coverage.GONE,
                      later.pk: Coverage.UNCOVERED}  # fmt: skip
    assert w.group_a.pk not in status  # 党小组 are not inspected on their own
    services.advance(w.round, actor=w.qian)
    found = services.coverage(w.plan)
    status = {row.org_id: row.status for row in found.rows}
    assert status[w.branch_a.pk] == Coverage.INSPECTED
    assert (found.due, found.counts["inspected"], round(found.rate, 1)) == (4, 1, 25.0)
    assert found.by_year[2026] == {"planned": 0, "inspected": 1}
    assert found.by_year[2027] == {"planned": 1, "inspected": 0}
    assert next(r.note for r in found.rows if r.org_id == new.pk) == "2027年3月1日成立"
    # Moving branch B to another year replaces its entry.
    services.plan_orgs(w.plan, actor=w.qian, orgs=[w.branch_b], year=2028)
    assert PlanEntry.objects.get(plan=w.plan, org=w.branch_b).year == 2028


def test_plan_and_round_inputs_are_refused_in_chinese(inspect_world):
    from mofan.core.errors import InvalidInput

    w = inspect_world
    for kwargs, message in [
        ({"first_year": 2026, "last_year": 2040}, "规划期须为1至10年"),
        ({"first_year": 2030, "last_year": 2026}, "规划期"),
        ({"first_year": None, "last_year": 2030}, "起始年度须为"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            services.create_plan(w.organ, actor=w.qian, title="规划", **kwargs)
    with pytest.raises(InvalidInput, match="党委、党组或机关党委"):
        services.create_plan(
            w.branch_a, actor=w.qian, title="规划", first_year=2026, last_year=2030
        )
    with pytest.raises(InvalidInput, match="计划年度须在规划期"):
        services.plan_orgs(w.plan, actor=w.qian, orgs=[w.branch_b], year=2031)
    with pytest.raises(InvalidInput, match="本组织下属"):
        services.plan_orgs(w.plan, actor=w.qian, orgs=[w.root], year=2027)
    with pytest.raises(InvalidInput, match="“回头看”的对象须是此前巡察过的组织"):
        follow = services.create_round(w.organ, actor=w.qian, kind="follow_up", year=2026,
                                       title="回头看")  # fmt: skip
        team = services.add_team(follow, actor=w.qian, name="回头看巡察组")
        services.add_target(follow, actor=w.qian, org=w.branch_b, team=team)


# -- need-to-know, through the pages and every read audited ---------------------------------------


def _urls(w) -> list[str]:
    return [f"/inspection/plans/{w.plan.pk}/", f"/inspection/rounds/{w.round.pk}/",
            f"/inspection/targets/{w.target.pk}/",
            f"/inspection/targets/{w.target.pk}/announcement.docx"]  # fmt: skip


def test_only_the_holding_organisations_officers_and_the_team_read(inspect_world, client, login):
    from mofan.audit.models import AuditEvent

    w = inspect_world
    services.advance(w.round, actor=w.qian)
    services.add_finding(w.target, actor=w.qian, category="integrity", title="违规发放津贴",
                         facts="该支部所在单位2026年违规发放津贴补贴。")  # fmt: skip
    login(w.qian)
    for url in _urls(w):
        assert client.get(url).status_code == 200, url
    assert "违规发放津贴补贴" in client.get(_urls(w)[2]).content.decode()
    # The org admin of the organ, the root committee's discipline officer, the inspected
    # branch's secretary: 404 on each page and no change.
    for user in (w.carol, w.feng, w.alice):
        login(user)
        for url in _urls(w):
            assert client.get(url).status_code == 404, (user.username, url)
        assert client.post(_urls(w)[2], {"category": "conduct", "title": "伪造",
                                         "facts": "伪造的问题事实伪造的问题"}).status_code == 404  # fmt: skip
        assert 'data-testid="rounds"' not in client.get("/inspection/").content.decode()
    assert Finding.objects.count() == 1
    # 王五 leads the team: reads the round and his target, records a finding; no plan.
    login(w.bob)
    assert client.get(_urls(w)[0]).status_code == 404
    assert client.get(_urls(w)[1]).status_code == 200 and client.get(_urls(w)[2]).status_code == 200
    posted = client.post(_urls(w)[2], {"category": "conduct", "title": "会风不严",
                                       "facts": "支部委员会会议多次无故缺席。"})  # fmt: skip
    assert posted.status_code == 302 and Finding.objects.count() == 2
    # Each read is on the audit trail with who read what.
    viewed = AuditEvent.objects.filter(
        action="inspection.target.viewed", object_id=str(w.target.pk)
    )
    assert {"qian", "bob"} <= set(viewed.values_list("actor_name", flat=True))
    first = Finding.objects.get(number=1)
    readers = AuditEvent.objects.filter(
        action="inspection.finding.viewed", object_type="inspection.finding", object_id=str(first.pk)
    )  # fmt: skip
    assert set(readers.values_list("actor_name", flat=True)) == {"qian", "bob"}
    # The auditor lists them on the audit page by the finding.
    login(w.auditor)
    listed = client.get("/audit/", {"action": "inspection.finding.viewed", "object_id": first.pk})
    assert listed.status_code == 200 and "qian" in listed.content.decode()


def test_the_pages_run_a_round_and_refuse_a_recusal(inspect_world, client, login):
    w = inspect_world
    login(w.qian)
    url = f"/inspection/rounds/{w.round.pk}/"
    refused = client.post(url, {"op": "member", "team": w.team.pk, "person": w.amy_p.pk,
                                "role": "member"})  # fmt: skip
    assert refused.status_code == 400 and "须回避" in refused.content.decode()
    made = client.post("/inspection/", {"op": "round", "org": w.organ.pk, "kind": "special",
                                        "title": "2026年专项巡察", "year": "2026"})  # fmt: skip
    assert made.status_code == 302 and Round.objects.filter(title="2026年专项巡察").exists()
    refused = client.post("/inspection/", {"op": "round", "org": w.organ.pk, "kind": "special",
                                           "title": "专项巡察", "year": "2026", "plan": "999"})  # fmt: skip
    assert refused.status_code == 400 and "所选规划不存在" in refused.content.decode()
    assert client.post("/inspection/", {"op": "round", "org": w.root.pk, "kind": "special",
                                        "title": "越权", "year": "2026"}).status_code == 400  # fmt: skip
    assert client.post(url, {"op": "advance", "version": w.round.version}).status_code == 302
    assert Round.objects.get(pk=w.round.pk).stage == Stage.STATIONED
    stale = client.post(url, {"op": "advance", "version": w.round.version})
    assert stale.status_code == 409
    doc = client.get(f"/inspection/targets/{w.target.pk}/announcement.docx")
    import io

    from docx import Document

    text = "\n".join(
        p.text for p in Document(io.BytesIO(b"".join(doc.streaming_content))).paragraphs
    )
    assert "第一巡察组进驻第一党支部开展常规巡察的公告" in text and "010-12345678" in text
    assert Target.objects.count() == 1


def test_a_team_member_is_told_where_the_round_is(inspect_world):
    from mofan.notify.models import Notification

    w = inspect_world
    told = Notification.objects.get(user=w.bob, kind="inspection")
    assert told.url == f"/inspection/rounds/{w.round.pk}/" and "第一巡察组组长" in told.body


def test_the_plan_page_filters_the_map(inspect_world, client, login):
    w = inspect_world
    services.plan_orgs(w.plan, actor=w.qian, orgs=[w.branch_b], year=2027)
    login(w.qian)
    page = client.get(f"/inspection/plans/{w.plan.pk}/?status=planned").content.decode()
    assert "第二党支部" in page and "第一党支部" not in page.split('data-testid="coverage"')[1]
    posted = client.post(f"/inspection/plans/{w.plan.pk}/", {"orgs": [w.branch_a.pk], "year": "2029",
                                                              "version": w.plan.version + 1})  # fmt: skip
    assert posted.status_code == 302
    assert PlanEntry.objects.get(plan=w.plan, org=w.branch_a).year == 2029
    assert client.post(f"/inspection/plans/{w.plan.pk}/", {"orgs": [w.root.pk], "year": "2029"}
                       ).status_code == 400  # fmt: skip


# -- REST ---------------------------------------------------------------------------------------


def test_the_api_runs_a_round_and_keeps_to_the_same_reach(inspect_world, client, login):
    from mofan.audit.models import AuditEvent

    w = inspect_world
    login(w.qian)
    json = {"content_type": "application/json"}
    plan = client.post("/api/inspection-plans/", {"org": w.organ.pk, "title": "第二个规划",
                                                  "first_year": 2026, "last_year": 2028}, **json)  # fmt: skip
    assert plan.status_code == 201, plan.content
    planned = client.post(f"/api/inspection-plans/{plan.json()['id']}/orgs/", {
        "version": 1, "orgs": [w.branch_a.pk, w.branch_b.pk], "year": 2027}, **json)  # fmt: skip
    assert planned.status_code == 200 and planned.json()["version"] == 2
    coverage = client.get(f"/api/inspection-plans/{plan.json()['id']}/coverage/").json()
    assert coverage["due"] == 2 and coverage["counts"]["planned"] == 2
    made = client.post("/api/inspection-rounds/", {"org": w.organ.pk, "kind": "special",
                                                   "title": "专项巡察", "year": 2026}, **json)  # fmt: skip
    assert made.status_code == 201
    url = f"/api/inspection-rounds/{made.json()['id']}/"
    team = client.post(url + "teams/", {"name": "专项巡察组", "phone": "010-1"}, **json).json()[
        "teams"
    ][0]
    assert client.post(url + "members/", {"team": team["id"], "person": w.bob_p.pk, "role": "leader"},
                       **json).status_code == 200  # fmt: skip
    target = client.post(url + "targets/", {"team": team["id"], "org": w.branch_a.pk}, **json)
    assert target.status_code == 200 and target.json()["team_name"] == "专项巡察组"
    refused = client.post(url + "members/", {"team": team["id"], "person": w.amy_p.pk,
                                             "role": "member"}, **json)  # fmt: skip
    assert refused.status_code == 400 and "须回避：李四在办公厅工作" in refused.json()["detail"]
    moved = client.post(url + "advance/", {"version": made.json()["version"]}, **json)
    assert moved.json()["stage"] == "stationed"
    found = client.post("/api/inspection-findings/", {"target": target.json()["id"], "category": "cadres",
                                                       "title": "选人用人不规范", "facts": "2026年提拔两名干部未经民主推荐。"}, **json)  # fmt: skip
    assert found.status_code == 201 and found.json()["number"] == 1
    fid = found.json()["id"]
    changed = client.put(f"/api/inspection-findings/{fid}/", {
        "target": target.json()["id"], "category": "cadres", "title": "选人用人程序不规范",
        "facts": "2026年提拔两名干部未经民主推荐程序。", "version": 1}, **json)  # fmt: skip
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = client.put(f"/api/inspection-findings/{fid}/", {
        "target": target.json()["id"], "category": "cadres", "title": "旧稿", "facts": "旧稿旧稿旧稿旧稿旧稿旧稿",
        "version": 1}, **json)  # fmt: skip
    assert stale.status_code == 409
    assert client.get(f"/api/inspection-findings/{fid}/").json()["title"] == "选人用人程序不规范"
    assert AuditEvent.objects.filter(action="inspection.finding.viewed", object_id=str(fid),
                                     actor_name="qian").exists()  # fmt: skip
    # The organ's org admin and the root committee's discipline officer read none of it.
    for user in (w.carol, w.feng):
        login(user)
        assert client.get("/api/inspection-rounds/").json()["count"] == 0
        assert client.get("/api/inspection-plans/").json()["count"] == 0
        assert client.get(url).status_code == 404
        assert client.get(f"/api/inspection-findings/{fid}/").status_code == 404
        assert client.post(url + "advance/", {"version": 2}, **json).status_code == 404
        assert client.post("/api/inspection-rounds/", {"org": w.organ.pk, "kind": "special",
                                                       "title": "越权", "year": 2026}, **json).status_code == 400  # fmt: skip
    # 王五 leads the team: reads the round, its target and finding; keeps no plan.
    login(w.bob)
    assert client.get(url).status_code == 200
    assert client.get(f"/api/inspection-findings/{fid}/").status_code == 200
    assert client.get("/api/inspection-plans/").json()["count"] == 0
    assert client.post(url + "advance/", {"version": 2}, **json).status_code == 404


# -- 了解: 个别谈话 and 来信来访 ----------------------------------------------------------------


def test_talks_and_letters_are_kept_encrypted_and_handed_to_the_team(inspect_world, client, login):
    from mofan.audit.models import AuditEvent
    from mofan.core.errors import InvalidInput
    from mofan.inspection.models import Interview, Letter

    w = inspect_world
    with pytest.raises(InvalidInput, match="进驻后、反馈前才能登记个别谈话"):
        services.add_interview(w.target, actor=w.qian, held_on=date(2026, 11, 20),
                               interviewee="张三", summary="谈了支部工作")  # fmt: skip
    services.advance(w.round, actor=w.qian)
    with pytest.raises(InvalidInput, match="谈话日期不能晚于今天"):
        services.add_interview(w.target, actor=w.qian, held_on=date(2026, 11, 21),
                               interviewee="张三", summary="谈了支部工作")  # fmt: skip
    talk = services.add_interview(w.target, actor=w.qian, held_on=date(2026, 11, 20),
                                  interviewee="张三", post="支部书记", summary="支部会议记录不全。")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT interviewee, summary FROM inspection_interview WHERE id = %s", [talk.pk]
        )
        assert "张三" not in "".join(cursor.fetchone())
    letter = services.register_letter(w.round, actor=w.qian, channel="phone",
                                      received_on=date(2026, 11, 20), content="反映第一党支部违规发放补贴。")  # fmt: skip
    other = services.register_letter(w.round, actor=w.qian, channel="letter", sender="某群众",
                                     received_on=date(2026, 11, 20), content="反映与本轮无关的事项。")  # fmt: skip
    assert (letter.number, other.number) == (1, 2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sender, content FROM inspection_letter WHERE id = %s", [other.pk])
        assert "某群众" not in "".join(cursor.fetchone())
    with pytest.raises(InvalidInput, match="请选择分类"):
        services.classify_letter(letter, actor=w.qian, version=1, kind="", target=w.target)
    services.classify_letter(letter, actor=w.qian, version=1, kind="accusation", target=w.target)
    services.classify_letter(other, actor=w.qian, version=1, kind="other", target=None)
    # The team (王五) reads the talk and the letter handed to it, not the one kept back.
    login(w.bob)
    page = client.get(f"/inspection/targets/{w.target.pk}/").content.decode()
    assert "支部会议记录不全" in page and "违规发放补贴" in page
    letters = client.get(f"/inspection/rounds/{w.round.pk}/letters/").content.decode()
    assert "违规发放补贴" in letters and "与本轮无关" not in letters
    assert [x["number"] for x in client.get("/api/inspection-letters/").json()["results"]] == [1]
    assert client.post(f"/inspection/rounds/{w.round.pk}/letters/", {
        "channel": "visit", "received_on": "2026-11-20", "content": "组员不能登记"}).status_code == 404  # fmt: skip
    assert AuditEvent.objects.filter(action="inspection.interview.viewed", object_id=str(talk.pk),
                                     actor_name="bob").exists()  # fmt: skip
    # The organ's org admin reads none of it.
    login(w.carol)
    for url in (f"/inspection/rounds/{w.round.pk}/letters/", f"/api/inspection-letters/{letter.pk}/",
                f"/api/inspection-interviews/{talk.pk}/"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    # The keepers register and classify through the page and the API.
    login(w.qian)
    url = f"/inspection/rounds/{w.round.pk}/letters/"
    bad = client.post(
        url, {"channel": "visit", "received_on": "2026-11-19", "content": "来访反映问题"}
    )
    assert bad.status_code == 400 and "收到日期不能早于进驻日期" in bad.content.decode()
    assert client.post(url, {"channel": "visit", "received_on": "2026-11-20",
                             "content": "来访反映问题"}).status_code == 302  # fmt: skip
    made = client.post("/api/inspection-letters/", {"round": w.round.pk, "channel": "mail",
                                                    "received_on": "2026-11-20", "content": "邮件反映问题"},
                       content_type="application/json")  # fmt: skip
    assert made.status_code == 201 and made.json()["number"] == 4
    classified = client.post(f"/api/inspection-letters/{made.json()['id']}/classify/", {
        "version": 1, "kind": "advice", "target": w.target.pk}, content_type="application/json")  # fmt: skip
    assert classified.status_code == 200 and classified.json()["handed_at"]
    talked = client.post("/api/inspection-interviews/", {"target": w.target.pk, "held_on": "2026-11-20",
                                                         "interviewee": "李四", "summary": "谈话要点若干。"},
                         content_type="application/json")  # fmt: skip
    assert talked.status_code == 201
    assert Interview.objects.count() == 2 and Letter.objects.count() == 4
    round_page = client.get(f"/inspection/rounds/{w.round.pk}/").content.decode()
    assert '<td class="text-end">2</td>' in round_page  # two talks at branch A


# -- what an outside probe found ------------------------------------------------------------------


def test_odd_ids_control_characters_and_missing_versions_are_refused(inspect_world, client, login):
    w = inspect_world
    login(w.qian)
    round_url = f"/inspection/rounds/{w.round.pk}/"
    # A Unicode digit that is no decimal ("²") is no id: not a 500.
    for url, body in [
        ("/inspection/", {"op": "plan", "org": "²", "title": "规划", "first_year": "2026",
                          "last_year": "2030"}),
        (round_url, {"op": "member", "team": "²", "person": w.una_p.pk, "role": "member"}),
        (round_url, {"op": "target", "team": w.team.pk, "org": "²"}),
        (f"/inspection/plans/{w.plan.pk}/", {"orgs": "²", "year": "2027", "version": "1"}),
    ]:  # fmt: skip
        assert client.post(url, body).status_code == 400, (url, body)
    # A team name with a control character would break the 进驻公告: refused.
    bad = client.post(round_url, {"op": "team", "name": "第二\x07巡察组"})
    assert bad.status_code == 400 and "控制字符" in bad.content.decode()
    # A form without its version is not one of ours; an unknown operation is said to be one.
    missing = client.post(round_url, {"op": "advance"})
    assert missing.status_code == 400 and "版本号" in missing.content.decode()
    assert client.post(round_url, {"op": "shred"}).status_code == 400
    assert client.post("/inspection/", {"op": "shred", "org": w.organ.pk}).status_code == 400
    assert Round.objects.get(pk=w.round.pk).stage == Stage.PREPARING


def test_a_team_member_sees_their_own_team_only(inspect_world, client, login):
    w = inspect_world
    from mofan.orgs import services as orgs
    from mofan.orgs.choices import OrgKind

    third = orgs.create_org(actor=None, parent=w.organ, kind=OrgKind.BRANCH, code="C",
                            name="第三党支部")  # fmt: skip
    second = services.add_team(w.round, actor=w.qian, name="第二巡察组")
    services.add_member(second, actor=w.qian, person=w.una_p, role="leader")
    services.add_target(w.round, actor=w.qian, org=third, team=second)
    login(w.bob)  # 第一巡察组's leader
    page = client.get(f"/inspection/rounds/{w.round.pk}/").content.decode()
    assert "第一党支部" in page and "第三党支部" not in page and "第二巡察组" not in page
    teams = client.get(f"/api/inspection-rounds/{w.round.pk}/").json()["teams"]
    assert [t["name"] for t in teams] == ["第一巡察组"]
    login(w.qian)
    teams = client.get(f"/api/inspection-rounds/{w.round.pk}/").json()["teams"]
    assert [t["name"] for t in teams] == ["第一巡察组", "第二巡察组"]


def test_a_member_who_moved_into_the_target_s_unit_stops_the_team_going_in(inspect_world, client,
                                                                          login):  # fmt: skip
    from mofan.core.errors import InvalidInput
    from mofan.inspection.models import TeamMember
    from mofan.orgs import services as orgs

    w = inspect_world
    member = services.add_member(w.team, actor=w.qian, person=w.una_p, role="member")
    una = w.una_p
    orgs.update_person(una, actor=w.carol, version=una.version, unit=w.unit_a)  # into 办公厅
    with pytest.raises(InvalidInput, match="进驻前须调整巡察组成员：周八在办公厅工作"):
        services.advance(w.round, actor=w.qian)
    login(w.qian)
    url = f"/inspection/rounds/{w.round.pk}/"
    assert client.post(url, {"op": "remove", "member": member.pk}).status_code == 302
    assert not TeamMember.objects.filter(pk=member.pk).exists()
    services.advance(w.round, actor=w.qian)
    assert client.post(url, {"op": "remove", "member": "1"}).status_code == 400  # 进驻 began


def test_every_finding_an_api_list_answers_is_audited(inspect_world, client, login):
    from mofan.audit.models import AuditEvent

    w = inspect_world
    services.advance(w.round, actor=w.qian)
    finding = services.add_finding(w.target, actor=w.qian, category="conduct", title="会风不严",
                                   facts="支部委员会会议多次无故缺席。")  # fmt: skip
    login(w.bob)
    assert client.get("/api/inspection-findings/").json()["count"] == 1
    assert AuditEvent.objects.filter(action="inspection.finding.viewed", object_id=str(finding.pk),
                                     actor_name="bob").count() == 1  # fmt: skip
