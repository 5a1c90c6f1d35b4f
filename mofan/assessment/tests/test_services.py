"""考核评价 by its rules: a scheme adds up before a round starts on it and is frozen by it; the
record-based scores come from the records with the counts they used, set-based and idempotent;
the team's scores, deductions, bonuses and veto need their reasons and evidence; totals, grades
and ranks follow; bad input changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mofan.assessment import formulas, services
from mofan.assessment.models import Score, Target
from mofan.assessment.tests.conftest import build_scheme
from mofan.core.errors import InvalidInput, StaleEdit

pytestmark = pytest.mark.django_db


def _start(w, s, targets=None):
    return services.start_round(
        s.scheme, actor=w.carol, title="2026年度党支部党建工作考核", self_due_on=date(2026, 12, 10),
        targets=targets or [w.branch_a, w.branch_b], team=[w.sam],
    )  # fmt: skip


def _score(target, indicator):
    return Score.objects.get(target=target, indicator=indicator)


def test_a_scheme_must_add_up_and_measure_no_use_of_the_app(assess_world):
    w = assess_world
    s = build_scheme(w, w.carol)
    s.scheme.refresh_from_db()
    with pytest.raises(InvalidInput, match="不得将政务应用程序的登录、使用时长"):
        services.save_indicator(s.scheme, actor=w.carol, dimension=s.duty.dimension,
                                name="党员学习平台积分排名", kind="judgement", points="5")  # fmt: skip
    with pytest.raises(InvalidInput, match="参数“每缺1项扣分”须在0.1至100之间"):
        services.save_indicator(s.scheme, actor=w.carol, dimension=s.duty.dimension, name="组织生活",
                                kind="record", points="5", formula="meetings_compliance",
                                params={"per_miss": "0"})  # fmt: skip
    with pytest.raises(InvalidInput, match="分值须在0至100之间"):
        services.save_indicator(s.scheme, actor=w.carol, dimension=s.duty.dimension,
                                name="其他", kind="judgement", points="120")  # fmt: skip
    assert s.scheme.indicators.count() == 7
    # 30 + 20 + 10 + 40 = 100: it adds up. Take 10 off the judgement and it does not.
    assert services.problems_of(s.scheme) == []
    s.scheme.refresh_from_db()
    services.save_indicator(s.scheme, actor=w.carol, dimension=s.duty.dimension, name=s.duty.name,
                            kind="judgement", points="30", indicator=s.duty)  # fmt: skip
    assert services.problems_of(s.scheme) == [
        "基本指标（自动计分和评审计分）合计90分，与总分100分不符。"
    ]
    with pytest.raises(InvalidInput, match="合计90分，与总分100分不符"):
        _start(w, s)
    assert not Target.objects.exists()


def test_starting_a_round_freezes_the_scheme_and_a_copy_is_a_new_draft(assess_world):
    w = assess_world
    s = build_scheme(w, w.carol)
    round_ = _start(w, s)
    s.scheme.refresh_from_db()
    assert s.scheme.frozen_at is not None
    with pytest.raises(InvalidInput, match="已启用考核，不能再修改"):
        services.save_indicator(s.scheme, actor=w.carol, dimension=s.duty.dimension, name="新指标",
                                kind="judgement", points="1")  # fmt: skip
    with pytest.raises(InvalidInput, match="已启用考核"):
        services.delete_indicator(s.bonus, actor=w.carol)
    copy = services.copy_scheme(s.scheme, actor=w.carol, year=2027)
    assert (copy.year, copy.frozen_at, copy.copied_from_id) == (2027, None, s.scheme.pk)
    assert [(i.name, i.points, i.formula, i.params) for i in copy.indicators.all()] == [
        (i.name, i.points, i.formula, i.params) for i in s.scheme.indicators.all()
    ]
    assert services.problems_of(copy) == []
    # The round keeps its own scheme.
    assert round_.scheme_id == s.scheme.pk


def test_record_scores_come_from_the_records_with_their_counts(assess_world):
    from mofan.meetings.models import ComplianceMonth

    w = assess_world
    s = build_scheme(w, w.carol)
    round_ = _start(w, s)
    a = Target.objects.get(round=round_, org=w.branch_a)
    b = Target.objects.get(round=round_, org=w.branch_b)
    # 组织设置: branch A has two full members (张三, 李四): fewer than three, 10 off.
    setup = _score(a, s.setup)
    assert setup.points == Decimal("10.00")
    assert setup.detail == {
        "flags": ["正式党员 2 人，不足 3 人，不符合成立党支部条件"],
        "full_members": 2,
    }
    assert _score(b, s.setup).points == Decimal("20.00")
    # 谈心谈话: one of branch A's two members talked with (50 %); none in branch B.
    talks = _score(a, s.talks)
    assert (talks.points, talks.detail) == (Decimal("5.00"), {"members": 2, "talked": 1})
    assert "党员2人，本年参加谈心谈话1人（50.0%）" in talks.explanation
    assert _score(b, s.talks).points == Decimal("0.00")
    # 组织生活: the compliance engine's kept months, January to October (November's requirements
    # fall due at its end, after 20 November) — nothing was held.
    kept = ComplianceMonth.objects.filter(
        org=w.branch_a, month_index__range=(2026 * 12, 2026 * 12 + 9)
    )
    required = sum(m.required for m in kept)
    met = sum(m.met for m in kept)
    compliance = _score(a, s.compliance)
    assert required > 0 and met == 0
    assert compliance.detail == {"required": required, "met": met, "back_filled": 0}
    assert compliance.points == max(Decimal(0), Decimal(30) - 2 * required)
    assert round_.__class__.objects.get(pk=round_.pk).computed_upto == date(2026, 11, 20)


def test_computing_twice_gives_the_same_rows_and_queries_do_not_grow(assess_world):
    from mofan.orgs import services as orgs

    w = assess_world
    s = build_scheme(w, w.carol)
    round_ = _start(w, s)
    before = sorted(Score.objects.filter(target__round=round_).values_list(
        "target__org_id", "indicator_id", "points"))  # fmt: skip
    with CaptureQueriesContext(connection) as two:
        services.compute_round(round_, actor=w.carol)
    after = sorted(Score.objects.filter(target__round=round_).values_list(
        "target__org_id", "indicator_id", "points"))  # fmt: skip
    assert before == after
    from mofan.audit.models import AuditEvent

    last = AuditEvent.objects.filter(action="assessment.round.computed").order_by("-pk")
    assert last.first().payload["changed"] == 0  # nothing moved: nothing written
    # 李四 talked with too: one figure moves, one row is written.
    from mofan.meetings.models import Attendance

    Attendance.objects.create(meeting=w.talk, person=w.amy_p, status="present")
    services.compute_round(round_, actor=w.carol)
    assert last.first().payload["changed"] == 1
    a = Target.objects.get(round=round_, org=w.branch_a)
    assert Score.objects.get(target=a, indicator=s.talks).points == Decimal("10.00")
    more = [orgs.create_org(actor=None, parent=w.organ, kind="branch", code=f"X{n}",
                            name=f"新设第{n}党支部") for n in range(8)]  # fmt: skip
    bigger = _start(w, s, targets=[w.branch_a, w.branch_b, *more])
    with CaptureQueriesContext(connection) as ten:
        services.compute_round(bigger, actor=w.carol)
    assert len(ten) == len(two)
    assert Target.objects.filter(round=bigger).count() == 10


def _to_scoring(w, s):
    round_ = _start(w, s)
    a = Target.objects.get(round=round_, org=w.branch_a)
    duty = _score(a, s.duty)
    services.save_self_assessment(duty, actor=w.alice, text="全年召开党支部会议研究部署……",
                                  version=duty.version)  # fmt: skip
    services.submit_self_assessment(a, actor=w.alice)
    services.start_scoring(round_, actor=w.carol)
    return round_, a, Target.objects.get(round=round_, org=w.branch_b)


def test_the_team_scores_with_reasons_and_evidence_and_the_totals_follow(assess_world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    w = assess_world
    s = build_scheme(w, w.carol)
    round_, a, b = _to_scoring(w, s)
    duty = _score(a, s.duty)
    with pytest.raises(InvalidInput, match="得分须在0至40之间"):
        services.score_indicator(duty, actor=w.sam, points="41", version=duty.version)
    with pytest.raises(StaleEdit):
        services.score_indicator(duty, actor=w.sam, points="35", version=duty.version - 1)
    services.score_indicator(duty, actor=w.sam, points="35", comment="责任落实到位",
                             version=duty.version)  # fmt: skip
    deduction = _score(a, s.deduction)
    with pytest.raises(InvalidInput, match="须写明理由"):
        services.score_indicator(deduction, actor=w.sam, points="3")
    with pytest.raises(InvalidInput, match="须先上传或关联佐证材料"):
        services.score_indicator(deduction, actor=w.sam, points="3", comment="公车私用一次")
    services.add_evidence(deduction, actor=w.sam, by_team=True,
                          upload=SimpleUploadedFile("通报.pdf", b"%PDF-1.4 test"))  # fmt: skip
    services.score_indicator(deduction, actor=w.sam, points="3", comment="公车私用一次")
    bonus = _score(a, s.bonus)
    services.add_evidence(bonus, actor=w.sam, by_team=True, record=w.talk)
    services.score_indicator(bonus, actor=w.sam, points="5", comment="谈心谈话经验被推广")
    a.refresh_from_db()
    records = sum(_score(a, i).points for i in (s.compliance, s.setup, s.talks))
    assert (a.base, a.deducted, a.added) == (records + 35, Decimal(3), Decimal(5))
    assert a.total == records + 35 - 3 + 5
    with pytest.raises(InvalidInput, match="还有1个组织的评审计分指标尚未评分"):
        services.publish(round_, actor=w.carol)
    services.score_indicator(_score(b, s.duty), actor=w.sam, points="40")
    veto = _score(b, s.veto)
    services.add_evidence(veto, actor=w.sam, by_team=True, record=w.talk)
    services.score_indicator(veto, actor=w.sam, vetoed=True, comment="支部书记严重违纪")
    services.publish(round_, actor=w.carol)
    a.refresh_from_db()
    b.refresh_from_db()
    # B's veto makes it 差 and ranks it last among the branches, whatever its total.
    assert (b.vetoed, b.grade, b.rank, b.peers) == (True, "poor", 2, 2)
    assert (a.rank, a.peers) == (1, 2)
    with pytest.raises(InvalidInput, match="已公布"):
        services.compute_round(round_)
    with pytest.raises(InvalidInput, match="已公布"):
        services.add_evidence(duty, actor=w.sam, by_team=True, record=w.talk)


def test_self_assessment_only_in_its_stage_and_before_its_day(assess_world, time_machine):
    w = assess_world
    s = build_scheme(w, w.carol)
    round_ = _start(w, s)
    a = Target.objects.get(round=round_, org=w.branch_a)
    with pytest.raises(InvalidInput, match="无需自评"):
        services.save_self_assessment(_score(a, s.compliance), actor=w.alice, text="x")
    with pytest.raises(InvalidInput, match="以下指标尚未自评：落实全面从严治党主体责任"):
        services.submit_self_assessment(a, actor=w.alice)
    time_machine.move_to(date(2026, 12, 11), tick=False)
    with pytest.raises(InvalidInput, match="自评已于2026年12月10日截止"):
        services.save_self_assessment(_score(a, s.duty), actor=w.alice, text="迟交的自评")
    assert _score(a, s.duty).self_text == ""


@pytest.mark.parametrize(
    ("detail", "params", "points", "expected"),
    [
        ({"required": 10, "met": 7, "back_filled": 2}, {"per_miss": 2, "back_filled_counts": 1},
         30, "24.00"),
        ({"required": 10, "met": 7, "back_filled": 2}, {"per_miss": 2, "back_filled_counts": 0},
         30, "20.00"),
        ({"required": 40, "met": 0, "back_filled": 0}, {"per_miss": 1, "back_filled_counts": 1},
         30, "0.00"),
        ({"required": 0, "met": 0, "back_filled": 0}, {"per_miss": 1, "back_filled_counts": 1},
         30, "30.00"),
    ],
)  # fmt: skip
def test_the_compliance_formula(detail, params, points, expected):
    formula = formulas.FORMULAS["meetings_compliance"]
    params = {k: Decimal(v) for k, v in params.items()}
    assert formula.score(detail, params, Decimal(points))[0] == Decimal(expected)


def test_the_first_topic_and_talk_formulas():
    first = formulas.FORMULAS["first_topic"]
    got, words = first.score({"held": 10, "opened": 8}, {"per_miss": Decimal("1.5"),
                             "minimum": Decimal(12)}, Decimal(10))  # fmt: skip
    # Two without the first topic, two short of twelve: four misses at 1.5.
    assert got == Decimal("4.00") and "全年应不少于12次" in words
    talk = formulas.FORMULAS["heart_to_heart"]
    assert talk.score({"members": 10, "talked": 8}, {"full_share": Decimal(80)},
                      Decimal(10))[0] == Decimal("10.00")  # fmt: skip
    assert talk.score({"members": 10, "talked": 4}, {"full_share": Decimal(80)},
                      Decimal(10))[0] == Decimal("5.00")  # fmt: skip


def test_subtree_counts_reach_every_ancestor_that_is_a_target():
    targets = {"0001": 1, "00010002": 2, "00010003": 3}
    counts = formulas.subtree_counts(["000100020001", "00010002", "00010003", "0002"], targets)
    assert counts == {1: 3, 2: 2, 3: 1}
