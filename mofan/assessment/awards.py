"""创建 evaluations — "四强"党支部, 模范机关标兵单位 and 先进单位 — on the indicator system's engine:
the basis is a published round of the evaluating organisation's scheme, and its results give the
recommendation list (no veto, a total at or above the line, the kind the title is for, best
first). The recommended apply with their material by the deadline; the evaluating organisation
closes the applications, approves or rejects each (a rejection with its reason, never more
approved than places) and publishes the list, each name with its total, grade and the decision.
Every step is audited and the recommended are told."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from mofan.access.scoping import Action
from mofan.assessment.choices import AwardKind, AwardState, Decision, RoundState
from mofan.assessment.models import Award, Candidate, Round
from mofan.assessment.rules import figure
from mofan.audit import services as audit
from mofan.core.errors import InvalidInput, StaleEdit, check_version, text_input
from mofan.core.markup import quoted
from mofan.orgs.choices import OrgKind
from mofan.orgs.models import PartyOrg

MOST_PLACES = 1000
# "四强"党支部 are 党支部; a 模范机关 title goes to any organisation the round assessed.
KINDS_FOR = {AwardKind.STRONG_BRANCH: (OrgKind.BRANCH,)}


def _locked(award: Award, version=None) -> Award:
    check_version(version)
    locked = Award.objects.select_for_update().get(pk=award.pk)
    if version is not None and str(version) != str(locked.version):
        raise StaleEdit()
    return locked


def _bump(award: Award, fields=()) -> None:
    award.version += 1
    award.save(update_fields=[*fields, "version"])


def _places(value) -> int:
    text = str(value or "").strip()
    if not text.isdecimal() or not 1 <= int(text) <= MOST_PLACES:
        raise InvalidInput(f"名额须为1至{MOST_PLACES}之间的整数。")
    return int(text)


def _line(value, most: Decimal) -> Decimal:
    try:
        line = Decimal(str(value).strip())
    except (ArithmeticError, AttributeError) as exc:
        raise InvalidInput("推荐条件的分数须为数字。") from exc
    if not line.is_finite() or not Decimal(0) <= line <= most:
        raise InvalidInput(f"推荐条件的分数须在0至{figure(most)}之间。")
    return line


def recommended(round_: Round, kind: str, min_total: Decimal):
    """The round's targets the result recommends, best first."""
    targets = round_.targets.filter(vetoed=False, total__gte=min_total).exclude(grade="")
    if kind in KINDS_FOR:
        targets = targets.filter(org__kind__in=KINDS_FOR[kind])
    return targets.order_by("-total", "org__path")


# The words a title must hold for its kind: "2026年度机关“四强”党支部创建评选" is one thing, a
# 模范机关标兵单位 evaluation titled so is a mistake the published list would carry.
KEYWORDS = {
    AwardKind.STRONG_BRANCH: "四强",
    AwardKind.MODEL_PACESETTER: "标兵",
    AwardKind.MODEL_ADVANCED: "先进",
}


@transaction.atomic
def create_award(
    org: PartyOrg, *, actor, kind, title, round_: Round | None, places, min_total, apply_due_on,
    basis="",
) -> Award:  # fmt: skip
    if kind not in AwardKind.values:
        raise InvalidInput("请选择创建类别。")
    title = text_input(title, "名称", required=True, longest=200)
    if round_ is None or round_.scheme.org_id != org.pk:
        raise InvalidInput("请选择本组织已公布结果的考核作为评选依据。")
    if round_.state != RoundState.PUBLISHED:
        raise InvalidInput("作为评选依据的考核须已公布结果。")
    if KEYWORDS[kind] not in title:
        raise InvalidInput(f"名称须写明创建类别“{AwardKind(kind).label}”。")
    # Under the round's row lock, so that two organisers cannot both start the same evaluation.
    Round.objects.select_for_update().filter(pk=round_.pk).first()
    same = Award.objects.filter(round=round_, kind=kind).first()
    if same is not None:
        raise InvalidInput(f"该考核结果已用于{quoted(same.title)}，同一类别不再重复评选。")
    places = _places(places)
    line = _line(min_total, round_.scheme.total)
    if apply_due_on is None:
        raise InvalidInput("请填写申报截止日期。")
    if apply_due_on < timezone.localdate():
        raise InvalidInput("申报截止日期不能早于今天。")
    found = list(recommended(round_, kind, line).select_related("org"))
    if not found:
        raise InvalidInput("该考核结果中没有符合推荐条件的组织，请调整推荐条件。")
    award = Award.objects.create(
        org=org, year=round_.scheme.year, kind=kind, round=round_, places=places,
        min_total=line, apply_due_on=apply_due_on, created_by=actor, title=title,
        basis=text_input(basis, "评选依据说明", required=False, longest=2000),
    )  # fmt: skip
    Candidate.objects.bulk_create(
        Candidate(award=award, org=t.org, target=t, position=n)
        for n, t in enumerate(found, start=1)
    )
    audit.record(actor, "assessment.award.created", award, payload={
        "kind": kind, "round": round_.pk, "places": award.places, "min_total": str(line),
        "recommended": len(found),
    })  # fmt: skip
    from mofan.assessment import notices

    notices.award_opened(award)
    return award


