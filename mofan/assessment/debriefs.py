"""述职评议 (基层党组织书记抓党建述职评议): the organiser lists who reports, prints one slip per
voter, opens the vote, each voter casts one anonymous ballot from the slip's QR code on their
phone, the organiser closes the vote (the tally appears only then) and publishes the result.

Anonymity and "one slip, one ballot" are kept together by one transaction per ballot: the slip is
spent (only if it was not already) and the counts of the grades the ballot gave go up by one —
nothing else is written, so no row, order, time or audit record of a ballot exists to be linked
to a voter. Refused with a Chinese message, changing nothing: a code that is no slip of an open
vote, a spent slip, a ballot after the vote closed, a ballot that leaves someone ungraded."""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Value, When
from django.utils import timezone

from mofan.assessment import duties, rules
from mofan.assessment.choices import LEADING_KINDS, DebriefKind, DebriefState, Grade, Mark
from mofan.assessment.models import Debrief, DebriefComment, Debriefer, Slip
from mofan.audit import services as audit
from mofan.core.errors import (
    InvalidInput,
    StaleEdit,
    UserFacingError,
    check_version,
    text_input,
)
from mofan.orgs.choices import OrgKind, PositionTitle
from mofan.orgs.models import PartyOrg, Person

MOST_VOTERS = 2000
CODE_LENGTH = 16  # base32: 80 bits, printed as four groups of four
# What each grade is worth in the composite score (好 100, 较好 80, 一般 60, 差 0); 不了解 is
# left out of it. The composite is graded by the scheme's default bands (90/80/60).
WORTH = {Mark.GOOD: 100, Mark.FAIR_GOOD: 80, Mark.FAIR: 60, Mark.POOR: 0}
CENT = Decimal("0.01")
DEFAULT_POOR_SHARE = Decimal(20)
LONGEST_COMMENT = 300


UNKNOWN_CODE = "票码无效，请核对评议票上的票码或重新扫码。"


class BallotRefused(UserFacingError):
    status_code = 409


def _now() -> datetime:
    return timezone.now()


def _draft(debrief: Debrief, version=None) -> Debrief:
    locked = Debrief.objects.select_for_update().get(pk=debrief.pk)
    if version is not None and str(locked.version) != str(version):
        raise StaleEdit()
    if locked.state != DebriefState.DRAFT:
        raise InvalidInput("投票已经开始，述职人和评议人数不能再修改。")
    return locked


def _touch(debrief: Debrief) -> None:
    debrief.version += 1
    debrief.save(update_fields=["version"])


def _voters(value) -> int:
    text = str(value or "").strip()
    if not text.isdecimal() or not 1 <= int(text) <= MOST_VOTERS:
        raise InvalidInput(f"评议人数须为1至{MOST_VOTERS}之间的整数。")
    return int(text)


def _closes_at(value, held_on: date) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, datetime):
        raise InvalidInput("投票截止时间格式有误。")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if timezone.localtime(value).date() < held_on:
        raise InvalidInput("投票截止时间不能早于述职评议日期。")
    return value


# -- the slips ---------------------------------------------------------------------------------


def _code(seed: str, number: int) -> str:
    mac = crypto_hmac.HMAC(bytes.fromhex(seed), hashes.SM3())
    mac.update(f"slip {number}".encode())
    return base64.b32encode(mac.finalize()).decode()[:CODE_LENGTH]


def digest(code: str) -> str:
    """What a slip keeps of its code. A plain hash suffices: the code is 80 random bits."""
    return hashlib.sha256(code.encode()).hexdigest()


def normalised(code: str) -> str:
    """A code as typed from the slip: spaces and dashes dropped, case ignored, and the letters
    people confuse with digits read as base32 has them (0 → O, 1 → I, 8 → B)."""
    text = "".join(str(code or "").split()).replace("-", "").upper()
    return text.translate(str.maketrans("018", "OIB"))


def _make_slips(debrief: Debrief) -> None:
    debrief.slips.all().delete()
    debrief.seed = secrets.token_hex(32)
    debrief.save(update_fields=["seed"])
    # Stored in a random order: a slip's row says nothing of where it was printed on the sheet.
    numbers = list(range(debrief.voters))
    secrets.SystemRandom().shuffle(numbers)
    Slip.objects.bulk_create(
        [Slip(debrief=debrief, digest=digest(_code(debrief.seed, n))) for n in numbers],
        batch_size=1000,
    )


