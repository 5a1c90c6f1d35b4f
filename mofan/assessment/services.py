"""State changes of 考核评价, each one transaction with its audit record: keep a scheme (while it
is a draft), copy it to another year, start a round on it (which freezes it), compute the
record-based scores, write a self-assessment with its evidence, score as the team, publish.

Refused with a Chinese message, changing nothing: a scheme whose base points do not add up to
its total, a formula parameter out of range, an indicator that would measure the use of the app,
any change to a frozen scheme, a target outside the assessing organisation, a score above the
indicator's points, a deduction, bonus or veto without its reason and evidence, a stale page."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.db.models import Case, Count, F, Value, When
from django.db.models.functions import Greatest
from django.db.models.functions import Round as Round2
from django.utils import timezone

from mofan.assessment import formulas, notices, rules
from mofan.assessment.choices import (
    DIMENSIONS,
    TEAM_KINDS,
    Grade,
    IndicatorKind,
    RoundState,
)
from mofan.assessment.models import (
    Correction,
    Dimension,
    Evidence,
    Indicator,
    Round,
    Scheme,
    Score,
    Target,
)
from mofan.assessment.rules import figure
from mofan.audit import services as audit
from mofan.core.errors import InvalidInput, StaleEdit, text_input
from mofan.orgs.choices import OrgKind
from mofan.orgs.models import PartyOrg

LONGEST_TEXT = 5000


def _today() -> date:
    return timezone.localdate()


def _decimal(value, label: str, *, low=Decimal(0), high=rules.MAX_TOTAL) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(f"{label}须为数字。") from exc
    if not number.is_finite() or not low <= number <= high:
        raise InvalidInput(f"{label}须在{figure(low)}至{figure(high)}之间。")
    if number != number.quantize(Decimal("0.01")):
        raise InvalidInput(f"{label}最多保留两位小数。")
    return number


def _text(value, label: str, *, required: bool, longest: int = LONGEST_TEXT) -> str:
    return text_input(value, label, required=required, longest=longest)


def _draft(scheme: Scheme) -> Scheme:
    locked = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if locked.frozen_at is not None:
        raise InvalidInput("该指标体系已启用考核，不能再修改；如需调整，请复制为新版本后修改。")
    return locked


def _touch(scheme: Scheme) -> None:
    scheme.version += 1
    scheme.save(update_fields=["version"])


# -- schemes -----------------------------------------------------------------------------------


@transaction.atomic
def create_scheme(*, actor, org, year: int, name: str, total, target_kinds, bands=None) -> Scheme:
    """A draft scheme of the assessing organisation, with the six 建设 dimensions to start from."""
    today = _today()
    if not isinstance(year, int) or not today.year - 1 <= year <= today.year + 1:
        raise InvalidInput(f"只能制定{today.year - 1}至{today.year + 1}年度的考核指标体系。")
    kinds = list(dict.fromkeys(target_kinds or []))
    if not kinds or any(kind not in OrgKind.values for kind in kinds):
        raise InvalidInput("请选择考核对象的组织类别。")
    bands = bands if bands is not None else rules.DEFAULT_BANDS
    problem = rules.bands_problem(bands)
    if problem:
        raise InvalidInput(problem)
    scheme = Scheme.objects.create(
        org=org, year=year, name=_text(name, "名称", required=True, longest=200),
        total=_decimal(total, "总分", low=Decimal(1)), target_kinds=kinds,
        bands=[{"grade": b["grade"], "low": str(b["low"])} for b in bands], created_by=actor,
    )  # fmt: skip
    Dimension.objects.bulk_create(
        Dimension(scheme=scheme, order=n, name=name) for n, name in enumerate(DIMENSIONS, 1)
    )
    audit.record(actor, "assessment.scheme.created", scheme, payload={"org": org.pk, "year": year})
    return scheme


@transaction.atomic
def add_dimension(scheme: Scheme, *, actor, name: str) -> Dimension:
    scheme = _draft(scheme)
    name = _text(name, "维度名称", required=True, longest=60)
    if scheme.dimensions.filter(name=name).exists():
        raise InvalidInput(f"已有维度“{name}”。")
    last = scheme.dimensions.order_by("-order").values_list("order", flat=True).first() or 0
    dimension = Dimension.objects.create(scheme=scheme, order=last + 1, name=name)
    _touch(scheme)
    audit.record(actor, "assessment.dimension.added", scheme, payload={"name": name})
    return dimension


@transaction.atomic
def save_indicator(scheme: Scheme, *, actor, dimension: Dimension, name: str, kind: str,
                   points, formula: str = "", params: dict | None = None, guidance: str = "",
                   indicator: Indicator | None = None, version: int | None = None) -> Indicator:  # fmt: skip
    """Add an indicator to a draft scheme, or change one (`indicator`)."""
    scheme = _draft(scheme)
    if version is not None and scheme.version != version:
        raise StaleEdit("该指标体系已被他人修改，请刷新页面后再保存。")
    if dimension.scheme_id != scheme.pk:
        raise InvalidInput("所选维度不属于该指标体系。")
    if kind not in IndicatorKind.values:
        raise InvalidInput("请选择计分方式。")
    name = _text(name, "指标名称", required=True, longest=200)
    guidance = _text(guidance, "评分标准", required=False)
    measured = rules.forbidden_in(name, guidance)
    if measured:
        raise InvalidInput(f"不能以“{measured}”作为考核指标：{rules.FORBIDDEN_REASON}。")
    points = _decimal(points, "分值", high=scheme.total)
    params = dict(params or {})
    if kind == IndicatorKind.RECORD:
        problem = formulas.params_problem(formula, params)
        if problem:
            raise InvalidInput(problem)
        params = {k: str(v) for k, v in formulas.resolved(formula, params).items()}
    else:
        formula, params = "", {}
    if kind == IndicatorKind.VETO:
        points = Decimal(0)
    elif points == 0:
        raise InvalidInput("分值须大于0。")
    if indicator is None:
        if scheme.indicators.count() >= rules.MAX_INDICATORS:
            raise InvalidInput(f"一个指标体系最多{rules.MAX_INDICATORS}项指标。")
        last = dimension.indicators.order_by("-order").values_list("order", flat=True).first()
        indicator = Indicator(scheme=scheme, order=(last or 0) + 1)
    elif indicator.scheme_id != scheme.pk:
        raise InvalidInput("该指标不属于该指标体系。")
    before = {"name": indicator.name, "points": str(indicator.points or ""), "kind": indicator.kind}
    indicator.dimension, indicator.name, indicator.kind, indicator.points = (
        dimension,
        name,
        kind,
        points,
    )
    indicator.formula, indicator.params, indicator.guidance = formula, params, guidance
    indicator.save()
    _touch(scheme)
    audit.record(actor, "assessment.indicator.saved", scheme, payload={
        "indicator": indicator.pk, "before": before, "name": name, "kind": kind,
        "points": str(points), "formula": formula, "params": params,
    })  # fmt: skip
    return indicator


@transaction.atomic
def delete_indicator(indicator: Indicator, *, actor) -> None:
    scheme = _draft(indicator.scheme)
    audit.record(actor, "assessment.indicator.deleted", scheme,
                 payload={"indicator": indicator.pk, "name": indicator.name})  # fmt: skip
    indicator.delete()
    _touch(scheme)


@transaction.atomic
def copy_scheme(scheme: Scheme, *, actor, year: int, name: str | None = None) -> Scheme:
    """A new draft with the same dimensions, indicators and bands (e.g. for next year, or a new
    version of a frozen one)."""
    copy = create_scheme(
        actor=actor, org=scheme.org, year=year, name=name or scheme.name, total=scheme.total,
        target_kinds=scheme.target_kinds, bands=scheme.bands,
    )  # fmt: skip
    copy.dimensions.all().delete()
    copy.copied_from = scheme
    copy.save(update_fields=["copied_from"])
    mapping = {}
    for dimension in scheme.dimensions.order_by("order"):
        mapping[dimension.pk] = Dimension.objects.create(
            scheme=copy, order=dimension.order, name=dimension.name
        )
    Indicator.objects.bulk_create(
        Indicator(scheme=copy, dimension=mapping[i.dimension_id], order=i.order, name=i.name,
                  kind=i.kind, points=i.points, formula=i.formula, params=i.params,
                  guidance=i.guidance)
        for i in scheme.indicators.all()
    )  # fmt: skip
    audit.record(actor, "assessment.scheme.copied", copy, payload={"from": scheme.pk})
    return copy


def problems_of(scheme: Scheme) -> list[str]:
    lines = [
        rules.Line(i.name, i.kind, i.points, i.formula, i.params) for i in scheme.indicators.all()
    ]
    return rules.scheme_problems(scheme.total, lines)


# -- rounds ------------------------------------------------------------------------------------


def eligible_targets(scheme: Scheme, orgs):
    """Of `orgs` (what the caller may assess), those the scheme may assess: below its
    organisation, of its kinds, not dissolved."""
    return (
        orgs.subtree(scheme.org)
        .exclude(pk=scheme.org_id)
        .filter(kind__in=scheme.target_kinds, dissolved_on__isnull=True)
    )


@transaction.atomic
def start_round(scheme: Scheme, *, actor, title: str, self_due_on: date, targets, team=()) -> Round:
    """A round of the scheme over `targets` (organisations the caller may assess), which freezes
    the scheme; every target gets a row per indicator, and the record-based scores are computed."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    problems = problems_of(scheme)
    if problems:
        raise InvalidInput(
            "指标体系尚不能启用：" + "；".join(p.rstrip("。") for p in problems) + "。"
        )
    title = _text(title, "考核名称", required=True, longest=200)
    if not isinstance(self_due_on, date) or self_due_on < _today():
        raise InvalidInput("自评截止日期不能早于今天。")
    targets = list(targets)
    if not targets:
        raise InvalidInput("请选择被考核的组织。")
    wrong = [t.name for t in targets
             if not t.path.startswith(scheme.org.path) or t.pk == scheme.org_id
             or t.kind not in scheme.target_kinds]  # fmt: skip
    if wrong:
        raise InvalidInput(f"不在本指标体系考核范围内：{'、'.join(wrong[:5])}。")
    if scheme.frozen_at is None:
        scheme.frozen_at = timezone.now()
        scheme.save(update_fields=["frozen_at"])
    round_ = Round.objects.create(
        scheme=scheme, title=title, self_due_on=self_due_on, created_by=actor
    )
    round_.team.set(team)
    Target.objects.bulk_create((Target(round=round_, org=org) for org in targets), batch_size=2000)
    indicators = list(scheme.indicators.exclude(kind=IndicatorKind.RECORD))
    target_ids = list(round_.targets.values_list("pk", flat=True))
    Score.objects.bulk_create(
        (Score(target_id=t, indicator=i) for t in target_ids for i in indicators), batch_size=5000
    )
    audit.record(actor, "assessment.round.started", round_,
                 payload={"scheme": scheme.pk, "targets": len(targets)})  # fmt: skip
    compute_round(round_, actor=actor)
    notices.round_started(round_)
    return round_


