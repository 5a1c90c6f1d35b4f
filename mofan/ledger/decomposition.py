"""任务分解 in a ledger: a document read by `mofan.docparse`, its candidate items reviewed by a
supervisor (accepted, rejected, edited, merged, split), then written as draft items in one step,
each pointing back to its paragraph of the source. Every change is one transaction with its
audit record; a stale edit of a candidate is refused (409), never silently applied."""

import re
from collections import Counter
from datetime import date, datetime
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from mofan import docparse
from mofan.audit import services as audit
from mofan.core import uploads
from mofan.core.errors import InvalidInput, StaleEdit
from mofan.core.files import stored_size
from mofan.docparse import readers
from mofan.docparse import text as plain_text
from mofan.ledger import roles
from mofan.ledger.choices import (
    CandidateKind,
    CandidateStatus,
    DecompositionState,
    ReportCycle,
    SourceKind,
)
from mofan.ledger.models import Attachment, Candidate, Decomposition, Item, Ledger, Source
from mofan.ledger.services import NewItem, NotAllowed, add_items_in_bulk, is_ledger_supervisor
from mofan.orgs import pickers
from mofan.orgs.models import Unit

MAX_PASTED_CHARS = 2_000_000
MAX_UPLOAD_BYTES = readers.MAX_BYTES
TOO_LARGE = f"文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB，请拆分后再分解。"
_RECURRING_CYCLES = {
    "周": ReportCycle.WEEKLY,
    "月": ReportCycle.MONTHLY,
    "季": ReportCycle.QUARTERLY,
}


class UnitTree:
    """The unit tree as the parser matches names against it: full names, short names and aliases.
    Where two units share a name (many departments have an "办公室"), the one inside the ledger's
    own unit wins, then the one nearest the root."""

    def __init__(self, ledger: Ledger):
        units = Unit.objects.filter(dissolved_on__isnull=True).only(
            "pk", "name", "short_name", "aliases", "path", "depth", "code"
        )
        inside = ledger.unit.path
        ordered = sorted(units, key=lambda u: (not u.path.startswith(inside), u.depth, u.path))
        self.by_name: dict[str, Unit] = {}
        entries = []
        for unit in ordered:
            aliases = [a for a in re.split(r"[、，,；;|\s]+", unit.aliases) if a]
            entries.append([unit.name, unit.short_name, *aliases])
            self.by_name.setdefault(unit.name, unit)
        self.names = docparse.Units.from_entries(entries)

    def unit(self, name: str) -> Unit | None:
        return self.by_name.get(self.names.canonical(name))

    def resolve(self, value: str) -> Unit | None:
        """A unit a person typed or picked: by code, full name, short name or alias."""
        value = value.strip()
        if not value:
            return None
        code = re.search(r"[（(]([^（）()]+)[）)]$", value)  # "办公厅（UA）" as the picker shows it
        if code:
            found = Unit.objects.filter(code=code.group(1), dissolved_on__isnull=True).first()
            if found:
                return found
        found = Unit.objects.filter(code=value, dissolved_on__isnull=True).first()
        if found:
            return found
        if value in self.names.names:
            return self.by_name.get(self.names.names[value])
        return None


def _holders(actor, ledger: Ledger, unit_ids) -> roles.Holders:
    """Who in these units (of the ledger's subtree) may be proposed as an owner: people with an
    account the supervisor may choose, as the owners picker offers them."""
    people = pickers.choices(actor, "people", within=ledger.unit, account=True)
    return roles.Holders({pk for pk in unit_ids if pk}, people=people)


def _require_supervisor(actor, ledger: Ledger) -> None:
    if not is_ledger_supervisor(actor, ledger):
        raise NotAllowed("只有台账的督办人可以分解文件。")


def _require_open(decomposition: Decomposition) -> None:
    if decomposition.state != DecompositionState.OPEN:
        raise StaleEdit("该文件的分解已经完成或已放弃，不能再修改。")


