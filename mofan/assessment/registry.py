"""督查检查考核 registry (统筹, 计划, 总量控制 — less burden on the grassroots): every inspection,
check or assessment aimed at lower organisations is registered by the organisation that runs it;
a higher organisation sets the year's cap per organisation below it; registering beyond a
target's cap waits for that organisation's approval, with the reason. Each organisation sees how
many it received this year, and for each one the data sheet the system can fill from its records.

Counted against a cap: what is registered within it and what was approved beyond it; an entry
waiting for approval holds its place (two registrations cannot both slip under the cap), one
refused does not count."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from mofan.assessment.choices import CheckKind, CheckState
from mofan.assessment.models import CheckCap, CheckEntry
from mofan.audit import services as audit
from mofan.core.errors import InvalidInput, StaleEdit, text_input
from mofan.orgs.models import PartyOrg

COUNTED = (CheckState.REGISTERED, CheckState.PENDING, CheckState.APPROVED)
MOST_CAP = 100


def _year(value) -> int:
    today = timezone.localdate()
    if not isinstance(value, int) or not today.year - 1 <= value <= today.year + 1:
        raise InvalidInput(f"年度须在{today.year - 1}至{today.year + 1}年之间。")
    return value


@transaction.atomic
def set_cap(org: PartyOrg, *, actor, year, cap) -> CheckCap:
    """The caller checked that the actor may assess below `org`."""
    year = _year(year)
    text = str(cap).strip()
    if not text.isdecimal() or not 1 <= int(text) <= MOST_CAP:
        raise InvalidInput(f"年度总量须为1至{MOST_CAP}之间的整数。")
    found, created = CheckCap.objects.update_or_create(
        org=org, year=year, defaults={"cap": int(text), "set_by": actor}
    )
    audit.record(actor, "assessment.check_cap.set", org,
                 payload={"year": year, "cap": int(text), "new": created})  # fmt: skip
    return found


def caps_for(targets, year: int) -> dict[int, CheckCap]:
    """For each target, the cap of the nearest organisation above it that set one for the year."""
    targets = list(targets)
    ancestors = {t.pk: [t.path[:end] for end in range(4, len(t.path), 4)] for t in targets}
    paths = {p for chain in ancestors.values() for p in chain}
    caps = {
        cap.org.path: cap
        for cap in CheckCap.objects.filter(year=year, org__path__in=paths).select_related("org")
    }
    found = {}
    for target in targets:
        for path in reversed(ancestors[target.pk]):  # the nearest first
            if path in caps:
                found[target.pk] = caps[path]
                break
    return found


def received(org_ids, year: int, *, excluding: int | None = None) -> dict[int, int]:
    """How many 督查检查考核 each organisation has received (or holds a place for) in the year."""
    through = CheckEntry.targets.through.objects.filter(
        partyorg_id__in=list(org_ids), checkentry__year=year, checkentry__state__in=COUNTED
    )
    if excluding is not None:
        through = through.exclude(checkentry_id=excluding)
    rows = through.values("partyorg_id").annotate(n=Count("checkentry_id")).order_by()
    return {row["partyorg_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class Over:
    target: PartyOrg
    received: int
    cap: CheckCap


def over_cap(targets, year: int) -> list[Over]:
    targets = list(targets)
    caps = caps_for(targets, year)
    counts = received([t.pk for t in targets], year)
    return [
        Over(t, counts.get(t.pk, 0), caps[t.pk])
        for t in targets
        if t.pk in caps and counts.get(t.pk, 0) + 1 > caps[t.pk].cap
    ]


def _dates(starts_on, ends_on, year: int) -> tuple[date, date]:
    if not isinstance(starts_on, date) or not isinstance(ends_on, date):
        raise InvalidInput("请填写开始和结束日期。")
    if ends_on < starts_on:
        raise InvalidInput("结束日期不能早于开始日期。")
    if starts_on.year != year:
        raise InvalidInput("开始日期须在所登记的年度内。")
    return starts_on, ends_on


@transaction.atomic
def register(org: PartyOrg, *, actor, year, title, kind, starts_on, ends_on, targets,
             reason: str = "") -> CheckEntry:  # fmt: skip
    """Register one 督查检查考核 of `org` over `targets` (organisations below it, checked by the
    caller through the gate). Beyond a target's cap it needs the reason and waits for approval."""
    year = _year(year)
    title = text_input(title, "名称", required=True, longest=200)
    if kind not in CheckKind.values:
        raise InvalidInput("请选择类别（督查、检查或考核）。")
    starts_on, ends_on = _dates(starts_on, ends_on, year)
    targets = list({t.pk: t for t in targets}.values())
    if not targets:
        raise InvalidInput("请选择督查检查考核的对象。")
    if any(t.pk == org.pk or not t.path.startswith(org.path) for t in targets):
        raise InvalidInput("对象须为本组织的下级组织。")
    # One registration at a time per cap: the lock keeps two from both taking the last place.
    caps = caps_for(targets, year)
    CheckCap.objects.select_for_update().filter(pk__in=[c.pk for c in caps.values()]).exists()
    over = over_cap(targets, year)
    reason = text_input(reason, "超出总量的理由", required=False, longest=2000)
    if over and not reason:
        names = "；".join(
            f"{o.target.name}今年已{o.received}次，{o.cap.org.name}规定不超过{o.cap.cap}次"
            for o in over[:5]
        )
        raise InvalidInput(f"超出年度总量：{names}。确需开展的，请填写理由报批。")
    entry = CheckEntry.objects.create(
        org=org, year=year, title=title, kind=kind, starts_on=starts_on, ends_on=ends_on,
        state=CheckState.PENDING if over else CheckState.REGISTERED,
        reason=reason if over else "", approver=over[0].cap.org if over else None,
        created_by=actor,
    )  # fmt: skip
    entry.targets.set(targets)
    audit.record(actor, "assessment.check.registered", entry, payload={
        "org": org.pk, "targets": [t.pk for t in targets], "over_cap": [o.target.pk for o in over],
    })  # fmt: skip
    if over:
        from mofan.assessment import notices

        notices.check_awaits_approval(entry)
    return entry


