"""Reminders before a period ends: the secretaries (and org admins placed on the organisation
itself) of every organisation that has not yet held what the rules require this month, quarter or
year hear of it 10, 5 and 1 working days before the period ends. Found by the compliance engine in
one query per tree; each notice has a dedupe key, so running the job twice sends nothing twice."""

from datetime import date

from django.urls import reverse

from mofan.access.models import RoleAssignment
from mofan.access.roles import Role
from mofan.ledger import workdays
from mofan.meetings import compliance
from mofan.meetings.choices import MeetingKind
from mofan.meetings.models import MeetingRule
from mofan.notify import services as notify
from mofan.orgs.models import PartyOrg

REMIND_AT = (10, 5, 1)  # working days before the period ends


def period_reminders(today: date) -> dict:
    found = []
    for root in PartyOrg.objects.filter(depth=1):
        found += compliance.gaps(root, today)
    left = {}
    for _org, due, *_ in found:
        if due not in left:
            left[due] = workdays.workdays_between(today, compliance.month_bounds(due)[1])
    due_now = [row for row in found if left[row[1]] in REMIND_AT]
    if not due_now:
        return {"gaps": len(found), "notices": 0}
    rules = MeetingRule.objects.in_bulk({row[2] for row in due_now})
    orgs = PartyOrg.objects.in_bulk({row[0] for row in due_now})
    recipients: dict[int, list[int]] = {}
    for user_id, org_id in RoleAssignment.objects.filter(
        org_id__in=orgs, role__in=(Role.BRANCH_SECRETARY, Role.ORG_ADMIN), user__is_active=True
    ).values_list("user_id", "org_id"):
        recipients.setdefault(org_id, []).append(user_id)
    notices = []
    for org_id, due, rule_id, held, required in due_now:
        org, rule = orgs[org_id], rules[rule_id]
        span = compliance.SPANS[rule.period]
        what = "书记讲党课" if rule.by_secretary else MeetingKind(rule.kind).label
        title = f"组织生活提醒：{org.display_name}{compliance.PERIOD_WORDS[span]}尚未召开{what}"
        body = (
            f"{compliance.PERIOD_WORDS[span]}应召开{what}至少{required}次，已召开{held}次，"
            f"距{compliance.PERIOD_ENDS[span]}还有{left[due]}个工作日。依据：{rule.article}"
        )
        for user_id in recipients.get(org_id, []):
            notices.append(
                notify.Notice(
                    user_id=user_id,
                    kind="meeting_gap",
                    title=title,
                    body=body,
                    url=reverse("meetings:org", args=[org_id]),
                    dedupe_key=f"meetings:gap:{org_id}:{rule_id}:{due}:{left[due]}:{user_id}",
                )
            )
    return {"gaps": len(found), "notices": notify.create(notices)}