@transaction.atomic
def start(
    ledger: Ledger,
    *,
    actor,
    data: bytes | None = None,
    name: str = "",
    pasted: str = "",
    on: date | None = None,
    source: Source | None = None,
) -> Decomposition:
    """Read a file (or pasted text) and store what the parser found for review. A file that
    cannot be read raises InvalidInput with the reader's Chinese message; nothing is stored."""
    _require_supervisor(actor, ledger)
    if source is not None and source.ledger_id != ledger.pk:
        raise InvalidInput("该来源不属于本台账。")
    try:
        if data is not None:
            document = docparse.read(data, name, limits=uploads.office_limits())
            paragraphs, file_format = document.paragraphs, document.format
        else:
            if len(pasted) > MAX_PASTED_CHARS:
                raise InvalidInput("粘贴的文本过长（超过 200 万字），请分批分解或上传文件。")
            paragraphs, file_format = plain_text.lines(pasted), "pasted"
            if not paragraphs:
                raise InvalidInput("请上传文件或粘贴文件正文。")
        docparse.readable(paragraphs)
    except docparse.DocumentError as error:
        raise InvalidInput(error.message) from error
    tree = UnitTree(ledger)
    result = docparse.decompose(paragraphs, on=on, units=tree.names, today=timezone.localdate())
    if not result.text.strip():
        raise InvalidInput("文件中没有文字内容。")
    if not result.items:
        # a decomposition with nothing to review is a dead end: say so and keep nothing
        raise InvalidInput(
            f"文中（共 {len(paragraphs)} 段）没有识别出需要督办的工作任务，未保存。"
            "请确认这是部署工作的文件（工作要点、方案、通知、纪要等），而不是情况报告或新闻稿。"
        )
    title = result.title or (PurePosixPath(name).stem if name else "")
    decomposition = Decomposition.objects.create(
        ledger=ledger,
        source=source,
        title=(source.title if source else title)[:300],
        reference=(source.reference if source else result.reference or "")[:100],
        issued_on=(source.issued_on if source and source.issued_on else result.date),
        text=result.text,
        outline=[heading.as_dict() for heading in result.outline],
        file_name=PurePosixPath(name).name[:200] if data is not None else "",
        file_format=file_format,
        created_by=actor,
    )
    if data is not None and source is None:
        decomposition.file.save(_safe_name(name, file_format), ContentFile(data), save=True)
    _store_candidates(decomposition, result.items, tree, actor=actor)
    audit.record(
        actor,
        "ledger.decomposition.started",
        decomposition,
        payload={
            "ledger": ledger.pk,
            "file": decomposition.file_name or "（粘贴文本）",
            "characters": len(result.text),
            "candidates": len(result.items),
        },
    )
    return decomposition


def flat_outline(outline: list[dict]) -> list[dict]:
    """The headings of an outline (as stored), parents before their children."""
    out = []
    for heading in outline:
        out.append(heading)
        out.extend(flat_outline(heading.get("children", [])))
    return out


def _safe_name(name: str, file_format: str) -> str:
    """The name the upload is stored under: its stem, and the suffix of what the reader found it
    to be — never the suffix it came with (an HTML page named .jpg is stored as .html)."""
    stem = re.sub(r"[^\w\u4e00-\u9fff.-]+", "_", PurePosixPath(name).stem)[:80] or "document"
    suffix = PurePosixPath(name).suffix.lower()
    if file_format != "doc" or suffix not in (".doc", ".wps", ".rtf"):
        suffix = f".{file_format}"
    return f"{stem}{suffix}"