def runs(user, round_: Round) -> bool:
    """Whether the user runs the round (the assessing organisation's admins): the team scores,
    it does not compute, close the self-assessment or publish."""
    from mofan.access.scoping import Action

    return Scheme.objects.restrict(user, Action.ASSESS).filter(pk=round_.scheme_id).exists()


def upto_for(round_: Round, today: date | None = None) -> date:
    """The day the scorers count records up to: the scheme's year end, or today within it."""
    today = today or _today()
    return min(today, date(round_.scheme.year, 12, 31))


@transaction.atomic
def compute_round(round_: Round, *, actor=None, today: date | None = None) -> int:
    """Every record-based score of the round, set-based: each formula measures all targets at
    once (its queries do not grow with their number); the scores are written again whole, so a
    second run gives the same rows. A published round is left as published."""
    round_ = Round.objects.select_for_update().select_related("scheme__org").get(pk=round_.pk)
    if round_.state == RoundState.PUBLISHED:
        raise InvalidInput("考核结果已公布，不再重新计分。")
    scheme, upto = round_.scheme, upto_for(round_, today)
    targets = list(round_.targets.select_related("org"))
    orgs = [t.org for t in targets]
    by_org = {t.org_id: t.pk for t in targets}
    # Written over in place (one row per target and indicator), and only where the figure
    # changed: the nightly run rewrites what the day's records moved, a second run nothing. The
    # explanation names every count the formula used, so it stands for them in the comparison
    # (reading back 360,000 JSON details took 5 s).
    kept = {
        (target_id, indicator_id): (points, words)
        for target_id, indicator_id, points, words in Score.objects.filter(
            target__round=round_, indicator__kind=IndicatorKind.RECORD
        ).values_list("target_id", "indicator_id", "points", "explanation")
    }  # fmt: skip
    measured: dict[str, dict] = {}
    changed, total = [], 0
    for indicator in scheme.indicators.filter(kind=IndicatorKind.RECORD):
        formula = formulas.FORMULAS[indicator.formula]
        if formula.name not in measured:
            measured[formula.name] = formula.measure(scheme.org, orgs, scheme.year, upto)
        params = formulas.resolved(indicator.formula, indicator.params)
        for org_id, detail in measured[formula.name].items():
            points, words = formula.score(detail, params, indicator.points)
            total += 1
            if kept.get((by_org[org_id], indicator.pk)) != (points, words[:500]):
                changed.append(Score(target_id=by_org[org_id], indicator=indicator,
                                     points=points, detail=detail, explanation=words[:500]))  # fmt: skip
    Score.objects.bulk_create(
        changed, batch_size=5000, update_conflicts=True, unique_fields=["target", "indicator"],
        update_fields=["points", "detail", "explanation"],
    )  # fmt: skip
    round_.computed_at, round_.computed_upto = timezone.now(), upto
    round_.save(update_fields=["computed_at", "computed_upto"])
    refresh_totals(round_)
    audit.record(actor, "assessment.round.computed", round_,
                 payload={"scores": total, "changed": len(changed), "upto": upto})  # fmt: skip
    return total


