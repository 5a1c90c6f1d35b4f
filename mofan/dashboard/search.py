"""Global search (issue 10): people, party organisations, units, ledgers and items, meetings and
source documents, each through the scoping gate, a few matches of each. Names match as the pickers
match them (full name, short name, alias, pinyin initials); texts by the words typed."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from mofan.access.scoping import Action
from mofan.core import textsearch
from mofan.ledger.models import Item, Ledger, Source
from mofan.meetings.models import Meeting
from mofan.orgs import pickers

PER_KIND = 5
MAX_TEXT = 50


@dataclass
class Hit:
    title: str
    hint: str
    url: str


@dataclass
class Section:
    label: str
    hits: list[Hit] = field(default_factory=list)


def search(user, text: str, *, per_kind: int = PER_KIND) -> list[Section]:
    """The sections with at least one match, in a fixed order."""
    text = (text or "").strip()[:MAX_TEXT]
    if not text:
        return []
    sections = [
        Section("人员", _people(user, text, per_kind)),
        Section("党组织", _tree(user, "orgs", text, per_kind, "orgs:org_detail")),
        Section("单位", _tree(user, "units", text, per_kind, "orgs:unit_detail")),
        Section("督办台账", _ledgers(user, text, per_kind)),
        Section("督办事项", _items(user, text, per_kind)),
        Section("会议", _meetings(user, text, per_kind)),
        Section("文件", _sources(user, text, per_kind)),
    ]
    return [section for section in sections if section.hits]


def _people(user, text, limit) -> list[Hit]:
    people = pickers.search(pickers.choices(user, "people"), text, limit=limit)
    return [
        Hit(p.name, pickers.option(p)["hint"], reverse("orgs:person_detail", args=[p.pk]))
        for p in people
    ]


def _tree(user, kind, text, limit, url_name) -> list[Hit]:
    found = pickers.search(pickers.choices(user, kind, action=Action.BROWSE), text, limit=limit)
    return [
        Hit(node.name, pickers.option(node)["hint"], reverse(url_name, args=[node.pk]))
        for node in found
    ]


def _ledgers(user, text, limit) -> list[Hit]:
    ledgers = (
        Ledger.objects.restrict(user, Action.VIEW)
        .filter(name__contains=text)
        .select_related("unit")
        .order_by("-year", "name")[:limit]
    )
    return [
        Hit(
            ledger.name,
            f"{ledger.year}年 · {ledger.unit.display_name}",
            reverse("ledger:detail", args=[ledger.pk]),
        )
        for ledger in ledgers
    ]


def _items(user, text, limit) -> list[Hit]:
    items = (
        textsearch.containing(Item.objects.restrict(user, Action.VIEW), "content", text)
        .select_related("ledger")
        .order_by("-updated_at", "-pk")[:limit]
    )
    return [
        Hit(
            item.content[:60],
            f"{item.ledger.name} · {item.number} · {item.state_label}",
            reverse("ledger:item", args=[item.pk]),
        )
        for item in items
    ]


def _meetings(user, text, limit) -> list[Hit]:
    meetings = (
        textsearch.containing(Meeting.objects.restrict(user, Action.VIEW), "title", text)
        .select_related("org")
        .order_by("-starts_at", "-pk")[:limit]
    )
    return [
        Hit(
            meeting.title,
            f"{meeting.org.display_name} · {meeting.starts_at:%Y-%m-%d} · {meeting.get_state_display()}",
            reverse("meetings:meeting", args=[meeting.pk]),
        )
        for meeting in meetings
    ]


def _sources(user, text, limit) -> list[Hit]:
    sources = (
        Source.objects.restrict(user, Action.VIEW)
        .filter(Q(title__contains=text) | Q(reference__contains=text))
        .select_related("ledger")
        .order_by("-pk")[:limit]
    )
    return [
        Hit(
            source.title,
            " · ".join(part for part in (source.reference, source.ledger.name) if part),
            reverse("ledger:source", args=[source.pk]),
        )
        for source in sources
    ]