def _store_candidates(decomposition: Decomposition, items, tree: UnitTree, *, actor) -> None:
    candidates, co_units, owners = [], [], []
    leads = [next((u for u in map(tree.unit, found.lead_units) if u), None) for found in items]
    holders = _holders(actor, decomposition.ledger, [u.pk for u in leads if u])
    for position, (found, lead) in enumerate(zip(items, leads, strict=True), start=1):
        co = [u for u in map(tree.unit, found.co_units) if u and u != lead]
        unmatched = [name for name in found.lead_units + found.co_units if tree.unit(name) is None]
        written = []
        if found.lead_units:
            written.append("牵头：" + "、".join(found.lead_units))
        if found.co_units:
            written.append("配合：" + "、".join(found.co_units))
        matched = holders.match("、".join(found.owners), lead.pk if lead else None)
        candidates.append(
            Candidate(
                decomposition=decomposition,
                position=position * 10,
                path=found.path[:200],
                text=found.text,
                start=found.start,
                end=found.end,
                paragraph=found.paragraph,
                kind=found.kind,
                lead_unit=lead,
                unit_text="；".join(written)[:300] if unmatched else "",
                owners_text="、".join(found.owners)[:200],
                owners_said=matched.said[:100],
                deadline=found.deadline,
                deadline_text=(found.deadline_text or "")[:100],
                ongoing=found.ongoing,
                recurrence=(found.recurrence or "")[:30],
                confidence=round(found.confidence, 2),
                reason=found.reason[:100],
            )
        )
        co_units.append(co)
        owners.append(matched.people)
    Candidate.objects.bulk_create(candidates, batch_size=1000)
    if candidates and candidates[0].pk is None:
        by_position = dict(decomposition.candidates.values_list("position", "pk"))
        for candidate in candidates:
            candidate.pk = by_position[candidate.position]
    Candidate.co_units.through.objects.bulk_create(
        [
            Candidate.co_units.through(candidate_id=c.pk, unit_id=u.pk)
            for c, units in zip(candidates, co_units, strict=True)
            for u in units
        ],
        batch_size=5000,
    )
    Candidate.owners.through.objects.bulk_create(
        [
            Candidate.owners.through(candidate_id=c.pk, person_id=pk)
            for c, people in zip(candidates, owners, strict=True)
            for pk in people
        ],
        batch_size=5000,
    )


def _locked(candidate: Candidate, *, actor, version: int | None) -> Candidate:
    """The candidate, locked for the change, after the checks every change makes."""
    locked = (
        Candidate.objects.select_for_update()
        .select_related("decomposition__ledger")
        .get(pk=candidate.pk)
    )
    _require_supervisor(actor, locked.decomposition.ledger)
    _require_open(locked.decomposition)
    if version is not None and locked.version != version:
        raise StaleEdit("该条目已被他人修改，请刷新后再试。")
    return locked


def _bump(candidate: Candidate, fields: list[str]) -> None:
    candidate.version += 1
    candidate.save(update_fields=[*fields, "version"])


@transaction.atomic
def review(candidate: Candidate, *, actor, status: str, version: int | None = None) -> Candidate:
    """Accept, reject, or put back to pending."""
    if status not in CandidateStatus.values:
        raise InvalidInput("审核结果无效。")
    candidate = _locked(candidate, actor=actor, version=version)
    candidate.status = status
    _bump(candidate, ["status"])
    return candidate


@transaction.atomic
def review_all(decomposition: Decomposition, *, actor, status: str, minimum: float = 0) -> int:
    """Accept (or reject) every pending candidate at or above a confidence."""
    if status not in (CandidateStatus.ACCEPTED, CandidateStatus.REJECTED):
        raise InvalidInput("审核结果无效。")
    _require_supervisor(actor, decomposition.ledger)
    _require_open(decomposition)
    pending = decomposition.candidates.filter(
        status=CandidateStatus.PENDING, confidence__gte=minimum
    )
    # each one's version moves on, so an edit form still open on one of them goes stale
    return pending.update(status=status, version=F("version") + 1)


