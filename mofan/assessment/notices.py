"""The notices of 考核评价, to those who keep each assessed organisation (its secretary and the
org admins between it and the assessing organisation — not those who assess it, who run the
round): the round has started and the self-assessment is due; the due day is near and it is not
submitted; the results are published with the organisation's own total and grade."""

from datetime import date, timedelta

from django.urls import reverse

from mofan.assessment.choices import RoundState
from mofan.assessment.models import Round
from mofan.core.markup import quoted
from mofan.members.rules import cn
from mofan.members.services import keepers_by_org
from mofan.notify import services as notify

REMIND_DAYS = 3  # before the self-assessment's last day


def _recipients(round_: Round, targets) -> dict[int, list[int]]:
    orgs = [t.org for t in targets]
    kept = keepers_by_org([*orgs, round_.scheme.org])
    assessors = set(kept.get(round_.scheme.org_id, []))
    return {org.pk: [u for u in kept.get(org.pk, []) if u not in assessors] for org in orgs}


def _send(round_: Round, targets, what: str, title, body) -> int:
    told = _recipients(round_, targets)
    return notify.create(
        notify.Notice(
            user_id=user_id,
            kind="assessment",
            title=title(t),
            body=body(t),
            url=reverse("assessment:target", args=[t.pk]),
            dedupe_key=f"assessment:{round_.pk}:{t.pk}:{what}:{user_id}",
        )  # fmt: skip
        for t in targets
        for user_id in told[t.org_id]
    )


def round_started(round_: Round) -> int:
    targets = list(round_.targets.select_related("org"))
    return _send(
        round_, targets, "started",
        lambda t: f"考核评价：{round_.title}开始自评",
        lambda t: f"{round_.scheme.org.name}组织的{round_.title}已开始。请于{cn(round_.self_due_on)}前"
        f"完成{t.org.name}的自评并提交；按记录自动计分的指标可随时查看及其依据。",
    )  # fmt: skip


def round_published(round_: Round) -> int:
    targets = list(round_.targets.select_related("org"))
    return _send(
        round_, targets, "published",
        lambda t: f"考核评价：{round_.title}结果已公布",
        lambda t: f"{t.org.name}总分{t.total.normalize():f}分，等次：{t.get_grade_display()}"
        f"（同类组织第{t.rank}名，共{t.peers}个）。",
    )  # fmt: skip


def self_closed(round_: Round) -> int:
    """The self-assessment is over: the earlier reminder no longer stands."""
    targets = list(round_.targets.select_related("org"))
    return _send(
        round_, targets, "self_closed",
        lambda t: f"考核评价：{round_.title}自评已结束",
        lambda t: f"{round_.scheme.org.name}已结束{round_.title}的自评，进入评审；"
        f"{t.org.name}的自评{'已提交' if t.self_done_at else '未提交，已不能修改'}。",
    )  # fmt: skip


def score_corrected(correction) -> int:
    score = correction.score
    target, round_ = score.target, score.target.round
    return _send(
        round_, [target], f"corrected:{correction.pk}",
        lambda t: f"考核评价：{round_.title}结果更正",
        lambda t: f"{t.org.name}的{quoted(score.indicator.name)}已更正，总分"
        f"{correction.total_before.normalize():f}分更正为{correction.total_after.normalize():f}分，"
        f"等次：{t.get_grade_display() or '待定'}。更正理由：{correction.reason}",
    )  # fmt: skip


def remind_self(today: date) -> int:
    """Rounds in self-assessment whose last day is within REMIND_DAYS: the organisations that
    have not submitted, once per round and day."""
    sent = 0
    for round_ in Round.objects.filter(
        state=RoundState.SELF, self_due_on__range=(today, today + timedelta(days=REMIND_DAYS))
    ).select_related("scheme__org"):
        targets = list(round_.targets.filter(self_done_at__isnull=True).select_related("org"))
        sent += _send(
            round_, targets, f"remind:{today:%Y-%m-%d}",
            lambda t, r=round_: f"考核评价：{r.title}自评将于{cn(r.self_due_on)}截止",
            lambda t, r=round_: f"{t.org.name}尚未提交自评，请于{cn(r.self_due_on)}前完成。",
        )  # fmt: skip
    return sent


