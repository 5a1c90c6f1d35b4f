"""The steps of 发展党员 and their time rules, as data, by 《中国共产党发展党员工作细则》
(中办发〔2014〕34号). Each step names the stages it is taken in, the steps that must come before
it, its article and, where the rules fix one, the earliest day it may be taken and the day it is
due by — worked out from the file's own dates, never from today, so a list can be sorted by
them and the daily check is one indexed query."""

from dataclasses import dataclass
from datetime import date, timedelta

from mofan.ledger.workdays import workdays_between
from mofan.members.rules import add_months, cn
from mofan.recruitment.choices import Stage, StepKind

SOURCE = "《中国共产党发展党员工作细则》"
MIN_AGE = 18  # 第五条
TALK_MONTHS = 1  # 第七条
REVIEW_MONTHS = 6  # 第十二条, 第三十三条
CULTIVATION_YEARS = 1  # 第十四条
TRAINING_DAYS, TRAINING_HOURS = 3, 24  # 第二十条
# The 公示 of a 发展对象 before the higher committee's 预审: at least five working days is what
# organs do; a setting of practice, not of the 细则.
PUBLICITY_WORKDAYS = 5
APPROVAL_MONTHS = 3  # 第二十八条, 第三十五条
PROBATION_YEARS = 1  # 第三十三条 (预备期一年，从支部大会通过之日起计算)
CONFIRMATION_MONTHS = 1  # the 支部大会 on 转正 within the month after the probation ends
EXTENSION_MONTHS = (6, 12)  # 第三十四条: 延长预备期不能少于半年，最长不超过一年


@dataclass(frozen=True)
class StepRule:
    kind: str
    stages: frozenset
    after: tuple = ()
    article: str = ""
    moves_to: str | None = None
    repeatable: bool = False


LIVE = frozenset({Stage.APPLICANT, Stage.ACTIVIST, Stage.NOMINEE, Stage.PROBATIONARY})