@transaction.atomic
def decide(entry: CheckEntry, *, actor, approve: bool, note: str) -> CheckEntry:
    """The cap's organisation approves or refuses a registration beyond it (the caller checked
    that the actor may assess below the approving organisation)."""
    locked = CheckEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.state != CheckState.PENDING:
        raise StaleEdit("该事项已审批，或无需审批。")
    note = text_input(note, "审批意见", required=not approve, longest=500)
    locked.state = CheckState.APPROVED if approve else CheckState.REFUSED
    locked.decided_by, locked.decided_at, locked.decision_note = actor, timezone.now(), note
    locked.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit.record(actor, "assessment.check.decided", locked,
                 payload={"approved": approve, "note": note})  # fmt: skip
    return locked


def year_counts(orgs, year: int) -> list[dict]:
    """For each organisation: how many it received this year, its cap, and whether it is over."""
    orgs = list(orgs)
    counts = received([o.pk for o in orgs], year)
    caps = caps_for(orgs, year)
    return [
        {"org": o, "received": counts.get(o.pk, 0),
         "cap": caps[o.pk].cap if o.pk in caps else None,
         "cap_org": caps[o.pk].org if o.pk in caps else None}
        for o in orgs
    ]  # fmt: skip


def counts_by_kind(entries) -> dict[str, int]:
    rows = entries.values("kind").annotate(n=Count("pk")).order_by()
    return {CheckKind(row["kind"]).label: row["n"] for row in rows}


# -- the data sheet ----------------------------------------------------------------------------