def compute_open_rounds(today: date | None = None) -> dict:
    """The nightly job: every round not yet published, each in its own transaction; then the
    reminders of self-assessments due within three days."""
    rounds = scores = 0
    for round_ in Round.objects.exclude(state=RoundState.PUBLISHED).order_by("pk"):
        scores += compute_round(round_, today=today)
        rounds += 1
    return {"rounds": rounds, "scores": scores,
            "reminders": notices.remind_self(today or _today())}  # fmt: skip


def refresh_totals(round_: Round, only: Target | None = None) -> None:
    """Each target's base, deductions, bonuses, veto and grade from its scores, then the ranks
    among the targets of the same kind (competition ranking: equal totals share a rank; a veto
    ranks last). Four statements whatever the number of targets — the sums and the ranks as
    UPDATE … FROM a grouped (windowed) select; writing ten thousand rows back one CASE at a time
    took 22 s. `only`: one target's scores changed (the ranks are still the whole round's)."""
    tables = {
        "score": Score._meta.db_table, "indicator": Indicator._meta.db_table,
        "target": Target._meta.db_table, "org": PartyOrg._meta.db_table,
    }  # fmt: skip
    where, params = "t.round_id = %s", [round_.pk]
    if only is not None:
        where, params = where + " AND t.id = %s", [*params, only.pk]
    # Sums rounded to the cent: SQLite adds decimals as floats.
    sums = """
        UPDATE {target} SET base = s.base, deducted = s.deducted, added = s.added,
            vetoed = s.vetoed, unscored = s.unscored
        FROM (
            SELECT sc.target_id AS id,
                ROUND(COALESCE(SUM(CASE WHEN i.kind IN (%s, %s) THEN sc.points END), 0), 2) AS base,
                ROUND(COALESCE(SUM(CASE WHEN i.kind = %s THEN sc.points END), 0), 2) AS deducted,
                ROUND(COALESCE(SUM(CASE WHEN i.kind = %s THEN sc.points END), 0), 2) AS added,
                MAX(CASE WHEN sc.vetoed THEN 1 ELSE 0 END) = 1 AS vetoed,
                SUM(CASE WHEN i.kind = %s AND sc.points IS NULL THEN 1 ELSE 0 END) AS unscored
            FROM {score} sc
            JOIN {indicator} i ON i.id = sc.indicator_id
            JOIN {target} t ON t.id = sc.target_id
            WHERE {where}
            GROUP BY sc.target_id
        ) s
        WHERE {target}.id = s.id
    """.format(where=where, **tables)  # noqa: S608 - table names of our models  # nosec B608
    kinds = [IndicatorKind.RECORD, IndicatorKind.JUDGEMENT, IndicatorKind.DEDUCTION,
             IndicatorKind.BONUS, IndicatorKind.JUDGEMENT]  # fmt: skip
    ranks = """
        UPDATE {target} SET rank = r.position, peers = r.peers
        FROM (
            SELECT t.id AS id,
                RANK() OVER (PARTITION BY o.kind ORDER BY t.vetoed, t.total DESC) AS position,
                COUNT(*) OVER (PARTITION BY o.kind) AS peers
            FROM {target} t JOIN {org} o ON o.id = t.org_id
            WHERE t.round_id = %s
        ) r
        WHERE {target}.id = r.id
    """.format(**tables)  # noqa: S608  # nosec B608
    targets = Target.objects.filter(round=round_)
    if only is not None:
        targets = targets.filter(pk=only.pk)
    bands = [When(total__gte=Decimal(str(b["low"])), then=Value(b["grade"]))
             for b in round_.scheme.bands]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sums, [*kinds, *params])
    targets.update(total=Greatest(Round2(F("base") - F("deducted") + F("added"), 2),
                                  Value(Decimal(0))))  # fmt: skip
    # No grade while a judgement awaits the team (a veto decides it whatever the rest).
    targets.update(grade=Case(When(vetoed=True, then=Value(Grade.POOR)),
                              When(unscored__gt=0, then=Value("")), *bands,
                              default=Value(Grade.POOR)))  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(ranks, [round_.pk])


