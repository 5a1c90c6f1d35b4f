"""发展党员 on the compliance heat map (meetings.compliance.OVERLAYS): each live file's next step
falls due in a month of its branch — a talk within the month of the application, a half-year
review, an approval within three months, the 转正 meeting after the probation. A month is marked
while a step due in it is still not done; its detail lists the steps due that month. Only files
the user keeps (Action.RECRUIT) are counted: a member looking at their branch's heat map reads
nothing of the applicants."""

from datetime import date

from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.urls import reverse

from mofan.access.scoping import Action
from mofan.members.rules import cn
from mofan.recruitment import rules
from mofan.recruitment.choices import StepKind
from mofan.recruitment.models import Applicant

NAME = "发展党员"


def _live(user):
    return Applicant.objects.restrict(user, Action.RECRUIT).filter(stage__in=rules.LIVE)


def overdue(user, org_ids, year: int, today: date) -> dict:
    rows = (
        _live(user)
        .filter(org_id__in=org_ids, next_due_on__year=year, next_due_on__lt=today)
        .annotate(month=ExtractMonth("next_due_on"))
        .values("org_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["org_id"], row["month"]): row["n"] for row in rows}


def in_month(user, org, year: int, month: int, today: date) -> list[dict]:
    files = (
        _live(user)
        .filter(org=org, next_due_on__year=year, next_due_on__month=month)
        .select_related("person")
        .order_by("next_due_on", "pk")
    )
    return [
        {
            "title": f"{f.person.name}：{StepKind(f.next_due_kind).label}",
            "url": reverse("recruitment:file", args=[f.pk]),
            "note": (
                f"应于{cn(f.next_due_on)}前办理" + ("，已逾期" if f.next_due_on < today else "")
            ),
            "overdue": f.next_due_on < today,
        }
        for f in files
    ]
