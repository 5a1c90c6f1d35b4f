"""个人有关事项报告, without HTTP: an organisation's yearly round (who must report — the ranks it
sets — and the day, 31 January of the next year), each cadre's report as structured items,
reminders and the late list, the random draw (随机抽查) kept reproducible — the seed and the
sorted roster are recorded, so the draw can be redone by anyone who may read it — and the key
checks (重点查核) before a promotion, each ending 如实报告, 漏报 or 瞒报 with its handling."""

import hashlib
import json
import random
import secrets
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mofan.audit import services as audit
from mofan.core.errors import InvalidInput, StaleEdit, check_version, text_input
from mofan.discipline.choices import REPORT_ITEMS, CheckKind, CheckOutcome
from mofan.discipline.models import Check, Draw, PersonalReport, ReportRound
from mofan.discipline.services import is_officer
from mofan.members.rules import cn
from mofan.notify import services as notify
from mofan.orgs.models import Person

ITEM_KEYS = [key for key, _ in REPORT_ITEMS]
LONGEST_ITEM = 5000


def _today() -> date:
    return timezone.localdate()


def roster(org, ranks) -> list[Person]:
    """Who must report: the people working in the organisation's unit or below whose rank is
    one of `ranks`."""
    if org.unit_id is None:
        return []
    from mofan.orgs.models import Unit

    units = Unit.objects.subtree(org.unit).values("pk")
    return list(Person.objects.filter(unit_id__in=units, rank__in=ranks).order_by("pk"))


@transaction.atomic
def open_round(org, *, actor, year, ranks) -> ReportRound:
    """The year's round: a report (empty) for each who must report, due 31 January of the next
    year; each is told."""
    if not is_officer(actor, org.pk):
        raise InvalidInput("只有本组织的纪检干部可以组织个人有关事项报告。")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidInput("报告年度须为2000至2100之间的年份。")
    ranks = sorted({text_input(r, "职级", required=True, longest=30) for r in ranks or []})
    if not ranks:
        raise InvalidInput("请选择须报告的职级。")
    if org.unit_id is None:
        raise InvalidInput("该组织未关联单位，无法确定报告人范围。")
    if ReportRound.objects.filter(org=org, year=year).exists():
        raise InvalidInput(f"{org.name}已组织{year}年度的个人有关事项报告。")
    round_ = ReportRound.objects.create(org=org, year=year, ranks=ranks,
                                        due_on=date(year + 1, 1, 31), created_by=actor)  # fmt: skip
    people = roster(org, ranks)
    PersonalReport.objects.bulk_create(PersonalReport(round=round_, person=p) for p in people)
    audit.record(actor, "discipline.report_round.opened", round_,
                 payload={"year": year, "ranks": ranks, "reporters": len(people)})  # fmt: skip
    transaction.on_commit(lambda: _tell_all(round_, "opened"))
    return round_


def _tell_all(round_: ReportRound, key: str, *, pending_only=False) -> int:
    from mofan.access.models import User

    reports = round_.reports.all()
    if pending_only:
        reports = reports.filter(submitted_at__isnull=True)
    users = dict(User.objects.filter(person_id__in=reports.values("person_id"), is_active=True)
                 .values_list("person_id", "pk"))  # fmt: skip
    late = (_today() - round_.due_on).days
    when = f"已逾期{late}天" if late > 0 else f"请于{cn(round_.due_on)}前报送"
    return notify.create(
        notify.Notice(
            user_id=uid,
            kind="discipline",
            title=f"个人有关事项：{round_.year}年度报告{when}",
            body=f"{round_.org.name}组织{round_.year}年度个人有关事项报告，{when}。",
            url=reverse("discipline:my_report", args=[round_.pk]),
            dedupe_key=f"discipline:reports:{round_.pk}:{key}:{uid}",
        )  # fmt: skip
        for uid in users.values()
    )


def remind(today: date | None = None) -> int:
    """Open rounds within a week of their day or late: those who have not reported, once a day."""
    today = today or _today()
    sent = 0
    for round_ in ReportRound.objects.filter(closed_at__isnull=True).select_related("org"):
        if (round_.due_on - today).days <= 7:
            sent += _tell_all(round_, f"remind:{today:%Y-%m-%d}", pending_only=True)
    return sent


def clean_items(items) -> dict:
    if not isinstance(items, dict):
        raise InvalidInput("报告事项格式不正确。")
    unknown = set(items) - set(ITEM_KEYS)
    if unknown:
        raise InvalidInput("报告事项不认识：" + "、".join(sorted(map(str, unknown))[:5]))
    labels = dict(REPORT_ITEMS)
    cleaned = {}
    for key in ITEM_KEYS:
        value = text_input(items.get(key, ""), labels[key], required=True, longest=LONGEST_ITEM)
        cleaned[key] = value
    return cleaned