# -- the assessed: self-assessment and evidence ------------------------------------------------


def _fresh_score(score: Score, version: int | None) -> Score:
    locked = (
        Score.objects.select_for_update()
        .select_related("target__round__scheme", "indicator", "target__org")
        .get(pk=score.pk)
    )
    if version is not None and locked.version != version:
        raise StaleEdit("该项已被他人修改，请刷新页面查看最新内容后再保存。")
    return locked


@transaction.atomic
def save_self_assessment(score: Score, *, actor, text: str, version: int | None = None) -> Score:
    score = _fresh_score(score, version)
    round_ = score.target.round
    if score.indicator.kind != IndicatorKind.JUDGEMENT:
        raise InvalidInput("该指标按记录自动计分或由考核组评定，无需自评。")
    if round_.state != RoundState.SELF:
        raise InvalidInput("自评阶段已结束。")
    if _today() > round_.self_due_on:
        raise InvalidInput(f"自评已于{round_.self_due_on:%Y年%-m月%-d日}截止。")
    score.self_text = _text(text, "自评情况", required=True)
    score.version += 1
    score.save(update_fields=["self_text", "version"])
    audit.record(actor, "assessment.self.saved", score.target,
                 payload={"indicator": score.indicator_id})  # fmt: skip
    return score


@transaction.atomic
def submit_self_assessment(target: Target, *, actor) -> Target:
    target = Target.objects.select_for_update().select_related("round").get(pk=target.pk)
    if target.round.state != RoundState.SELF:
        raise InvalidInput("自评阶段已结束。")
    missing = [
        s.indicator.name
        for s in target.scores.filter(indicator__kind=IndicatorKind.JUDGEMENT, self_text="")
        .select_related("indicator")
    ]  # fmt: skip
    if missing:
        raise InvalidInput(f"以下指标尚未自评：{'、'.join(missing[:5])}。")
    target.self_done_at = timezone.now()
    target.save(update_fields=["self_done_at"])
    audit.record(actor, "assessment.self.submitted", target)
    return target


