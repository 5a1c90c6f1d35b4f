"""结果运用 — rectification: those who assess mark the lost points that must be rectified (a
record-based or judged indicator scored below its points, a deduction taken, a veto), and once the
round is published, one step turns every marked point into a finding of a rectification ledger
they supervise (问题 → 整改措施 → 销号 → 回头看, the ledger's own workflow). Each score becomes one
finding, however often the step is run; the finding names the round, the organisation, the
indicator and how the points were lost."""

from decimal import Decimal

from django.db import transaction

from mofan.assessment.choices import IndicatorKind, RoundState
from mofan.assessment.models import Round, Score
from mofan.assessment.rules import figure
from mofan.audit import services as audit
from mofan.core.errors import InvalidInput
from mofan.core.markup import quoted
from mofan.ledger import services as ledgers
from mofan.ledger.choices import LedgerKind


def lost(score: Score) -> str:
    """How the score lost points, in words ("" when it lost none)."""
    indicator = score.indicator
    if indicator.kind == IndicatorKind.VETO:
        return "一票否决" if score.vetoed else ""
    if indicator.kind == IndicatorKind.DEDUCTION:
        return f"扣{figure(score.points)}分" if score.points else ""
    if indicator.kind == IndicatorKind.BONUS or score.points is None:
        return ""
    short = Decimal(indicator.points) - Decimal(score.points)
    return f"失{figure(short)}分" if short > 0 else ""


@transaction.atomic
def mark(score: Score, *, actor, on: bool) -> Score:
    """Mark (or unmark) a lost point to rectify. The caller checked that the actor assesses the
    target (its round's runners or team)."""
    score = (
        Score.objects.select_for_update()
        .select_related("target__round", "indicator", "target__org")
        .get(pk=score.pk)
    )
    if score.target.round.state == RoundState.SELF:
        raise InvalidInput("评审开始后才能确定需整改的失分项。")
    if on and not lost(score):
        raise InvalidInput("该指标没有失分，无需整改。")
    if not on and score.finding_id is not None:
        raise InvalidInput("该失分项已移交整改台账，不能取消。")
    if score.to_rectify != on:
        score.to_rectify = on
        score.save(update_fields=["to_rectify"])
        audit.record(actor, "assessment.score.rectify_marked", score.target,
                     payload={"indicator": score.indicator_id, "on": on})  # fmt: skip
    return score


def pending(round_: Round):
    """The marked scores not yet a finding, in the order of the round's pages."""
    return (
        Score.objects.filter(target__round=round_, to_rectify=True, finding__isnull=True)
        .select_related("indicator", "target__org")
        .order_by("target__org__path", "indicator__dimension__order", "indicator__order")
    )


def ledgers_for(user):
    """The rectification ledgers the user supervises (where findings may go)."""
    from mofan.access.scoping import Action
    from mofan.ledger.models import Ledger

    return Ledger.objects.restrict(user, Action.SUPERVISE).filter(
        kind=LedgerKind.RECTIFICATION, archived=False
    )


@transaction.atomic
def open_findings(round_: Round, *, actor, ledger) -> int:
    """Every marked lost point of a published round as a finding of the ledger (the actor must
    supervise it — the ledger's rule). Returns how many findings were opened."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state != RoundState.PUBLISHED:
        raise InvalidInput("考核结果公布后才能移交整改。")
    if ledger.kind != LedgerKind.RECTIFICATION or ledger.archived:
        raise InvalidInput("请选择未归档的整改台账。")
    scores = list(pending(round_).select_for_update(of=("self",)))
    if not scores:
        raise InvalidInput("没有待移交的失分项：请先在各组织的考核页面将需整改的失分项“列入整改”。")
    for score in scores:
        how = lost(score)
        why = score.explanation or score.comment
        finding = ledgers.add_finding(
            ledger, actor=actor,
            description=f"{score.target.org.name}在{round_.title}中{quoted(score.indicator.name)}{how}"
                        + (f"：{why}" if why else "。"),
        )  # fmt: skip
        score.finding = finding
        score.save(update_fields=["finding"])
    audit.record(actor, "assessment.round.findings_opened", round_,
                 payload={"ledger": ledger.pk, "findings": len(scores)})  # fmt: skip
    return len(scores)
