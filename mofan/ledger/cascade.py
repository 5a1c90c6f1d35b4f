"""层层分解 from pasted text: a unit's leader pastes the paragraph that says who does what, and
gets the sub-items it names — each with its text, the unit of their subtree it names and its
deadline — to check and correct before anything is written (services.decompose writes them)."""

import re
from datetime import date

from django.utils import timezone

from mofan import docparse
from mofan.access.scoping import Action
from mofan.ledger.models import Item
from mofan.ledger.services import SubItem
from mofan.orgs.models import Person, Unit

MAX_TEXT = 5000
# A unit's head named without their title ("人才处负责人"): the people of the unit whose title is
# a head's (…长, 主任), not a deputy's.
_HEAD_WORDS = re.compile(r"主要负责人|主要负责同志|负责人|负责同志|主要领导")
_HEAD_TITLE = re.compile(r"^(?!副)\S*(?:长|主任)$")


def _names(units) -> list[tuple[str, Unit]]:
    """Every name of the units, longest first (so 干部处 is found before 处)."""
    pairs = []
    for unit in units:
        aliases = [a for a in re.split(r"[、，,；;|\s]+", unit.aliases) if a]
        pairs += [(name, unit) for name in {unit.name, unit.short_name, *aliases} if name]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def proposals(item: Item, *, actor, text: str, today: date | None = None) -> list[SubItem]:
    """The sub-items a pasted paragraph (or several) names, for the units the actor may split
    work among. A part's lead unit is the first of those units its words name; its deadline the
    one it states, never later than the item's own; with none stated, the item's."""
    text = (text or "").strip()[:MAX_TEXT]
    if not text:
        return []
    units = list(Unit.objects.restrict(actor, Action.DECOMPOSE))
    names = _names(units)
    entries = [
        [unit.name, unit.short_name, *re.split(r"[、，,；;|\s]+", unit.aliases)] for unit in units
    ]
    found = docparse.decompose(
        text.splitlines(),
        units=docparse.Units.from_entries(entries),
        today=today or timezone.localdate(),
    )
    by_name = {name: unit for name, unit in names}
    people = list(
        Person.objects.restrict(actor, Action.DECOMPOSE)
        .filter(user__isnull=False)
        .exclude(job_title="")
        .values_list("pk", "job_title", "unit_id")
    )
    parts = []
    for candidate in found.items:
        if candidate.kind != "task":
            continue
        lead = next((by_name[n] for n in candidate.lead_units if n in by_name), None)
        if lead is None:  # the parser missed it (e.g. "人才处于年底前"): the first unit named
            lead = next((unit for name, unit in names if name in candidate.text), None)
        deadline = candidate.deadline or item.deadline
        if deadline and item.deadline and deadline > item.deadline:
            deadline = item.deadline
        owners = _owners_named(candidate.text, lead, people) if lead else []
        parts.append(
            SubItem(content=candidate.text, lead_unit=lead, deadline=deadline, owners=owners)
        )
    return parts


def _owners_named(text: str, unit: Unit, people: list[tuple]) -> list[Person]:
    """The people of the lead unit a part names by their role, for the user to confirm: a job
    title held in the unit that the text says ("干部处处长"), or the unit's head where it says
    "负责人"."""
    here = [(pk, title) for pk, title, unit_id in people if unit_id == unit.pk]
    titles = sorted({title for _, title in here}, key=len, reverse=True)
    named = next((title for title in titles if title in text), None)
    if named:
        chosen = [pk for pk, title in here if title == named]
    elif _HEAD_WORDS.search(text):
        chosen = [pk for pk, title in here if _HEAD_TITLE.match(title)]
    else:
        chosen = []
    return list(Person.objects.filter(pk__in=chosen).order_by("name_stroke_key"))
