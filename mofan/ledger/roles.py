"""Owners a document names by role — "分管领导", "主要负责同志", "班子成员", "党组书记",
"纪检委员", "干部处处长" — matched to the people of the lead unit who hold that role, for the
person who decomposes to confirm. Only people with an account are offered (owners elsewhere are
people who can log in and report).

The roles are read from what the system keeps: a person's 职务 (job title) in their unit, and
their current offices in the party organisations (书记, 副书记, 组织委员, …). A unit's head holds
the highest leader's title found in it (…长, 主任) without 副; a deputy holds it with 副 ("分管领导"
of a unit is one of its deputies until the system records who is in charge of what); the leading
group (班子成员) is both.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from mofan.orgs.choices import OrgKind, PositionTitle
from mofan.orgs.models import Person, Position

_HEAD = "head"
_DEPUTY = "deputy"
_TEAM = "team"
_SECRETARY = "secretary"
_DEPUTY_SECRETARY = "deputy_secretary"

# What a text says → which kind of holder it means. Read in this order, each match taken out of
# the text before the next is looked for ("分管负责同志" is a deputy, not the head it ends with).
_SAID = (
    (re.compile(r"分管(?:的)?(?:领导|负责人|负责同志|同志|副职)?"), _DEPUTY),
    (re.compile(r"班子成员|领导班子"), _TEAM),
    (re.compile(r"主要负责人|主要负责同志|主要领导|一把手|负责人|负责同志"), _HEAD),
    # The secretary of a kind of organisation: of the 党组, of a 党委, of a branch.
    (re.compile(r"党组(?:（党委）|\(党委\))?书记"), f"{_SECRETARY}:党组"),
    (re.compile(r"党委(?:（党组）|\(党组\))?书记"), f"{_SECRETARY}:党委"),
    (re.compile(r"(?:党总支|总支|党支部|支部)书记"), f"{_SECRETARY}:支部"),
    (re.compile(r"副书记"), _DEPUTY_SECRETARY),
    (re.compile(r"书记"), _SECRETARY),
    (re.compile(r"组织委员"), PositionTitle.ORGANISATION_MEMBER),
    (re.compile(r"宣传委员"), PositionTitle.PUBLICITY_MEMBER),
    (re.compile(r"纪检委员"), PositionTitle.DISCIPLINE_MEMBER),
)
_LEADER_TITLE = re.compile(r"^(副?)(\S*?)(部长|厅长|局长|司长|院长|主任|处长|科长|股长|\S长)$")
# How high a leader's title stands: the unit's leading group is the holders of its highest one
# (a 司 has 司长, 副司长 and 处长: its 班子 is the 司长 and the 副司长s, not the 处长).
_STANDING = {"部长": 0, "厅长": 1, "局长": 1, "司长": 1, "院长": 1, "主任": 1, "处长": 2, "科长": 3}
_OFFICES = {
    PositionTitle.SECRETARY: _SECRETARY,
    PositionTitle.DEPUTY_SECRETARY: _DEPUTY_SECRETARY,
}
# The family each kind of party organisation belongs to, as texts name their secretaries.
_FAMILY = {
    OrgKind.LEADING_GROUP: "党组",
    OrgKind.COMMITTEE: "党委",
    OrgKind.ORGAN_COMMITTEE: "党委",
    OrgKind.GENERAL_BRANCH: "支部",
    OrgKind.BRANCH: "支部",
}


@dataclass
class Holder:
    pk: int
    name: str
    job_title: str
    unit_id: int
    holds: set = field(default_factory=set)  # the kinds of holder the person is


@dataclass
class Match:
    people: list[int]  # person pks, in stroke order of their names
    said: str  # what the text said that they were matched by ("分管领导"), for the note


def _standing(job_title: str) -> tuple[bool, int] | None:
    """(deputy?, standing) of a leader's title; None for a title that leads nothing (科员)."""
    found = _LEADER_TITLE.match(job_title)
    if not found:
        return None
    return bool(found.group(1)), _STANDING.get(found.group(3), 9)