@transaction.atomic
def edit(
    candidate: Candidate,
    *,
    actor,
    version: int,
    text: str,
    kind: str,
    lead_unit: Unit | None,
    co_units: list[Unit],
    deadline: date | None,
    deadline_text: str,
    ongoing: bool,
    owners: list | None = None,
) -> Candidate:
    """A person's correction of a candidate; it counts as accepted. Owners given are the ones the
    person chose (no longer a proposal); None keeps the proposed ones."""
    candidate = _locked(candidate, actor=actor, version=version)
    text = text.strip()
    if not text:
        raise InvalidInput("任务内容不能为空。")
    if kind not in CandidateKind.values:
        raise InvalidInput("类别无效。")
    if ongoing and deadline:
        raise InvalidInput("“长期坚持”的事项不设完成时限，二者只能选一。")
    candidate.text = text
    candidate.kind = kind
    candidate.lead_unit = lead_unit
    candidate.deadline = deadline
    candidate.deadline_text = deadline_text.strip()[:100]
    candidate.ongoing = ongoing
    if ongoing or deadline:
        candidate.recurrence = "" if deadline else candidate.recurrence
    candidate.unit_text = ""  # the person has decided the units
    candidate.status = CandidateStatus.ACCEPTED
    if owners is not None:
        candidate.owners_said = ""  # the person has decided the owners
    _bump(
        candidate,
        [
            "text", "kind", "lead_unit", "deadline", "deadline_text", "ongoing",
            "recurrence", "unit_text", "status", "owners_said",
        ],
    )  # fmt: skip
    candidate.co_units.set([u for u in co_units if u != lead_unit])
    if owners is not None:
        candidate.owners.set(owners)
    return candidate


@transaction.atomic
def merge(candidates: list[Candidate], *, actor) -> Candidate:
    """Two or more candidates become one: the texts joined in document order, the first one's
    units and deadline kept, co-units pooled."""
    if len(candidates) < 2:
        raise InvalidInput("请至少勾选两个条目再合并。")
    locked = [_locked(c, actor=actor, version=None) for c in candidates]
    if len({c.decomposition_id for c in locked}) != 1:
        raise InvalidInput("只能合并同一文件中的条目。")
    locked.sort(key=lambda c: c.position)
    first, rest = locked[0], locked[1:]
    pooled = {u.pk: u for c in locked for u in c.co_units.all()}
    owners = list(dict.fromkeys(pk for c in locked for pk in c.owners.values_list("pk", flat=True)))
    first.text = "".join(_joinable(c.text) for c in locked[:-1]) + locked[-1].text
    first.start = min(c.start for c in locked)
    first.end = max(c.end for c in locked)
    first.status = CandidateStatus.ACCEPTED
    first.reason = "人工合并"
    first.owners_said = "、".join(dict.fromkeys(c.owners_said for c in locked if c.owners_said))[
        :100
    ]
    if first.lead_unit is None:
        first.lead_unit = next((c.lead_unit for c in rest if c.lead_unit), None)
    if first.deadline is None and not first.ongoing:
        later = next((c for c in rest if c.deadline or c.ongoing), None)
        if later:
            first.deadline, first.ongoing = later.deadline, later.ongoing
            first.deadline_text = later.deadline_text
    _bump(
        first,
        [
            "text",
            "start",
            "end",
            "status",
            "reason",
            "lead_unit",
            "deadline",
            "ongoing",
            "deadline_text",
            "owners_said",
        ],
    )
    first.co_units.set([u for pk, u in pooled.items() if pk != first.lead_unit_id])
    first.owners.set(owners)
    Candidate.objects.filter(pk__in=[c.pk for c in rest]).delete()
    return first


def _joinable(text: str) -> str:
    return text if re.search(r"[。；;！？!?]$", text) else text + "；"


@transaction.atomic
def _read_part(piece: Candidate, tree: UnitTree, holders, *, on: date | None) -> str:
    """Units, owners and deadline of a split-off part from its own words, as the parser reads an
    item; what the part does not say it keeps from the candidate it was split from. Returns the
    note the reviewer sees on the part."""
    found = docparse.annotate(piece.text, units=tree.names, on=on, today=timezone.localdate())
    said = []
    if found.lead_units or found.co_units:
        lead = next((u for u in map(tree.unit, found.lead_units) if u), None)
        piece.lead_unit = lead
        piece.split_co_units = [u for u in map(tree.unit, found.co_units) if u and u != lead]
        unmatched = [n for n in found.lead_units + found.co_units if tree.unit(n) is None]
        written = []
        if found.lead_units:
            written.append("牵头：" + "、".join(found.lead_units))
        if found.co_units:
            written.append("配合：" + "、".join(found.co_units))
        piece.unit_text = "；".join(written)[:300] if unmatched else ""
        said.append("单位")
    if found.owners:
        piece.owners_text = "、".join(found.owners)[:200]
    if found.owners or found.lead_units:  # named again, or their unit changed: matched again
        matched = holders.match(piece.owners_text, piece.lead_unit_id)
        piece.split_owners, piece.owners_said = matched.people, matched.said[:100]
    if found.deadline or found.ongoing or found.recurrence or found.deadline_text:
        piece.deadline, piece.ongoing = found.deadline, found.ongoing
        piece.deadline_text = (found.deadline_text or "")[:100]
        piece.recurrence = (found.recurrence or "")[:30]
        said.append("时限")
    kept = [what for what in ("单位", "时限") if what not in said]
    note = "人工拆分"
    if said:
        note += "：" + "和".join(said) + "按本条文字重新识别"
    if kept:
        note += ("；" if said else "：") + "本条未写" + "和".join(kept) + "，沿用拆分前的"
    return note