def debrief_published(debrief) -> int:
    """Each one who reported hears their own result (the person, through their account)."""
    from mofan.access.models import User
    from mofan.assessment import debriefs

    lines = debriefs.tally(debrief)
    users = dict(
        User.objects.filter(person_id__in=[line.debriefer.person_id for line in lines], is_active=True)
        .values_list("person_id", "pk")
    )  # fmt: skip
    return notify.create(
        notify.Notice(
            user_id=users[line.debriefer.person_id],
            kind="assessment",
            title=f"述职评议：{debrief.title}结果已公布",
            body=f"您的述职评议结果：{line.grade_label}"
            + (
                f"（综合得分{line.composite.normalize():f}，好和较好占{line.approval.normalize():f}%）"
                if line.composite is not None
                else "（无有效评议）"
            ),
            url=reverse("assessment:debrief", args=[debrief.pk]),
            dedupe_key=f"debrief:{debrief.pk}:{line.debriefer.pk}",
        )  # fmt: skip
        for line in lines
        if line.debriefer.person_id in users
    )


def check_awaits_approval(entry) -> int:
    """The admins of the organisation whose cap a registration goes beyond are asked to decide."""
    kept = keepers_by_org([entry.approver])
    return notify.create(
        notify.Notice(
            user_id=user_id,
            kind="assessment",
            title=f"督查检查考核超出年度总量待审批：{entry.title}",
            body=f"{entry.org.name}登记的“{entry.title}”超出{entry.approver.name}规定的年度总量，"
            f"理由：{entry.reason[:200]}",
            url=reverse("assessment:check", args=[entry.pk]),
            dedupe_key=f"check:{entry.pk}:pending:{user_id}",
        )  # fmt: skip
        for user_id in kept.get(entry.approver_id, [])
    )


def _tell(org, *, title: str, body: str, url: str, key: str) -> int:
    kept = keepers_by_org([org])
    return notify.create(
        notify.Notice(
            user_id=user_id,
            kind="assessment",
            title=title,
            body=body,
            url=url,
            dedupe_key=f"{key}:{user_id}",
        )  # fmt: skip
        for user_id in kept.get(org.pk, [])
    )


def annual_report_moved(report) -> int:
    """Sent up: the organisation above is asked to read it; reviewed: the reporting
    organisation hears the outcome with the comments."""
    from mofan.assessment.choices import ReportState

    url = reverse("assessment:annual", args=[report.pk])
    if report.state == ReportState.SUBMITTED:
        return _tell(report.to_org, title=f"年度党建工作报告待审阅：{report.title}",
                     body=f"{report.org.name}已报送{report.year}年度党建工作报告。", url=url,
                     key=f"annual:{report.pk}:v{report.version}:sent")  # fmt: skip
    return _tell(report.org, title=f"年度党建工作报告{report.get_state_display()}：{report.title}",
                 body=f"{report.to_org.name}的审阅意见：{report.review[:200] or '无'}", url=url,
                 key=f"annual:{report.pk}:v{report.version}:{report.state}")  # fmt: skip


def _to_candidates(award, what: str, title: str, body) -> int:
    """One notice per keeper of each recommended organisation (read at once) — not those who
    run the evaluation, as with a round's notices."""
    candidates = list(award.candidates.select_related("org"))
    kept = keepers_by_org([*(c.org for c in candidates), award.org])
    runners = set(kept.get(award.org_id, []))
    url = reverse("assessment:award", args=[award.pk])
    return notify.create(
        notify.Notice(
            user_id=user_id,
            kind="assessment",
            title=title,
            body=body(c),
            url=url,
            dedupe_key=f"award:{award.pk}:{c.pk}:{what}:{user_id}",
        )  # fmt: skip
        for c in candidates
        for user_id in kept.get(c.org_id, [])
        if user_id not in runners
    )


def award_opened(award) -> int:
    """Each recommended organisation is invited to apply by the deadline."""
    return _to_candidates(
        award, "open", f"创建评选：{award.title}",
        lambda c: f"{c.org.name}依据{award.round.title}结果列入推荐名单，请于"
        f"{cn(award.apply_due_on)}前提交申报材料。",
    )  # fmt: skip


def award_published(award) -> int:
    from mofan.assessment.choices import Decision

    return _to_candidates(
        award, "published", f"创建评选结果已公布：{award.title}",
        lambda c: f"{c.org.name}"
        + ("评审通过，列入公布名单。" if c.decision == Decision.APPROVED else "未列入公布名单。")
        + c.decision_note[:200],
    )  # fmt: skip
