"""The daily check of what the rules make due, set-based over all members and letters:
- a letter past its validity still waiting: the receiver should return it, the sender reissue;
- a member out of contact six months: the branch should decide on 停止党籍;
- a member stopped two years: the branch should decide on 除名 (or restore them).
Flags and notices to the keepers, never a decision."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max
from django.urls import reverse

from mofan.members import rules
from mofan.members.choices import StandingKind, TransferState
from mofan.members.models import StandingChange, Transfer
from mofan.members.services import keepers_by_org
from mofan.notify import services as notify
from mofan.orgs.choices import MembershipStatus
from mofan.orgs.models import Membership, PartyOrg


@dataclass(frozen=True)
class Due:
    key: str
    org_id: int
    title: str
    body: str
    url: str


def due(today: date) -> list[Due]:
    found: list[Due] = []
    for t in Transfer.objects.filter(
        state=TransferState.PENDING, valid_until__lt=today
    ).select_related("person", "from_org", "to_org"):
        for org in (t.to_org, t.from_org):
            found.append(Due(
                f"transfer:{t.pk}:expired", org.pk,
                f"组织关系介绍信已过期：{t.person.name}",
                f"{t.from_org.name}开具的{t.person.name}组织关系介绍信（{t.letter_number}）已于"
                f"{rules.cn(t.valid_until)}过期，尚未接收。请接收党组织退回，转出党组织核实后重新开具。",
                reverse("members:transfer", args=[t.pk]),
            ))  # fmt: skip
    for status, kind, limit, step, rule in (
        (MembershipStatus.LOST_CONTACT, StandingKind.LOST, rules.may_stop_from, "停止党籍",
         rules.LOST_RULE),
        (MembershipStatus.STOPPED, StandingKind.STOPPED, rules.may_remove_from, "除名",
         rules.STOPPED_RULE),
    ):  # fmt: skip
        since = dict(
            StandingChange.objects.filter(
                kind=kind,
                person__membership__status=status,
            )
            .values("person_id")
            .annotate(latest=Max("effective_on"))
            .values_list("person_id", "latest")
        )
        ripe = {pid: day for pid, day in since.items() if limit(day) <= today}
        for m in Membership.objects.filter(person_id__in=ripe).select_related("person"):
            day = ripe[m.person_id]
            found.append(Due(
                f"standing:{m.person_id}:{kind}:{day:%Y-%m-%d}", m.org_id,
                f"党籍处理提醒：{m.person.name}应由支部党员大会讨论{step}",
                f"{m.person.name}自{rules.cn(day)}起{m.get_status_display()}，已满期限"
                f"（{rule}）。请支部了解情况，由支部党员大会讨论决定，报上级党组织批准。",
                reverse("orgs:person_detail", args=[m.person_id]),
            ))  # fmt: skip
    return found


def notify_due(today: date) -> dict:
    """One notice per finding to each keeper of the organisation it concerns."""
    found = due(today)
    orgs = PartyOrg.objects.in_bulk({d.org_id for d in found})
    told = keepers_by_org(orgs.values())
    notices = [
        notify.Notice(
            user_id=user_id,
            kind="transfer",
            title=d.title,
            body=d.body,
            url=d.url,
            dedupe_key=f"members:{d.key}:{user_id}",
        )  # fmt: skip
        for d in found
        for user_id in set(told[d.org_id])
    ]
    return {"due": len(found), "notices": notify.create(notices)}