def data_sheet_rows(org: PartyOrg, year: int, upto: date) -> list[list]:
    """What the system already holds of an organisation for the year, as the rows of the data
    sheet an inspection asks for (no re-typing): members, 组织生活 by month, meetings held by kind,
    第一议题, 发展党员 by stage, published assessment results."""
    from mofan.assessment.choices import RoundState
    from mofan.assessment.formulas import ended_months, first_topic_meetings
    from mofan.assessment.models import Target
    from mofan.meetings.choices import MeetingKind, MeetingState
    from mofan.meetings.models import ComplianceMonth, Meeting
    from mofan.orgs.choices import MembershipKind, OrgKind
    from mofan.orgs.models import Membership
    from mofan.recruitment.choices import Stage
    from mofan.recruitment.models import Applicant

    first, last = year * 12, min(year * 12 + 11, upto.year * 12 + upto.month - 1)
    rows: list[list] = [["党组织", org.name, ""], ["类别", OrgKind(org.kind).label, ""]]
    members = (
        Membership.objects.in_subtree(org).in_good_standing()
        .values("kind").annotate(n=Count("pk")).order_by()
    )  # fmt: skip
    by_kind = {row["kind"]: row["n"] for row in members}
    rows += [
        ["党员人数", sum(by_kind.values()), "党籍正常"],
        ["其中正式党员", by_kind.get(MembershipKind.FULL, 0), ""],
        ["其中预备党员", by_kind.get(MembershipKind.PROBATIONARY, 0), ""],
    ]
    # A month's requirements fall due when it ends, as the assessment's scorers count them.
    months = ComplianceMonth.objects.filter(
        org=org, month_index__range=ended_months(year, upto)
    ).order_by("month_index")
    required = met = 0
    for month in months:
        required, met = required + month.required, met + month.met
        if month.required or month.back_filled:
            rows.append([f"组织生活：{month.month_index % 12 + 1}月", f"到期{month.required}项，完成{month.met}项",
                         f"补记录{month.back_filled}次" if month.back_filled else ""])  # fmt: skip
    rows.append(
        ["组织生活：本年合计", f"到期{required}项，完成{met}项", f"截至{upto:%Y年%m月%d日}"]
    )
    held = (
        Meeting.objects.filter(org=org, state=MeetingState.HELD, month_index__range=(first, last))
        .values("kind").annotate(n=Count("pk")).order_by("kind")
    )  # fmt: skip
    for row in held:
        rows.append([f"召开{MeetingKind(row['kind']).label}", f"{row['n']}次", ""])
    topics = (
        first_topic_meetings(year, upto)
        .filter(org=org)
        .aggregate(held=Count("pk"), opened=Count("pk", filter=Q(first_topic=True)))
    )
    if topics["held"]:
        rows.append(
            [
                "第一议题",
                f"党委（党组）会议{topics['held']}次，首个议题为第一议题{topics['opened']}次",
                "",
            ]
        )
    stages = (
        Applicant.objects.in_subtree(org).values("stage").annotate(n=Count("pk")).order_by("stage")
    )
    for row in stages:
        rows.append([f"发展党员：{Stage(row['stage']).label}", f"{row['n']}人", ""])
    for target in (
        Target.objects.filter(org=org, round__state=RoundState.PUBLISHED)
        .select_related("round").order_by("-round__published_at")[:5]
    ):  # fmt: skip
        rows.append([f"考核结果：{target.round.title}", f"{target.total.normalize():f}分",
                     "差（一票否决）" if target.vetoed else target.get_grade_display()])  # fmt: skip
    return rows


def data_sheet(entry: CheckEntry, org: PartyOrg, upto: date) -> tuple[str, int]:
    from mofan.core.excel import write_table

    rows = data_sheet_rows(org, entry.year, upto)
    return write_table(f"{org.name}{entry.year}年数据表（{entry.title}）", ["项目", "数据", "说明"],
                       rows, widths=[26, 50, 26])  # fmt: skip