STEPS = {
    StepKind.TALK: StepRule(
        StepKind.TALK, frozenset({Stage.APPLICANT}),
        article="第七条：党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话",
    ),
    StepKind.ACTIVIST: StepRule(
        StepKind.ACTIVIST, frozenset({Stage.APPLICANT}), after=(StepKind.TALK,),
        article="第八条、第九条：采取党员推荐、群团组织推优等方式产生人选，由支部委员会研究决定并报"
        "上级党委备案；指定一至两名正式党员作培养联系人",
        moves_to=Stage.ACTIVIST,
    ),
    StepKind.REVIEW: StepRule(
        StepKind.REVIEW, frozenset({Stage.ACTIVIST, Stage.PROBATIONARY}),
        article="第十二条、第三十三条：党组织每半年对入党积极分子（预备党员）进行一次考察",
        repeatable=True,
    ),
    StepKind.NOMINEE: StepRule(
        StepKind.NOMINEE, frozenset({Stage.ACTIVIST}),
        article="第十四条、第十五条：经过一年以上培养教育和考察、基本具备党员条件的入党积极分子，"
        "支部委员会讨论同意并报上级党委备案后，可列为发展对象；发展对象应当有两名正式党员作入党介绍人",
        moves_to=Stage.NOMINEE,
    ),
    StepKind.POLITICAL: StepRule(
        StepKind.POLITICAL, frozenset({Stage.NOMINEE}),
        article="第十七条：对发展对象进行政治审查，未经政治审查或者政治审查不合格的，不能发展入党",
    ),
    StepKind.TRAINING: StepRule(
        StepKind.TRAINING, frozenset({Stage.NOMINEE}),
        article="第二十条：对发展对象进行短期集中培训，时间一般不少于三天（或者不少于二十四个学时）",
    ),
    StepKind.PUBLICITY: StepRule(
        StepKind.PUBLICITY, frozenset({Stage.NOMINEE}),
        after=(StepKind.POLITICAL, StepKind.TRAINING),
        article=f"预审前对发展对象进行公示，公示期不少于{PUBLICITY_WORKDAYS}个工作日",
    ),
    StepKind.PRE_REVIEW: StepRule(
        StepKind.PRE_REVIEW, frozenset({Stage.NOMINEE}),
        after=(StepKind.POLITICAL, StepKind.TRAINING, StepKind.PUBLICITY),
        article="第二十一条、第二十二条：支部委员会审查合格后，报具有审批权限的基层党委预审",
    ),
    StepKind.ADMISSION: StepRule(
        StepKind.ADMISSION, frozenset({Stage.NOMINEE}), after=(StepKind.PRE_REVIEW,),
        article="第二十四条、第二十五条：接收预备党员须经支部党员大会讨论；有表决权的到会人数必须"
        "超过应到会有表决权人数的半数，赞成人数超过应到会有表决权的正式党员的半数才能通过",
    ),
    StepKind.APPROVAL: StepRule(
        StepKind.APPROVAL, frozenset({Stage.NOMINEE}), after=(StepKind.ADMISSION,),
        article="第二十八条：基层党委审批预备党员，应当在三个月内审批",
        moves_to=Stage.PROBATIONARY,
    ),
    StepKind.OATH: StepRule(
        StepKind.OATH, frozenset({Stage.PROBATIONARY}),
        article="第三十二条：预备党员应当面向党旗进行入党宣誓",
    ),
    StepKind.CONFIRMATION: StepRule(
        StepKind.CONFIRMATION, frozenset({Stage.PROBATIONARY}),
        article="第三十四条：预备党员预备期满，党支部应当及时讨论其能否转为正式党员；需要继续考察"
        "和教育的，可以延长一次预备期，延长时间不能少于半年，最长不超过一年",
    ),
    StepKind.CONFIRM_APPROVAL: StepRule(
        StepKind.CONFIRM_APPROVAL, frozenset({Stage.PROBATIONARY}),
        after=(StepKind.CONFIRMATION,),
        article="第三十五条：基层党委审批预备党员转正，应当在三个月内审批",
    ),
    # A probationary member is a party member: only the 支部党员大会 on 转正 can cancel that.
    StepKind.END: StepRule(
        StepKind.END, frozenset({Stage.APPLICANT, Stage.ACTIVIST, Stage.NOMINEE}),
        article="申请人撤回申请，或党组织决定不再发展（须写明原因）；预备党员须经支部党员大会讨论取消预备党员资格",
        moves_to=Stage.ENDED,
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Facts:
    """The dates of one file that the time rules read (kept on the Applicant row)."""

    stage: str
    applied_on: date
    talked_on: date | None = None
    activist_on: date | None = None
    nominee_on: date | None = None
    political_on: date | None = None
    trained_on: date | None = None
    publicity_ends_on: date | None = None
    pre_review_on: date | None = None
    admitted_on: date | None = None  # the 支部党员大会 that passed the admission
    approved_on: date | None = None
    oath_on: date | None = None
    probation_ends_on: date | None = None
    confirmation_on: date | None = None  # the last 支部党员大会 on 转正 (awaiting approval)
    last_review_on: date | None = None  # the last 考察 in the current stage
    reviews: int = 0  # 考察 in the current stage


def done_from(f: Facts) -> set[str]:
    """The steps a file has taken, read off its dates (a vote that did not pass left none)."""
    dated = {
        StepKind.TALK: f.talked_on, StepKind.ACTIVIST: f.activist_on,
        StepKind.NOMINEE: f.nominee_on, StepKind.POLITICAL: f.political_on,
        StepKind.TRAINING: f.trained_on, StepKind.PUBLICITY: f.publicity_ends_on,
        StepKind.PRE_REVIEW: f.pre_review_on, StepKind.ADMISSION: f.admitted_on,
        StepKind.APPROVAL: f.approved_on, StepKind.OATH: f.oath_on,
        StepKind.CONFIRMATION: f.confirmation_on,
    }  # fmt: skip
    return {kind for kind, day in dated.items() if day is not None}


@dataclass(frozen=True)
class Requirement:
    kind: str
    earliest: date | None  # not before this day
    due: date | None  # by this day
    note: str
    article: str

    @property
    def label(self) -> str:
        return StepKind(self.kind).label

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today

    def waiting(self, today: date) -> bool:
        return self.earliest is not None and self.earliest > today


def _review_base(f: Facts) -> date | None:
    start = f.activist_on if f.stage == Stage.ACTIVIST else f.admitted_on
    return f.last_review_on or start


def requirements(f: Facts, done: set[str]) -> list[Requirement]:
    """What the rules still require of the file, in order, each with its dates."""
    found: list[Requirement] = []

    def need(kind, *, earliest=None, due=None, note=""):
        found.append(Requirement(kind, earliest, due, note, STEPS[kind].article))

    if f.stage == Stage.APPLICANT:
        if StepKind.TALK not in done:
            due = add_months(f.applied_on, TALK_MONTHS)
            need(StepKind.TALK, due=due, note=f"收到入党申请书后一个月内（{cn(due)}前）派人谈话")
        else:
            need(
                StepKind.ACTIVIST,
                earliest=f.talked_on,
                note="经党员推荐或群团组织推优，由支部委员会研究决定",
            )
    elif f.stage == Stage.ACTIVIST:
        due = add_months(_review_base(f), REVIEW_MONTHS)
        need(StepKind.REVIEW, due=due, note=f"每半年考察一次，下一次应在{cn(due)}前")
        earliest = add_months(f.activist_on, CULTIVATION_YEARS * 12)
        need(
            StepKind.NOMINEE,
            earliest=earliest,
            note=f"积极分子培养期满一年：{cn(earliest)}后方可列为发展对象"
            + ("" if f.reviews >= 2 else f"（目前已考察{f.reviews}次，须每半年考察一次）"),
        )
    elif f.stage == Stage.NOMINEE:
        for kind in (StepKind.POLITICAL, StepKind.TRAINING):
            if kind not in done:
                need(kind, earliest=f.nominee_on)
        if StepKind.PUBLICITY not in done:
            need(
                StepKind.PUBLICITY,
                note=f"政治审查、集中培训完成后公示，不少于{PUBLICITY_WORKDAYS}个工作日",
            )
        elif StepKind.PRE_REVIEW not in done:
            after = f.publicity_ends_on + timedelta(days=1)
            need(
                StepKind.PRE_REVIEW,
                earliest=after,
                note=f"公示期至{cn(f.publicity_ends_on)}，期满后方可报上级党委预审",
            )
        elif StepKind.ADMISSION not in done:
            need(
                StepKind.ADMISSION,
                earliest=f.pre_review_on,
                note="预审合格后，由支部党员大会讨论表决",
            )
        else:
            due = add_months(f.admitted_on, APPROVAL_MONTHS)
            need(
                StepKind.APPROVAL,
                earliest=f.admitted_on,
                due=due,
                note=f"支部党员大会通过后三个月内（{cn(due)}前）审批",
            )
    elif f.stage == Stage.PROBATIONARY:
        if StepKind.OATH not in done:
            need(StepKind.OATH, earliest=f.approved_on)
        if f.confirmation_on is not None:
            due = add_months(f.confirmation_on, APPROVAL_MONTHS)
            need(
                StepKind.CONFIRM_APPROVAL,
                earliest=f.confirmation_on,
                due=due,
                note=f"支部党员大会讨论后三个月内（{cn(due)}前）审批",
            )
        else:
            review_due = add_months(_review_base(f), REVIEW_MONTHS)
            if review_due < f.probation_ends_on:
                need(
                    StepKind.REVIEW,
                    due=review_due,
                    note=f"预备期内每半年考察一次，下一次应在{cn(review_due)}前",
                )
            due = add_months(f.probation_ends_on, CONFIRMATION_MONTHS)
            need(
                StepKind.CONFIRMATION,
                earliest=f.probation_ends_on,
                due=due,
                note=f"预备期{cn(f.probation_ends_on)}满，此后一个月内（{cn(due)}前）由支部党员大会讨论转正",
            )
    return found  # fmt: skip


def too_early(kind: str, f: Facts, on: date, done: set[str]) -> str | None:
    """Why a step cannot be taken on that day yet (the message names the day and the article),
    or None."""
    for need in requirements(f, done):
        if need.kind == kind and need.earliest is not None and on < need.earliest:
            return f"{need.note or StepKind(kind).label + '：' + cn(need.earliest) + '后方可办理'}（{SOURCE}{need.article}）。"
    return None


def next_due(f: Facts, done: set[str]) -> tuple[date | None, str]:
    """The earliest due day among what is still required, and its step."""
    dated = [(r.due, r.kind) for r in requirements(f, done) if r.due is not None]
    return min(dated) if dated else (None, "")


def training_enough(days: int | None, hours) -> bool:
    return (days or 0) >= TRAINING_DAYS or (hours or 0) >= TRAINING_HOURS


def publicity_workdays(starts_on: date, ends_on: date) -> int:
    """Working days from the first day to the last, both counted."""
    return workdays_between(starts_on - timedelta(days=1), ends_on) if ends_on >= starts_on else 0
