"""The daily check of 发展党员: every file whose next step is past its day (a talk not held within
the month, a half-year review missed, an approval past its three months, a probation ended
without its 支部大会) — one indexed query over all files — and a notice to the keepers of its
branch, once per step and due day."""

from datetime import date

from django.urls import reverse

from mofan.members.rules import cn
from mofan.members.services import keepers_by_org
from mofan.notify import services as notify
from mofan.orgs.models import PartyOrg
from mofan.recruitment import rules
from mofan.recruitment.choices import StepKind
from mofan.recruitment.models import Applicant


def overdue(today: date):
    return Applicant.objects.filter(stage__in=rules.LIVE, next_due_on__lt=today)


def notify_overdue(today: date) -> dict:
    found = list(
        overdue(today).values_list("pk", "org_id", "person__name", "next_due_kind", "next_due_on")
    )
    told = keepers_by_org(PartyOrg.objects.filter(pk__in={row[1] for row in found}))
    notices = [
        notify.Notice(
            user_id=user_id,
            kind="recruitment",
            title=f"发展党员提醒：{name}的“{StepKind(kind).label}”已逾期",
            body=f"{name}的“{StepKind(kind).label}”应于{cn(due)}前办理（{rules.SOURCE}"
            f"{rules.STEPS[kind].article}）。请及时办理并在系统中登记。",
            url=reverse("recruitment:file", args=[pk]),
            dedupe_key=f"recruitment:{pk}:{kind}:{due:%Y-%m-%d}:{user_id}",
        )  # fmt: skip
        for pk, org_id, name, kind, due in found
        for user_id in set(told[org_id])
    ]
    return {"overdue": len(found), "notices": notify.create(notices)}