@transaction.atomic
def add_evidence(score: Score, *, actor, upload=None, record=None, by_team: bool = False):
    """A file (checked as every upload) or a record of the system the actor may read (`record`:
    a Meeting or a ledger Item got through the gate by the caller)."""
    from mofan.core.uploads import check_upload

    score = _fresh_score(score, None)
    if score.indicator.kind == IndicatorKind.RECORD:
        raise InvalidInput("该指标按记录自动计分，其依据即系统中的记录，无需另附材料。")
    state = score.target.round.state
    if state == RoundState.PUBLISHED:
        raise InvalidInput("考核结果已公布，不能再添加材料。")
    if not by_team and state != RoundState.SELF:
        raise InvalidInput("自评阶段已结束，不能再添加自评材料。")
    evidence = Evidence(score=score, by_team=by_team, added_by=actor)
    if upload is not None:
        evidence.name = check_upload(upload)
        evidence.size = upload.size
        evidence.file.save(evidence.name, upload, save=False)
    elif record is not None:
        kind = {"Meeting": "meeting", "Item": "item"}.get(type(record).__name__)
        if kind is None:
            raise InvalidInput("只能关联会议或督办事项。")
        evidence.record_kind, evidence.record_id = kind, record.pk
        evidence.name = str(getattr(record, "title", "") or getattr(record, "content", ""))[:200]
    else:
        raise InvalidInput("请选择文件或要关联的记录。")
    evidence.save()
    audit.record(actor, "assessment.evidence.added", score.target,
                 payload={"indicator": score.indicator_id, "name": evidence.name,
                          "record": f"{evidence.record_kind}:{evidence.record_id or ''}"})  # fmt: skip
    return evidence


