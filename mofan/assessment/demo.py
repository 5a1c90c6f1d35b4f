"""The small demo's 考核评价: 机关党委 (DEMO-P1, dangjian's) keeps this year's scheme for its
branches — record-based indicators of 组织生活, 组织设置, 谈心谈话, 发展党员 and judgements — and
a round over all its branches in self-assessment, 办公厅第一党支部 (shuji_a's) having written
one self-assessment; 督办员 duban is on the team. Its template of the 第一责任人责任清单 for
branches, and 办公厅第一党支部's list from it for 李华 (shuji_a), waiting for his signature.
A 述职评议 of its branch secretaries, the vote open with 30 slips, 12 of them cast.
Through the services; idempotent."""

from datetime import timedelta

from django.utils import timezone

from mofan.access.models import User
from mofan.assessment import services
from mofan.assessment.models import Scheme
from mofan.orgs.models import PartyOrg

INDICATORS = [
    # dimension, name, kind, points, formula, params, guidance
    ("政治建设", "第一议题和理论学习中心组学习", "judgement", "15", "", {},
     "对照第一议题制度和中心组学习计划，提供会议记录和学习材料。"),
    ("政治建设", "落实全面从严治党主体责任", "judgement", "15", "", {},
     "支部年度工作计划、责任清单和落实情况。"),
    ("组织建设", "“三会一课”等组织生活按规定开展", "record", "25", "meetings_compliance",
     {"per_miss": "2", "back_filled_counts": "0"}, "按组织生活规定到期的要求，每缺1项扣2分，补记录不计入。"),
    ("组织建设", "支部设置和按期换届", "record", "10", "org_setup", {"per_flag": "5"}, ""),
    ("组织建设", "发展党员按程序和时限办理", "record", "10", "recruitment_timely",
     {"per_overdue": "2"}, ""),
    ("思想建设", "谈心谈话全覆盖", "record", "10", "heart_to_heart", {"full_share": "100"}, ""),
    ("作风建设", "党建与业务融合", "judgement", "15", "", {}, "结合本部门重点工作的做法和成效。"),
    ("纪律建设", "违反中央八项规定精神问题", "deduction", "10", "", {}, "经查实的每起扣5分。"),
    ("制度建设", "党建工作经验被上级推广", "bonus", "5", "", {}, ""),
    ("纪律建设", "发生严重违纪违法问题", "veto", "0", "", {}, ""),
]  # fmt: skip


def seed_small() -> int:
    organ = PartyOrg.objects.filter(code="DEMO-P1").first()
    admin = User.objects.filter(username="dangjian").first()
    if organ is None or admin is None or Scheme.objects.exists():
        return 0
    today = timezone.localdate()
    scheme = services.create_scheme(
        actor=admin, org=organ, year=today.year, name="党支部党建工作考核", total="100",
        target_kinds=["branch"],
    )  # fmt: skip
    dimensions = {d.name: d for d in scheme.dimensions.all()}
    for dimension, name, kind, points, formula, params, guidance in INDICATORS:
        scheme.refresh_from_db()
        services.save_indicator(
            scheme, actor=admin, dimension=dimensions[dimension], name=name, kind=kind,
            points=points, formula=formula, params=params, guidance=guidance,
        )  # fmt: skip
    targets = PartyOrg.objects.subtree(organ).filter(kind="branch", dissolved_on__isnull=True)
    round_ = services.start_round(
        scheme, actor=admin, title=f"{today.year}年度党支部党建工作考核",
        self_due_on=today + timedelta(days=14), targets=targets,
        team=User.objects.filter(username="duban"),
    )  # fmt: skip
    shuji = User.objects.filter(username="shuji_a").first()
    mine = round_.targets.filter(org__code="DEMO-B00").first()
    if shuji is not None and mine is not None:
        duty = mine.scores.get(indicator__name="落实全面从严治党主体责任")
        services.save_self_assessment(
            duty, actor=shuji, version=duty.version,
            text="年初制定支部党建工作要点和责任清单，支部书记履行第一责任人职责，"
            "每季度研究党建工作，班子成员落实“一岗双责”。",
        )  # fmt: skip
    _duties(organ, admin, today)
    _debrief(organ, admin, today, targets)
    return round_.targets.count()