def split(candidate: Candidate, *, actor, version: int, parts: list[str]) -> list[Candidate]:
    """One candidate becomes several, one per part a person marked (a line each). A part found in
    the document keeps its own span there; otherwise it keeps the original's span. Each part's
    units and deadline are read again from its own words (see _read_part)."""
    parts = [part.strip() for part in parts if part.strip()]
    if len(parts) < 2:
        raise InvalidInput("拆分时请把条目分成至少两行，每行一条。")
    candidate = _locked(candidate, actor=actor, version=version)
    decomposition = candidate.decomposition
    following = decomposition.candidates.filter(position__gt=candidate.position)
    step = len(parts) * 10
    for later in following.order_by("-position"):  # make room after the original
        later.position += step
        later.save(update_fields=["position"])
    co_units = list(candidate.co_units.all())
    owners = list(candidate.owners.values_list("pk", flat=True))
    tree = UnitTree(decomposition.ledger)
    holders = _holders(actor, decomposition.ledger, [])
    made = []
    span = (candidate.start, candidate.end)
    cursor = span[0]
    for index, part in enumerate(parts):
        at = decomposition.text.find(part, cursor, span[1] + 1)
        start, end = (at, at + len(part)) if at >= 0 else span
        cursor = end if at >= 0 else cursor
        if index == 0:
            piece = candidate
        else:
            piece = Candidate.objects.get(pk=candidate.pk)
            piece.pk = None
            piece.version = 0
            piece.position = candidate.position + index * 10
        piece.text, piece.start, piece.end = part, start, end
        piece.status = CandidateStatus.ACCEPTED
        piece.split_co_units, piece.split_owners = co_units, owners
        piece.reason = _read_part(piece, tree, holders, on=decomposition.issued_on)[:100]
        if index == 0:
            _bump(
                piece,
                [
                    "text", "start", "end", "status", "reason", "lead_unit", "unit_text",
                    "owners_text", "owners_said", "deadline", "deadline_text", "ongoing",
                    "recurrence",
                ],
            )  # fmt: skip
        else:
            piece.version = 1
            piece.save()
        piece.co_units.set(piece.split_co_units)
        piece.owners.set(piece.split_owners)
        made.append(piece)
    return made


