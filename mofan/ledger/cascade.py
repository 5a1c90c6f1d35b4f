"""层层分解 from pasted text: a unit's leader pastes the paragraph that says who does what, and
gets the sub-items it names — each with its text, the unit of their subtree it names and its
deadline — to check and correct before anything is written (services.decompose writes them)."""

import re
from datetime import date

from django.utils import timezone

from mofan import docparse
from mofan.access.scoping import Action
from mofan.ledger import roles
from mofan.ledger.models import Item
from mofan.ledger.services import SubItem
from mofan.orgs.models import Person, Unit

MAX_TEXT = 5000


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
    holders = roles.Holders(
        [unit.pk for unit in units], people=Person.objects.restrict(actor, Action.DECOMPOSE)
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
        chosen = holders.match(candidate.text, lead.pk if lead else None).people
        owners = sorted(Person.objects.filter(pk__in=chosen), key=lambda p: chosen.index(p.pk))
        parts.append(
            SubItem(content=candidate.text, lead_unit=lead, deadline=deadline, owners=owners)
        )
    return parts