def slip_codes(debrief: Debrief) -> list[str]:
    """The codes of the slips, in the order printed (the caller checked the organiser)."""
    if debrief.state not in (DebriefState.DRAFT, DebriefState.OPEN):
        raise InvalidInput("投票已结束，不能再打印评议票。")
    return [_code(debrief.seed, n) for n in range(debrief.voters)]


def grouped(code: str) -> str:
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


# -- keeping the debrief -----------------------------------------------------------------------


def _meeting(org: PartyOrg, meeting):
    """The 评议 meeting must be one the organiser holds."""
    if meeting is None:
        return None
    if meeting.org_id != org.pk:
        raise InvalidInput("述职评议会议须为本组织召开的会议。")
    return meeting


def _poor_share(value) -> Decimal:
    if value in (None, ""):
        return DEFAULT_POOR_SHARE
    try:
        share = Decimal(str(value).strip())
    except ArithmeticError as exc:
        raise InvalidInput("约谈线须为0至100之间的数。") from exc
    if not share.is_finite() or not Decimal(0) <= share <= Decimal(100):
        raise InvalidInput("约谈线须为0至100之间的数。")
    return share.quantize(CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def create_debrief(
    *, actor, org: PartyOrg, year, title, held_on: date, voters, closes_at=None,
    kind=DebriefKind.SECRETARY, meeting=None, poor_share=None,
) -> Debrief:  # fmt: skip
    today = timezone.localdate()
    if not isinstance(year, int) or not today.year - 1 <= year <= today.year + 1:
        raise InvalidInput(f"只能组织{today.year - 1}至{today.year + 1}年度的述职评议。")
    if not isinstance(held_on, date):
        raise InvalidInput("请填写述职评议日期。")
    kind = kind or DebriefKind.SECRETARY
    if kind not in DebriefKind.values:
        raise InvalidInput("请选择述职评议类别。")
    debrief = Debrief.objects.create(
        org=org, year=year, held_on=held_on, created_by=actor, kind=kind,
        title=text_input(title, "名称", required=True, longest=200),
        voters=_voters(voters), closes_at=_closes_at(closes_at, held_on),
        meeting=_meeting(org, meeting), poor_share=_poor_share(poor_share),
    )  # fmt: skip
    _make_slips(debrief)
    audit.record(actor, "assessment.debrief.created", debrief,
                 payload={"org": org.pk, "year": year, "voters": debrief.voters, "kind": kind})  # fmt: skip
    return debrief


@transaction.atomic
def change(
    debrief: Debrief, *, actor, version, title, held_on: date, voters, closes_at=None,
    meeting=None, poor_share=None,
):  # fmt: skip
    locked = _draft(debrief, version)
    if not isinstance(held_on, date):
        raise InvalidInput("请填写述职评议日期。")
    before = {"title": locked.title, "held_on": str(locked.held_on), "voters": locked.voters,
              "meeting": locked.meeting_id, "poor_share": str(locked.poor_share)}  # fmt: skip
    locked.title = text_input(title, "名称", required=True, longest=200)
    locked.held_on = held_on
    new_voters = _voters(voters)
    locked.closes_at = _closes_at(closes_at, held_on)
    locked.meeting = _meeting(locked.org, meeting)
    locked.poor_share = _poor_share(poor_share)
    reprint = new_voters != locked.voters
    locked.voters = new_voters
    locked.save(update_fields=["title", "held_on", "voters", "closes_at", "meeting", "poor_share"])
    if reprint:  # slips printed before no longer count: a new sheet must be printed
        _make_slips(locked)
    _touch(locked)
    audit.record(actor, "assessment.debrief.changed", locked, changes={
        "before": before,
        "after": {"title": locked.title, "held_on": str(held_on), "voters": new_voters,
                  "meeting": locked.meeting_id, "poor_share": str(locked.poor_share)},
    })  # fmt: skip
    return locked


def reporting_orgs(debrief: Debrief, orgs):
    """Of `orgs`, those below the organiser whose leaders report in this kind of 述职评议."""
    orgs = orgs.exclude(pk=debrief.org_id).exclude(kind=OrgKind.GROUP)
    if debrief.kind == DebriefKind.LEADER:
        orgs = orgs.filter(kind__in=LEADING_KINDS)
    return orgs


def reporters(org: PartyOrg, on: date):
    """Who may report for an organisation: those holding a position in it on the day, the
    secretary first."""
    order = [PositionTitle.SECRETARY, PositionTitle.DEPUTY_SECRETARY]
    return duties.holders(org, on).order_by(
        Case(*[When(title=t, then=Value(n)) for n, t in enumerate(order)], default=Value(len(order))),
        "title", "pk",
    )  # fmt: skip


@transaction.atomic
def add_debriefer(debrief: Debrief, *, actor, org: PartyOrg, person: Person, version=None):
    locked = _draft(debrief, version)
    if org.pk == locked.org_id or not org.path.startswith(locked.org.path):
        raise InvalidInput("述职人须来自本组织的下级组织。")
    if not reporting_orgs(locked, PartyOrg.objects.filter(pk=org.pk)).exists():
        raise InvalidInput(
            "党委（党组）负责人述职党建的述职人须来自下级党委、党组或机关党委。"
            if locked.kind == DebriefKind.LEADER else "党小组不单独述职。"
        )  # fmt: skip
    position = reporters(org, locked.held_on).filter(person=person).first()
    if position is None:
        raise InvalidInput(
            f"{person.name}在{locked.held_on:%Y年%m月%d日}未在{org.name}任职，不能作为该组织的述职人。"
        )
    if locked.debriefers.filter(org=org).exists():
        raise InvalidInput(f"{org.name}已有述职人。")
    last = locked.debriefers.order_by("-order").values_list("order", flat=True).first() or 0
    debriefer = Debriefer.objects.create(
        debrief=locked, order=last + 1, org=org, person=person, post=position.get_title_display()
    )
    _touch(locked)
    audit.record(actor, "assessment.debrief.reporter_added", locked,
                 payload={"org": org.pk, "person": person.pk})  # fmt: skip
    return debriefer


@transaction.atomic
def remove_debriefer(debrief: Debrief, *, actor, debriefer_id: int, version=None) -> None:
    locked = _draft(debrief, version)
    deleted, _ = locked.debriefers.filter(pk=debriefer_id).delete()
    if not deleted:
        raise InvalidInput("该述职人不在本次述职评议中。")
    _touch(locked)
    audit.record(actor, "assessment.debrief.reporter_removed", locked,
                 payload={"debriefer": debriefer_id})  # fmt: skip


@transaction.atomic
def open_vote(debrief: Debrief, *, actor, version=None) -> Debrief:
    locked = _draft(debrief, version)
    if not locked.debriefers.exists():
        raise InvalidInput("请先添加述职人。")
    if locked.closes_at is not None and locked.closes_at <= _now():
        raise InvalidInput("投票截止时间已过，请先修改截止时间。")
    locked.state = DebriefState.OPEN
    locked.opened_at = _now()
    locked.save(update_fields=["state", "opened_at"])
    _touch(locked)
    audit.record(actor, "assessment.debrief.opened", locked, payload={"voters": locked.voters})
    return locked


def _advance(debrief: Debrief, *, before: str, after: str, stamp: str, refusal: str) -> Debrief:
    """Move the vote on one state under its row lock (which waits for any ballot being cast),
    stamping the time of the move and a new version in the same write."""
    locked = Debrief.objects.select_for_update().get(pk=debrief.pk)
    if locked.state != before:
        raise InvalidInput(refusal)
    locked.state = after
    setattr(locked, stamp, _now())
    locked.version += 1
    locked.save(update_fields=["state", stamp, "version"])
    return locked


@transaction.atomic
def close_vote(debrief: Debrief, *, actor) -> Debrief:
    """End the vote: from now the tally shows."""
    locked = _advance(debrief, before=DebriefState.OPEN, after=DebriefState.CLOSED,
                      stamp="closed_at", refusal="只有投票中的述职评议可以结束投票。")  # fmt: skip
    audit.record(actor, "assessment.debrief.closed", locked,
                 payload={"issued": locked.voters, "cast": cast_count(locked)})  # fmt: skip
    return locked


@transaction.atomic
def publish(debrief: Debrief, *, actor) -> Debrief:
    locked = _advance(debrief, before=DebriefState.CLOSED, after=DebriefState.PUBLISHED,
                      stamp="published_at", refusal="请先结束投票、核对计票结果后再公布。")  # fmt: skip
    audit.record(actor, "assessment.debrief.published", locked,
                 payload={"results": [line.as_dict() for line in tally(locked)]})  # fmt: skip
    from mofan.assessment import notices

    notices.debrief_published(locked)
    return locked


@transaction.atomic
def delete_debrief(debrief: Debrief, *, actor) -> None:
    locked = _draft(debrief)
    audit.record(actor, "assessment.debrief.deleted", locked, payload={"title": locked.title})
    locked.delete()


# -- the 述职报告 ------------------------------------------------------------------------------


def report_token(debriefer: Debriefer) -> int:
    """What a 述职报告 form carries to tell a stale edit: the time of the last submission (each
    one who reports writes their own, so one's submission does not make another's form stale)."""
    return int(debriefer.reported_at.timestamp() * 1_000_000) if debriefer.reported_at else 0


@transaction.atomic
def submit_report(debriefer: Debriefer, *, actor, text="", upload=None, version=None) -> Debriefer:
    """The 述职报告 of one who reports: text, a file, or both; may be revised until the vote
    closes (the caller checked that the actor is the one who reports or keeps their
    organisation's records). `version`: the report_token the form was read with."""
    from mofan.core.uploads import keep_upload

    check_version(version)
    debrief = Debrief.objects.select_for_update().only("state").get(pk=debriefer.debrief_id)
    if debrief.state not in (DebriefState.DRAFT, DebriefState.OPEN):
        raise InvalidInput("投票已经结束，述职报告不能再修改。")
    locked = Debriefer.objects.select_for_update().get(pk=debriefer.pk)
    if version is not None and str(version) != str(report_token(locked)):
        raise StaleEdit()
    body = text_input(text, "述职报告", required=False, longest=20000)
    if not body and upload is None and not locked.report_file:
        raise InvalidInput("请填写述职报告或上传述职报告文件。")
    if upload is not None:
        keep_upload(locked, upload, field="report_file", name_field="report_name")
    first = locked.reported_at is None
    locked.report_text = body
    locked.reported_at = _now()
    locked.save(update_fields=["report_text", "report_file", "report_name", "reported_at"])
    audit.record(actor, "assessment.debrief.report_submitted", debrief, payload={
        "debriefer": locked.pk, "first": first, "file": locked.report_name,
        "characters": len(body),
    })  # fmt: skip
    return locked


# -- voting ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ballot:
    debrief: Debrief
    debriefers: list


def ballot_for(code: str) -> Ballot:
    """The vote a slip's code opens, for the ballot page (refused if the code is no slip, the
    slip was used, or the vote is not open)."""
    slip = (
        Slip.objects.filter(digest=digest(normalised(code))).select_related("debrief__org").first()
    )
    if slip is None:
        raise InvalidInput(UNKNOWN_CODE)
    debrief = slip.debrief
    _refuse_unless_open(debrief)
    if slip.spent:
        raise BallotRefused("这张评议票已经投过，每张票只能投一次。")
    people = list(debrief.debriefers.select_related("person", "org"))
    return Ballot(debrief, people)


def _refuse_unless_open(debrief: Debrief) -> None:
    if debrief.state == DebriefState.DRAFT:
        raise BallotRefused("投票尚未开始，请等待主持人宣布开始投票。")
    if debrief.state != DebriefState.OPEN or (
        debrief.closes_at is not None and debrief.closes_at <= _now()
    ):
        raise BallotRefused("投票已经结束，不能再投票。")


def _comments(comments, people: dict) -> dict[int, str]:
    found = {}
    for key, value in (comments or {}).items():
        if not str(key).isdecimal() or int(key) not in people:
            raise InvalidInput("评议票中有不在本次述职评议中的述职人。")
        # Runs of spaces and line breaks become one space, from the page and the API alike: a
        # voter's layout is a mark that could tell who wrote it, and the same words given by
        # several voters are shown once with how many gave them.
        text = " ".join(str(value or "").split())
        if len(text) > LONGEST_COMMENT:
            raise InvalidInput(f"对{people[int(key)]}的意见建议不能超过{LONGEST_COMMENT}字。")
        if text:
            found[int(key)] = text
    return found


def cast(code: str, marks: dict, comments: dict | None = None) -> None:
    """One ballot: a grade for each one who reported, and an optional comment on each. Spends
    the slip, counts the grades and keeps the comments in one transaction, under the debrief's
    lock (so closing the vote waits for it)."""
    hashed = digest(normalised(code))
    found = Slip.objects.filter(digest=hashed).values_list("pk", "debrief_id").first()
    if found is None:
        raise InvalidInput(UNKNOWN_CODE)
    slip_id, debrief_id = found
    people = dict(Debriefer.objects.filter(debrief_id=debrief_id).values_list("pk", "person__name"))
    given = {}
    for key, value in (marks or {}).items():
        if not str(key).isdecimal() or int(key) not in people:
            raise InvalidInput("评议票中有不在本次述职评议中的述职人。")
        if value not in Mark.values:
            raise InvalidInput("评议等次须为好、较好、一般、差或不了解。")
        given[int(key)] = value
    missing = [name for pk, name in people.items() if pk not in given]
    if missing:
        raise InvalidInput(f"请对每位述职人作出评议，尚未评议：{'、'.join(missing)}。")
    remarks = _comments(comments, people)
    with transaction.atomic():
        debrief = Debrief.objects.select_for_update().only("state", "closes_at").get(pk=debrief_id)
        _refuse_unless_open(debrief)
        if not Slip.objects.filter(pk=slip_id, spent=False).update(spent=True):
            raise BallotRefused("这张评议票已经投过，每张票只能投一次。")
        Debriefer.objects.filter(debrief_id=debrief_id).update(**{
            mark: F(mark) + Case(
                *[When(pk=pk, then=Value(1)) for pk, value in given.items() if value == mark],
                default=Value(0), output_field=IntegerField(),
            )
            for mark in set(given.values())
        })  # fmt: skip
        if remarks:
            DebriefComment.objects.bulk_create(
                [DebriefComment(debriefer_id=pk, text=text) for pk, text in remarks.items()]
            )


def comments_of(debriefers) -> dict[int, list[tuple[str, int]]]:
    """The voters' comments on each one who reported, the same words once with how many gave
    them, in the order of their text (the caller checks that the reader may see the tally)."""
    found: dict[int, list[tuple[str, int]]] = {}
    rows = (
        DebriefComment.objects.filter(debriefer__in=debriefers)
        .values_list("debriefer_id", "text").annotate(n=Count("pk")).order_by("text")
    )  # fmt: skip
    for debriefer_id, text, n in rows:
        found.setdefault(debriefer_id, []).append((text, n))
    return found


def cast_count(debrief: Debrief) -> int:
    return debrief.slips.filter(spent=True).count()


# -- the result --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    debriefer: Debriefer
    counts: dict  # mark → count
    graded: int  # ballots that graded (不了解 left out)
    composite: Decimal | None
    approval: Decimal | None  # 好 and 较好, as a percentage of those who graded
    grade: str
    poor_pct: Decimal | None = None  # 差, as a percentage of those who graded
    flagged: bool = False  # 差 above the debrief's line: to be talked with (约谈)

    @property
    def grade_label(self) -> str:
        return Grade(self.grade).label if self.grade else "—"

    def as_dict(self) -> dict:
        return {
            "org": self.debriefer.org_id, "person": self.debriefer.person_id,
            "counts": self.counts, "composite": str(self.composite) if self.composite is not None else None,
            "grade": self.grade, "flagged": self.flagged,
        }  # fmt: skip


def line_of(debriefer: Debriefer, poor_share: Decimal | None = None) -> Line:
    """The counts and figures of one who reported; with `poor_share`, whether their share of 差
    passes it (约谈)."""
    counts = {mark: getattr(debriefer, mark) for mark in Mark.values}
    graded = sum(counts[m] for m in WORTH)
    if not graded:
        return Line(debriefer, counts, 0, None, None, "")

    def share(count: int) -> Decimal:
        return (Decimal(count * 100) / Decimal(graded)).quantize(CENT, rounding=ROUND_HALF_UP)

    composite = (Decimal(sum(counts[m] * w for m, w in WORTH.items())) / Decimal(graded)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )
    grade = rules.grade_for(composite, False, rules.DEFAULT_BANDS)
    poor_pct = share(counts[Mark.POOR])
    # Compared unrounded: 1 差 in 3 is 33.33…%, above a line of 33.33.
    flagged = poor_share is not None and counts[Mark.POOR] * 100 > poor_share * graded
    return Line(debriefer, counts, graded, composite, share(counts[Mark.GOOD] + counts[Mark.FAIR_GOOD]),
                grade, poor_pct, flagged)  # fmt: skip


def tally(debrief: Debrief) -> list[Line]:
    """Each one who reported with the counts and the composite (the caller checks that the vote
    is closed, or published, for this reader)."""
    return [
        line_of(d, debrief.poor_share) for d in debrief.debriefers.select_related("person", "org")
    ]


def shows_tally(debrief: Debrief) -> bool:
    return debrief.state in (DebriefState.CLOSED, DebriefState.PUBLISHED)