@transaction.atomic
def commit(
    decomposition: Decomposition,
    *,
    actor,
    kind: str = SourceKind.DOCUMENT,
    title: str = "",
    reference: str = "",
    issued_on: date | None = None,
    levels: int = 0,
) -> tuple[Source, list[Item]]:
    """Every accepted candidate becomes a draft item of the ledger, in document order, linked to
    the source record that now holds the document (its file and its text). With `levels` (1 or
    2) the items follow the document's outline: each heading of the first `levels` levels that
    has accepted candidates below it becomes an item, and what is below it its sub-items."""
    decomposition = Decomposition.objects.select_for_update().get(pk=decomposition.pk)
    ledger = decomposition.ledger
    _require_supervisor(actor, ledger)
    _require_open(decomposition)
    accepted = list(
        decomposition.candidates.filter(status=CandidateStatus.ACCEPTED)
        .select_related("lead_unit")
        .prefetch_related("co_units", "owners")
        .order_by("position")
    )
    if not accepted:
        raise InvalidInput("还没有接受任何条目：请先接受要生成督办事项的条目。")
    if kind not in SourceKind.values:
        raise InvalidInput("来源类型无效。")
    if levels not in (0, 1, 2):
        raise InvalidInput("生成方式无效。")
    title = (title or decomposition.title or decomposition.file_name or "分解的文件").strip()
    source = decomposition.source
    if source is None:
        source = Source.objects.create(
            ledger=ledger,
            kind=kind,
            title=title[:300],
            reference=(reference or decomposition.reference)[:100],
            issued_on=issued_on or decomposition.issued_on,
            text=decomposition.text,
        )
        # The stored upload, kept where it is; a file lost from the disk is left out (and logged):
        # the items come from the text, which the decomposition holds.
        size = stored_size(decomposition.file) if decomposition.file else None
        if size is not None:
            Attachment.objects.create(
                source=source,
                file=decomposition.file.name,  # the stored upload, kept where it is
                # Named for what the reader found the file to be (as it is stored), so that the
                # download's type follows its content, not the name it was uploaded under.
                name=(
                    PurePosixPath(decomposition.file_name).stem
                    + PurePosixPath(decomposition.file.name).suffix
                    if decomposition.file_name
                    else PurePosixPath(decomposition.file.name).name
                )[:200],
                size=size,
                uploaded_by=actor,
            )
    elif source.text and source.text != decomposition.text:
        raise InvalidInput("该来源已按另一份文本分解过，请新建任务来源后再分解。")
    elif not source.text:
        source.text = decomposition.text
        source.save(update_fields=["text"])
    new, made_from = _following_outline(decomposition, accepted, source, levels)
    items = add_items_in_bulk(ledger, new, actor=actor)
    for candidate, item in zip(made_from, items, strict=True):
        if candidate is not None:
            candidate.item = item
    Candidate.objects.bulk_update(accepted, ["item"], batch_size=1000)
    decomposition.source = source
    decomposition.state = DecompositionState.COMMITTED
    decomposition.committed_at = timezone.now()
    decomposition.save(update_fields=["source", "state", "committed_at"])
    audit.record(
        actor,
        "ledger.decomposition.committed",
        decomposition,
        payload={
            "ledger": ledger.pk,
            "source": source.pk,
            "items": len(items),
            "first": items[0].number,
            "last": items[-1].number,
            "headings": made_from.count(None),
            "rejected": decomposition.candidates.filter(status=CandidateStatus.REJECTED).count(),
        },
    )
    return source, items


def _following_outline(
    decomposition: Decomposition, accepted: list[Candidate], source: Source, levels: int
) -> tuple[list[NewItem], list[Candidate | None]]:
    """The items to write, in document order, and for each the candidate it comes from (None for
    an item made from a heading). A heading's item takes the lead unit its sub-items share (none
    where they differ, for the supervisor to set), and the latest of their deadlines when all
    of them have one (long-term when all are)."""
    headings = {h["path"]: h for h in flat_outline(decomposition.outline)}
    under = Counter(
        "/".join(segments[:depth])
        for segments in (c.path.split("/") for c in accepted if c.path)
        for depth in range(1, len(segments) + 1)
    )

    def groups(path: str) -> bool:
        """A heading is a group of items when it has headings below it or two accepted items
        lie below it; a numbered line that is one item stays that item."""
        heading = headings.get(path)
        return heading is not None and (under[path] >= 2 or bool(heading.get("children")))

    new: list[NewItem] = []
    made_from: list[Candidate | None] = []
    at: dict[str, int] = {}  # heading path → index of its item
    for candidate in accepted:
        segments = candidate.path.split("/") if candidate.path else []
        parent = None
        for depth in range(min(levels, len(segments))):
            path = "/".join(segments[: depth + 1])
            if not groups(path):
                continue
            heading = headings[path]
            if path not in at:
                new.append(_heading_item(decomposition, heading, candidate, source, parent))
                made_from.append(None)
                at[path] = len(new) - 1
            parent = at[path]
        entry = _new_item(candidate, source)
        entry.parent = parent
        new.append(entry)
        made_from.append(candidate)
    leaves: dict[int, list[Item]] = {index: [] for index in at.values()}
    for entry, candidate in zip(new, made_from, strict=True):
        upper = entry.parent
        while candidate is not None and upper is not None:
            leaves[upper].append(entry.item)
            upper = new[upper].parent
    for index, below in leaves.items():
        item = new[index].item
        units = {leaf.lead_unit_id for leaf in below}
        item.lead_unit = below[0].lead_unit if len(units) == 1 else None
        if all(leaf.ongoing for leaf in below):
            item.ongoing = True
        elif all(leaf.deadline for leaf in below):
            item.deadline = max(leaf.deadline for leaf in below)
    return new, made_from