# -- the team ----------------------------------------------------------------------------------


@transaction.atomic
def score_indicator(score: Score, *, actor, points=None, vetoed: bool = False, comment: str = "",
                    version: int | None = None) -> Score:  # fmt: skip
    """The team's score of a judgement, or its decision on a deduction, bonus or veto — the last
    three with a reason and at least one piece of evidence from the team."""
    score = _fresh_score(score, version)
    round_, indicator = score.target.round, score.indicator
    if indicator.kind not in TEAM_KINDS:
        raise InvalidInput("该指标按记录自动计分，不能人工评分。")
    if round_.state != RoundState.SCORING:
        raise InvalidInput("考核尚未进入评审阶段，或结果已公布。")
    comment = _text(comment, "评审意见", required=False)
    if indicator.kind == IndicatorKind.VETO:
        score.points, score.vetoed = None, bool(vetoed)
        applies = score.vetoed
    else:
        value = _decimal(points, "得分", high=indicator.points)
        score.points, score.vetoed = value, False
        applies = indicator.kind != IndicatorKind.JUDGEMENT and value > 0
    if applies:
        if not comment:
            raise InvalidInput(f"“{indicator.name}”须写明理由。")
        if not score.evidence.filter(by_team=True).exists():
            raise InvalidInput(f"“{indicator.name}”须先上传或关联佐证材料。")
    score.comment, score.scored_by, score.scored_at = comment, actor, timezone.now()
    score.version += 1
    score.save()
    refresh_totals(round_, only=score.target)
    audit.record(actor, "assessment.scored", score.target, payload={
        "indicator": indicator.pk, "points": str(score.points), "vetoed": score.vetoed,
        "comment": comment,
    })  # fmt: skip
    return score