DUTIES = [
    "履行管党治党第一责任人职责，每年至少两次研究部署党建工作",
    "带头落实“三会一课”制度，每年至少讲一次党课",
    "抓好支部班子自身建设，带头开展批评和自我批评",
    "落实意识形态工作责任制，定期分析研判",
    "支持配合纪检委员履行监督责任，抓早抓小",
]


def _duties(organ, admin, today) -> None:
    from mofan.assessment import duties

    template = duties.issue_template(
        organ, actor=admin, kind="first", target_kind="branch", year=today.year, text="\n".join(DUTIES),
        title=f"{today.year}年度党支部书记抓党建第一责任人责任清单（模板）",
    )  # fmt: skip
    branch = PartyOrg.objects.filter(code="DEMO-B00").first()
    secretary = duties.holders(branch, today).filter(title="secretary").first() if branch else None
    if secretary is not None:
        duties.create_list(
            branch, actor=admin, year=today.year, kind="first", person=secretary.person,
            template=template, text="结合办公厅工作特点，抓好文电保密和值班值守中的党员先锋作用发挥",
        )  # fmt: skip


def _debrief(organ, admin, today, branches) -> None:
    import random

    from mofan.assessment import debriefs
    from mofan.assessment.choices import Mark

    debrief = debriefs.create_debrief(
        actor=admin, org=organ, year=today.year, held_on=today, voters=30,
        title=f"{today.year}年度党支部书记抓党建工作述职评议",
    )  # fmt: skip
    for branch in branches.order_by("path"):
        reporter = debriefs.reporters(branch, today).first()
        if reporter is not None:
            debriefs.add_debriefer(debrief, actor=admin, org=branch, person=reporter.person)
    if not debrief.debriefers.exists():
        return
    first = debrief.debriefers.order_by("order").first()
    debriefs.submit_report(
        first, actor=admin,
        text="一年来，我认真履行党建工作第一责任人职责，坚持把党的政治建设摆在首位，"
        "落实“第一议题”制度，按时开展“三会一课”和主题党日。存在的不足：联系党员群众还不够经常。"
        "下一步，将抓好支部标准化规范化建设。",
    )  # fmt: skip
    debrief = debriefs.open_vote(debrief, actor=admin)
    people = list(debrief.debriefers.values_list("pk", flat=True))
    rng = random.Random(2026)  # nosec B311 (demo ballots: the same every time, no secret)
    weights = {Mark.GOOD: 6, Mark.FAIR_GOOD: 3, Mark.FAIR: 1, Mark.POOR: 0, Mark.UNKNOWN: 1}
    remarks = ["希望多到基层听取党员意见", "理论学习抓得实", ""]
    for n, code in enumerate(debriefs.slip_codes(debrief)[:12]):
        debriefs.cast(
            code,
            {pk: rng.choices(list(weights), list(weights.values()))[0] for pk in people},
            {people[0]: remarks[n % len(remarks)]},
        )
    _annual(organ, admin, today)


def _annual(organ, admin, today) -> None:
    """The organ committee's annual report on 党建, drafted (sent up it waits for the committee
    above)."""
    from mofan.assessment import annual

    if PartyOrg.objects.get_parent(organ) is None:
        return
    report = annual.start_report(organ, actor=admin, year=today.year)
    annual.save_report(
        report, actor=admin, version=report.version, title=report.title,
        text=f"{today.year}年，机关党委坚持以习近平新时代中国特色社会主义思想为指导，"
        "认真落实全面从严治党主体责任……（数据见附件，由系统依据记录生成）",
    )  # fmt: skip