def _heading_item(decomposition, heading: dict, first: Candidate, source, parent) -> NewItem:
    """The item a heading of the document becomes: its title, pointing at the heading's line."""
    written = heading["number"] + heading["title"]
    text = decomposition.text
    start = text.rfind(written, 0, first.start + 1)
    item = Item(
        source=source,
        content=heading["title"].strip().rstrip("。；;：:") or heading["number"],
        report_cycle=ReportCycle.MONTHLY,
    )
    if start >= 0:
        item.source_start, item.source_end = start, start + len(written)
        item.source_paragraph = text.count("\n", 0, start)
    note = f"由文件分解生成（按文件层级，{heading['path']} 标题）"
    return NewItem(item, note=note, parent=parent)


def _new_item(candidate: Candidate, source: Source) -> NewItem:
    ongoing = candidate.ongoing or (candidate.kind == CandidateKind.RULE and not candidate.deadline)
    cycle = ReportCycle.MONTHLY
    if candidate.recurrence:
        ongoing = not candidate.deadline
        # the rhythm is the word after 每: "每季度末月20日" is quarterly, though it names a month
        unit = next(
            (c for key, c in _RECURRING_CYCLES.items() if candidate.recurrence[1:].startswith(key)),
            None,
        )
        cycle = unit or ReportCycle.NONE
    note = candidate.deadline_text
    if candidate.recurrence and not note:
        note = f"{candidate.recurrence}前"
    item = Item(
        source=source,
        content=candidate.text,
        lead_unit=candidate.lead_unit,
        deadline=None if ongoing else candidate.deadline,
        deadline_note=note[:100],
        ongoing=ongoing,
        report_cycle=cycle,
        source_paragraph=candidate.paragraph,
        source_start=candidate.start,
        source_end=candidate.end,
    )
    comment = f"由文件分解生成（{candidate.path or '正文'}）"
    if candidate.owners_text:
        comment += f"；文件所列责任人：{candidate.owners_text}"
    if candidate.unit_text:
        comment += f"；文件所列单位：{candidate.unit_text}"
    return NewItem(
        item,
        co_units=list(candidate.co_units.all()),
        owners=list(candidate.owners.all()),
        note=comment,
    )


@transaction.atomic
def discard(decomposition: Decomposition, *, actor) -> None:
    decomposition = Decomposition.objects.select_for_update().get(pk=decomposition.pk)
    _require_supervisor(actor, decomposition.ledger)
    _require_open(decomposition)
    decomposition.state = DecompositionState.DISCARDED
    decomposition.discarded_at = timezone.now()
    decomposition.save(update_fields=["state", "discarded_at"])
    audit.record(actor, "ledger.decomposition.discarded", decomposition, payload={})


def purge_discarded(*, before: datetime) -> tuple[int, int]:
    """The uploaded files of decompositions discarded before `before` deleted (the rows keep their
    text, file name and history); returns the files and bytes removed. Run by the daily clean-up,
    which audits the counts. A file an attachment also refers to is kept."""
    stale = (
        Decomposition.objects.filter(state=DecompositionState.DISCARDED)
        .filter(Q(discarded_at__lt=before) | Q(discarded_at__isnull=True, created_at__lt=before))
        .exclude(file="")
    )
    files = size = 0
    for found in stale.only("pk", "file").iterator(chunk_size=500):
        name = found.file.name
        if not Attachment.objects.filter(file=name).exists() and found.file.storage.exists(name):
            size += found.file.size
            found.file.storage.delete(name)
            files += 1
        Decomposition.objects.filter(pk=found.pk).update(file="")
    return files, size