@transaction.atomic
def correct_score(score: Score, *, actor, reason: str, points=None, vetoed: bool = False,
                  comment: str = "", version: int | None = None) -> Correction:  # fmt: skip
    """结果更正: after publication the round is frozen, and one score is changed only by those who
    run it (the caller checked), with a reason. The earlier score, total and grade are kept in a
    Correction; the totals, grades and ranks follow; the assessed organisation is told."""
    score = _fresh_score(score, version)
    round_ = (
        Round.objects.select_for_update().select_related("scheme").get(pk=score.target.round_id)
    )
    if round_.state != RoundState.PUBLISHED:
        raise InvalidInput("考核结果公布后才需更正；公布前请直接评分。")
    reason = _text(reason, "更正理由", required=True, longest=2000)
    if sum(ch.isalnum() for ch in reason) < 5:  # letters, digits, 汉字 — not "。。。。。"
        raise InvalidInput("更正理由不少于5个字，请写明依据。")
    indicator, target = score.indicator, score.target
    if indicator.kind == IndicatorKind.VETO:
        points, vetoed = None, bool(vetoed)
    elif points is None or not str(points).strip():
        raise InvalidInput("请填写更正后的得分。")  # a blank is no score, not 0
    else:
        points, vetoed = _decimal(points, "得分", high=indicator.points), False
    comment = _text(comment, "评审意见", required=False) or score.comment
    if (points, vetoed, comment) == (score.points, score.vetoed, score.comment):
        raise InvalidInput("更正后的得分、否决和评审意见与原来相同，无需更正。")
    before = (score.points, score.vetoed, score.comment, target.total, target.grade)
    score.points, score.vetoed, score.comment = points, vetoed, comment
    score.scored_by, score.scored_at = actor, timezone.now()
    score.version += 1
    score.save(update_fields=["points", "vetoed", "comment", "scored_by", "scored_at", "version"])
    refresh_totals(round_, only=target)
    target.refresh_from_db(fields=["total", "grade", "rank", "peers", "vetoed"])
    correction = Correction.objects.create(
        score=score, points_before=before[0], vetoed_before=before[1], comment_before=before[2],
        points_after=points, vetoed_after=vetoed, comment_after=comment,
        total_before=before[3], total_after=target.total, grade_before=before[4],
        grade_after=target.grade, reason=reason, by=actor,
    )  # fmt: skip
    audit.record(actor, "assessment.score.corrected", target, payload={
        "indicator": indicator.pk, "correction": correction.pk, "reason": reason,
        "points": [str(before[0]), str(points)], "vetoed": [before[1], vetoed],
        "total": [str(before[3]), str(target.total)], "grade": [before[4], target.grade],
    })  # fmt: skip
    from mofan.assessment import notices
    from mofan.assessment.choices import AwardState
    from mofan.assessment.models import Award

    notices.score_corrected(correction)
    # 创建 evaluations drawn from this result while it was different: their lists say so.
    correction.open_awards = list(
        Award.objects.filter(round=round_).exclude(state=AwardState.PUBLISHED)
        .values_list("title", flat=True)
    )  # fmt: skip
    return correction


@transaction.atomic
def start_scoring(round_: Round, *, actor) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state != RoundState.SELF:
        raise InvalidInput("只有自评阶段的考核可以进入评审。")
    round_.state = RoundState.SCORING
    round_.version += 1
    round_.save(update_fields=["state", "version"])
    audit.record(actor, "assessment.round.scoring", round_)
    from mofan.assessment import notices

    notices.self_closed(round_)
    return round_


@transaction.atomic
def publish(round_: Round, *, actor) -> Round:
    round_ = Round.objects.select_for_update().select_related("scheme").get(pk=round_.pk)
    if round_.state != RoundState.SCORING:
        raise InvalidInput("只有评审阶段的考核可以公布结果。")
    compute_round(round_, actor=actor)
    open_ = round_.targets.filter(unscored__gt=0).count()
    if open_:
        raise InvalidInput(f"还有{open_}个组织的评审计分指标尚未评分，不能公布。")
    round_.state, round_.published_at = RoundState.PUBLISHED, timezone.now()
    round_.version += 1
    round_.save(update_fields=["state", "published_at", "version"])
    grades = dict(round_.targets.values_list("grade").annotate(n=Count("id")).order_by())
    audit.record(actor, "assessment.round.published", round_,
                 payload={g or "none": n for g, n in grades.items()})  # fmt: skip
    notices.round_published(round_)
    return round_