def _kinds(job_title: str, offices, top: int | None) -> set:
    """What a person holds: head or deputy of the unit when their title is of its highest
    standing `top`, secretary by title or by office, and their offices."""
    kinds = set()
    standing = _standing(job_title)
    if standing is not None and standing[1] == top:
        kinds |= {_DEPUTY if standing[0] else _HEAD, _TEAM}
    if "副书记" in job_title:
        kinds.add(_DEPUTY_SECRETARY)
    elif "书记" in job_title:
        kinds.add(_SECRETARY)
        kinds |= {f"{_SECRETARY}:{f}" for f in set(_FAMILY.values()) if f in job_title}
    for office, org_kind in offices:
        kinds.add(_OFFICES.get(office, office))
        if office == PositionTitle.SECRETARY and org_kind in _FAMILY:
            kinds.add(f"{_SECRETARY}:{_FAMILY[org_kind]}")
    return kinds


class Holders:
    """The people with an account in some units, with what they hold: loaded in one go for the
    units given (two queries), and for any other unit when a text is first matched in it."""

    def __init__(self, unit_ids=(), *, people=None, on: date | None = None):
        """`people`: the persons the caller may see (a scoped queryset); all by default."""
        self.on = on or timezone.localdate()
        self.people = Person.objects.all() if people is None else people
        self.by_unit: dict[int, list[Holder]] = {}
        self._load(set(unit_ids))

    def _load(self, unit_ids: set) -> None:
        unit_ids -= self.by_unit.keys()
        if not unit_ids:
            return
        rows = (
            self.people.filter(unit_id__in=unit_ids, user__isnull=False, user__is_active=True)
            .order_by("name_stroke_key", "pk")
            .values_list("pk", "name", "job_title", "unit_id")
        )
        offices = defaultdict(set)
        current = Position.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=self.on),
            person__unit_id__in=unit_ids,
            started_on__lte=self.on,
        )
        for person_id, title, org_kind in current.values_list("person_id", "title", "org__kind"):
            offices[person_id].add((title, org_kind))
        rows = list(rows)
        top: dict[int, int] = {}
        for _, _, job_title, unit_id in rows:
            standing = _standing(job_title)
            if standing is not None:
                top[unit_id] = min(top.get(unit_id, standing[1]), standing[1])
        for unit_id in unit_ids:
            self.by_unit[unit_id] = []
        for pk, name, job_title, unit_id in rows:
            kinds = _kinds(job_title, offices[pk], top.get(unit_id))
            self.by_unit[unit_id].append(Holder(pk, name, job_title, unit_id, kinds))

    def match(self, text: str, unit_id: int | None) -> Match:
        """The people of the unit the text names: by name, by a job title held in the unit
        ("干部处处长"), or by role ("分管领导"). The most specific wins: names, then titles,
        then roles."""
        if not text or not unit_id:
            return Match([], "")
        self._load({unit_id})
        here = self.by_unit[unit_id]
        if not here:
            return Match([], "")
        named = [h for h in here if len(h.name) >= 2 and h.name in text]
        if named:
            return Match([h.pk for h in named], "、".join(h.name for h in named))
        titles = sorted({h.job_title for h in here if h.job_title}, key=len, reverse=True)
        # "副司长" does not name the 司长
        title = next((t for t in titles if re.search(rf"(?<!副){re.escape(t)}", text)), None)
        if title:
            return Match([h.pk for h in here if h.job_title == title], title)
        rest, kinds, said = text, [], []
        for pattern, kind in _SAID:
            found = pattern.search(rest)
            if found:
                kinds.append(kind)
                said.append(found.group(0))
                rest = pattern.sub("　", rest)
        chosen = [h.pk for h in here if any(kind in h.holds for kind in kinds)]
        return Match(chosen, "、".join(said) if chosen else "")
