"""The daily arrears check over all members: who has gone six months in a row without paying and
without a valid reason (党章第九条) — a flag and a notice for the branch's secretary and
collector, never a decision.

Set-based: three grouped queries find, for every member in good standing, the latest month that
breaks an unpaid run (a payment, an exempt or excused month) and the month their dues start;
only the few whose run may reach six months are laid out month by month to confirm it."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Min
from django.urls import reverse

from mofan.access.models import RoleAssignment
from mofan.access.roles import Role
from mofan.dues import calc
from mofan.dues.calc import cn_month
from mofan.dues.choices import WaiverKind
from mofan.dues.models import DuesBase, DuesPayment, DuesWaiver
from mofan.dues.services import rules_in_force
from mofan.dues.statements import records_of
from mofan.notify import services as notify
from mofan.orgs.choices import MembershipStatus
from mofan.orgs.models import Membership


@dataclass(frozen=True)
class Lapse:
    person_id: int
    name: str
    org_id: int
    months: int  # unpaid in a row, ending last month
    since: date  # the run's first month


def _months_from(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def lapses(today: date) -> list[Lapse]:
    last = calc.add_months(calc.month_of(today), -1)
    paid = dict(
        DuesPayment.objects.filter(month__lte=last)
        .values("person_id")
        .annotate(latest=Max("month"))
        .values_list("person_id", "latest")
    )
    breaks = dict(
        DuesWaiver.objects.filter(
            kind__in=[WaiverKind.EXEMPT, WaiverKind.EXCUSED], first_month__lte=last
        )
        .values("person_id")
        .annotate(latest=Max("last_month"))
        .values_list("person_id", "latest")
    )
    starts = dict(
        DuesBase.objects.filter(starts_on__lte=last)
        .values("person_id")
        .annotate(first=Min("starts_on"))
        .values_list("person_id", "first")
    )
    # Candidates: a run of at least six months when every month from the latest break on counts.
    # It can only be shorter in fact (a month whose due is 0), never longer: confirmed below.
    candidates = {}
    for person_id, org_id, joined in Membership.objects.filter(
        status=MembershipStatus.NORMAL, person_id__in=list(starts)
    ).values_list("person_id", "org_id", "joined_on"):
        begin = max(starts[person_id], calc.month_of(joined))
        for latest in (paid.get(person_id), breaks.get(person_id)):
            if latest is not None and latest >= begin:
                begin = calc.add_months(min(latest, last), 1)
        if begin <= last and _months_from(begin, last) >= calc.LAPSE_MONTHS:
            candidates[person_id] = (org_id, begin)
    return _confirmed(candidates, today, last)


def _confirmed(candidates: dict, today: date, last: date) -> list[Lapse]:
    if not candidates:
        return []
    ids = list(candidates)
    since = min(begin for _, begin in candidates.values())
    bases, payments, waivers = records_of(ids, payments_since=since)
    names = dict(
        Membership.objects.filter(person_id__in=ids).values_list("person_id", "person__name")
    )
    rules_for = rules_in_force()
    found = []
    for person_id, (org_id, begin) in candidates.items():
        laid = calc.lay_out(
            calc.months_between(begin, last),
            today=today,
            bases=bases[person_id],
            payments=payments[person_id],
            waivers=waivers[person_id],
            rules_for=rules_for,
        )
        run = calc.months_unpaid_in_a_row(laid)
        if run >= calc.LAPSE_MONTHS:
            found.append(
                Lapse(person_id, names[person_id], org_id, run, calc.add_months(last, 1 - run))
            )
    return sorted(found, key=lambda lapse: (lapse.org_id, lapse.person_id))


def notify_lapses(today: date) -> dict:
    """One notice per run to each secretary and collector of the member's organisation (a run
    is noticed once: its key is the run's first month)."""
    found = lapses(today)
    recipients = defaultdict(list)
    for user_id, org_id in RoleAssignment.objects.filter(
        org_id__in={lapse.org_id for lapse in found},
        role__in=(Role.BRANCH_SECRETARY, Role.DUES_COLLECTOR),
        user__is_active=True,
    ).values_list("user_id", "org_id"):
        recipients[org_id].append(user_id)
    notices = [
        notify.Notice(
            user_id=user_id,
            kind="dues_lapse",
            title=f"党费提醒：{lapse.name}已连续{lapse.months}个月未交纳党费",
            body=(
                f"{lapse.name}自{cn_month(lapse.since)}起连续{lapse.months}个月未交纳党费，且无正当理由登记。"
                "党章第九条：党员没有正当理由，连续六个月不交纳党费，就被认为是自行脱党。"
                "请党支部了解情况、谈话提醒；确属自行脱党的，由支部大会决定除名，报上级党组织批准。"
            ),
            url=reverse("dues:member", args=[lapse.person_id]),
            dedupe_key=f"dues:lapse:{lapse.person_id}:{lapse.since:%Y-%m}:{user_id}",
        )
        for lapse in found
        for user_id in recipients.get(lapse.org_id, [])
    ]
    return {"lapses": len(found), "notices": notify.create(notices)}