def material_readable(user):
    """The candidates whose application (statement and file) `user` reads: those of the
    evaluations they run, and their own organisation's — not the other candidates'."""
    return Candidate.objects.restrict(user, Action.ASSESS) | Candidate.objects.restrict(
        user, Action.RECORD
    )


@transaction.atomic
def apply(candidate: Candidate, *, actor, version, statement, upload=None) -> Candidate:
    """The recommended organisation's application: its material, and a file; revisable until
    the deadline or until the applications close."""
    from mofan.core.uploads import keep_upload

    award = Award.objects.select_for_update().get(pk=candidate.award_id)
    if award.state != AwardState.APPLYING or timezone.localdate() > award.apply_due_on:
        raise InvalidInput("申报已经截止。")
    check_version(version)
    locked = Candidate.objects.get(pk=candidate.pk)
    if version is not None and str(version) != str(locked.version):
        raise StaleEdit()
    locked.statement = text_input(statement, "申报材料", required=True, longest=10000, shortest=10)
    if upload is not None:
        keep_upload(locked, upload)
    first = locked.applied_at is None
    locked.applied_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["statement", "file", "file_name", "applied_at", "version"])
    audit.record(actor, "assessment.award.applied", award, payload={
        "candidate": locked.pk, "org": locked.org_id, "first": first, "file": locked.file_name,
    })  # fmt: skip
    return locked


@transaction.atomic
def close_applications(award: Award, *, actor, version=None) -> Award:
    locked = _locked(award, version)
    if locked.state != AwardState.APPLYING:
        raise InvalidInput("申报已经截止。")
    if not locked.candidates.filter(applied_at__isnull=False).exists():
        raise InvalidInput("还没有组织提交申报，不能进入评审。")
    locked.state = AwardState.REVIEWING
    _bump(locked, ["state"])
    audit.record(actor, "assessment.award.closed", locked, payload={
        "applied": locked.candidates.filter(applied_at__isnull=False).count(),
    })  # fmt: skip
    return locked


@transaction.atomic
def decide(candidate: Candidate, *, actor, version, approve: bool, note) -> Candidate:
    award = _locked(Award(pk=candidate.award_id))
    if award.state != AwardState.REVIEWING:
        raise InvalidInput("只有评审中的创建评选可以评审。")
    check_version(version)
    locked = Candidate.objects.get(pk=candidate.pk)
    if version is not None and str(version) != str(locked.version):
        raise StaleEdit()
    words = text_input(note, "评审意见", required=not approve, longest=500)
    if approve:
        if locked.applied_at is None:
            raise InvalidInput(f"{locked.org.name}未提交申报，不能评审通过。")
        others = award.candidates.filter(decision=Decision.APPROVED).exclude(pk=locked.pk).count()
        if others >= award.places:
            raise InvalidInput(f"评审通过的已达名额（{award.places}个）。")
    locked.decision = Decision.APPROVED if approve else Decision.REJECTED
    locked.decision_note, locked.decided_by, locked.decided_at = words, actor, timezone.now()
    locked.version += 1
    locked.save(update_fields=["decision", "decision_note", "decided_by", "decided_at", "version"])
    audit.record(actor, "assessment.award.decided", award,
                 payload={"candidate": locked.pk, "org": locked.org_id, "approved": approve,
                          "note": words})  # fmt: skip
    return locked


@transaction.atomic
def publish_award(award: Award, *, actor, version=None) -> Award:
    locked = _locked(award, version)
    if locked.state == AwardState.PUBLISHED:
        raise InvalidInput("评选结果已经公布。")
    if locked.state != AwardState.REVIEWING:
        raise InvalidInput("请先截止申报并完成评审后再公布。")
    waiting = locked.candidates.filter(applied_at__isnull=False, decision=Decision.PENDING)
    if waiting.exists():
        names = "、".join(waiting.values_list("org__name", flat=True)[:10])
        raise InvalidInput(f"尚有申报未评审：{names}。")
    if not locked.candidates.filter(decision=Decision.APPROVED).exists():
        raise InvalidInput("没有评审通过的组织，不能公布。")
    unapplied = locked.candidates.filter(applied_at__isnull=True)
    not_applied = list(unapplied.values_list("org_id", flat=True))
    unapplied.update(
        decision=Decision.REJECTED, decision_note="未在截止日期前申报", decided_at=timezone.now()
    )
    locked.state, locked.published_at = AwardState.PUBLISHED, timezone.now()
    _bump(locked, ["state", "published_at"])
    approved = list(
        locked.candidates.filter(decision=Decision.APPROVED).values_list("org_id", flat=True)
    )
    audit.record(actor, "assessment.award.published", locked,
                 payload={"approved": approved, "not_applied": not_applied})  # fmt: skip
    from mofan.assessment import notices

    notices.award_published(locked)
    return locked