@transaction.atomic
def submit(report: PersonalReport, *, actor, items, version=None) -> PersonalReport:
    """The cadre's report: every item answered (无 where there is nothing to report); a later
    submission revises it while the round is open. Refused once the round has closed."""
    check_version(version)
    locked = PersonalReport.objects.select_for_update().select_related("round").get(pk=report.pk)
    if version is not None and str(version) != str(locked.version):
        raise StaleEdit()
    if locked.round.closed_at is not None:
        raise InvalidInput(f"{locked.round.year}年度个人有关事项报告已结束，不能再报送或修改。")
    locked.items = json.dumps(clean_items(items), ensure_ascii=False)
    locked.submitted_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["items", "submitted_at", "version"])
    late = (_today() - locked.round.due_on).days
    audit.record(actor, "discipline.report.submitted", locked, payload={"late_days": max(late, 0)})
    return locked


def items_of(report: PersonalReport) -> list[tuple[str, str]]:
    found = json.loads(report.items) if report.items else {}
    return [(label, found.get(key, "")) for key, label in REPORT_ITEMS]


def late(round_: ReportRound, today: date | None = None):
    """The reports not submitted after the day (the late list)."""
    today = today or _today()
    if today <= round_.due_on:
        return round_.reports.none()
    return round_.reports.filter(submitted_at__isnull=True).select_related("person__unit")


@transaction.atomic
def close_round(round_: ReportRound, *, actor) -> ReportRound:
    locked = ReportRound.objects.select_for_update().get(pk=round_.pk)
    if locked.closed_at is not None:
        raise InvalidInput("该年度报告已经结束。")
    locked.closed_at = timezone.now()
    locked.save(update_fields=["closed_at"])
    audit.record(actor, "discipline.report_round.closed", locked,
                 payload={"pending": locked.reports.filter(submitted_at__isnull=True).count()})  # fmt: skip
    return locked


def drawn(seed: str, roster_ids: list[int], share: int) -> list[int]:
    """The reproducible draw: `share` % of the sorted roster (at least one), chosen by Python's
    Mersenne Twister seeded with the SHA-256 of the seed — the same seed and roster give the
    same list on any machine and version of Python 3."""
    ids = sorted(roster_ids)
    count = max(1, round(len(ids) * share / 100)) if ids else 0
    # nosec B311: the draw must be redone by anyone from the recorded seed, so it is a seeded
    # generator by design; the seed itself comes from `secrets` when none is given.
    rng = random.Random(int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big"))  # nosec B311
    return sorted(rng.sample(ids, count))


@transaction.atomic
def draw(round_: ReportRound, *, actor, share, seed="") -> Draw:
    """随机抽查 of the submitted reports not yet checked this year. The seed is random unless
    given (e.g. drawn in a meeting); it and the roster are kept with the result."""
    if not isinstance(share, int) or not 1 <= share <= 100:
        raise InvalidInput("抽查比例须为1%至100%。")
    seed = text_input(seed, "随机种子", required=False, longest=64) or secrets.token_hex(16)
    ids = list(
        round_.reports.filter(submitted_at__isnull=False)
        .exclude(checks__kind=CheckKind.RANDOM).values_list("pk", flat=True)
    )  # fmt: skip
    if not ids:
        raise InvalidInput("没有可抽查的已报送报告。")
    chosen = drawn(seed, ids, share)
    record = Draw.objects.create(round=round_, share=share, seed=seed, roster=sorted(ids),
                                 drawn=chosen, created_by=actor)  # fmt: skip
    Check.objects.bulk_create(
        Check(report_id=pk, kind=CheckKind.RANDOM, draw=record, created_by=actor) for pk in chosen
    )
    audit.record(actor, "discipline.reports.drawn", round_,
                 payload={"draw": record.pk, "seed": seed, "share": share, "drawn": chosen})  # fmt: skip
    return record


def redo(record: Draw) -> bool:
    """Whether drawing again from the kept seed and roster gives the kept list."""
    return drawn(record.seed, record.roster, record.share) == record.drawn


@transaction.atomic
def key_check(report: PersonalReport, *, actor, reason) -> Check:
    """重点查核 of one report (before a promotion, say)."""
    report = PersonalReport.objects.select_for_update().get(pk=report.pk)
    if report.submitted_at is None:
        raise InvalidInput("该报告尚未报送，不能查核。")
    check = Check.objects.create(report=report, kind=CheckKind.KEY, created_by=actor,
                                 reason=text_input(reason, "查核事由", required=True, longest=200,
                                                   shortest=2))  # fmt: skip
    audit.record(actor, "discipline.check.opened", check, payload={"kind": CheckKind.KEY})
    return check


@transaction.atomic
def conclude_check(check: Check, *, actor, outcome, handling, on) -> Check:
    locked = Check.objects.select_for_update().get(pk=check.pk)
    if locked.outcome:
        raise InvalidInput("该查核已有结果。")
    if outcome not in CheckOutcome.values:
        raise InvalidInput("请选择查核结果：如实报告、漏报或瞒报。")
    if not isinstance(on, date) or on > _today():
        raise InvalidInput("请填写查核日期（不晚于今天）。")
    required = outcome != CheckOutcome.TRUE
    locked.handling = text_input(handling, "处理情况", required=required, longest=5000)
    locked.outcome, locked.checked_on = outcome, on
    locked.save(update_fields=["outcome", "handling", "checked_on"])
    audit.record(actor, "discipline.check.concluded", locked, payload={"outcome": outcome})
    return locked
