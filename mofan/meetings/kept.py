"""Compliance results kept per organisation and month (ComplianceMonth).

Running the compliance engine over ten thousand organisations for every look at the heat map took
one and a half seconds. Its results are kept instead, and kept right by what changes them:

- a meeting held, recorded, or its attendance (and so its quorum) changed: the organisation's
  year is counted again, in the same transaction (`meeting_changed`, a few milliseconds);
- a local rule added or ended, an organisation created, changed, moved, merged or dissolved: the
  organisation's subtree is noted, in the change's transaction, to be counted again from the year
  the change reaches back to (`subtree_changed`), and the minute's job counts it (`recount_due`;
  with no worker, the heat map does before reading);
- a member of a 党小组 joining or leaving: the same, for the group alone and every year;
- every night everything is counted again (`recount_all`), after `differences` has compared the
  kept rows with a count from scratch and logged any difference (`mofan compliance-check`).

A kept row does not depend on the date it was counted: it is the engine's answer for the data as
it stands, a month still to come included; the heat map decides from today's date which months
are open, met, missed or still to come.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from mofan.meetings import compliance
from mofan.meetings.choices import MeetingState
from mofan.meetings.models import ComplianceMonth, ComplianceRecount, Meeting
from mofan.orgs.models import PartyOrg

FIRST_YEAR = 2018  # the heat map's earliest year


def _back_filled(org: PartyOrg, first: int, last: int, *, subtree: bool) -> dict:
    meetings = Meeting.objects.filter(
        back_filled=True, state=MeetingState.HELD, month_index__range=(first, last)
    )
    meetings = (
        meetings.filter(org__path__startswith=org.path) if subtree else meetings.filter(org=org)
    )
    rows = meetings.values("org_id", "month_index").annotate(n=Count("pk")).order_by()
    return {(r["org_id"], r["month_index"]): r["n"] for r in rows}


def fresh(org: PartyOrg, year: int, *, subtree: bool) -> dict[tuple[int, int], tuple[int, ...]]:
    """{(org id, month): (required, met, back-filled)} of a year, counted from scratch."""
    first, last = year * 12, year * 12 + 11
    found = compliance.counts(org, first, last, subtree=subtree)
    filled = _back_filled(org, first, last, subtree=subtree)
    return {
        key: (*found.get(key, (0, 0)), filled.get(key, 0))
        for key in sorted(set(found) | set(filled))
    }


def _kept(org: PartyOrg, year: int, *, subtree: bool):
    rows = ComplianceMonth.objects.filter(month_index__range=(year * 12, year * 12 + 11))
    return rows.filter(org__path__startswith=org.path) if subtree else rows.filter(org=org)


def recount(org: PartyOrg, years: Iterable[int], *, subtree: bool) -> int:
    """Count these years of the organisation (and, with `subtree`, of every organisation below
    it) again and keep them; returns the rows written. Rows are upserted, so that two counts of
    the same organisation at once (two meetings recorded together) cannot collide."""
    written = 0
    for year in sorted(set(years)):
        new = fresh(org, year, subtree=subtree)
        with transaction.atomic():
            kept = _kept(org, year, subtree=subtree)
            gone = [
                pk
                for pk, org_id, month in kept.values_list("pk", "org_id", "month_index")
                if (org_id, month) not in new
            ]
            for start in range(0, len(gone), 5000):
                ComplianceMonth.objects.filter(pk__in=gone[start : start + 5000]).delete()
            ComplianceMonth.objects.bulk_create(
                [
                    ComplianceMonth(
                        org_id=org_id,
                        month_index=month,
                        required=required,
                        met=met,
                        back_filled=filled,
                    )
                    for (org_id, month), (required, met, filled) in new.items()
                ],
                batch_size=5000,
                update_conflicts=True,
                unique_fields=["org", "month_index"],
                update_fields=["required", "met", "back_filled"],
            )
        written += len(new)
    return written


def _years(since_year: int | None) -> range:
    this_year = timezone.localdate().year
    return range(max(FIRST_YEAR, min(since_year or this_year, this_year)), this_year + 1)


def _roots():
    return PartyOrg.objects.filter(depth=1).order_by("path")


def recount_all(years: Iterable[int] | None = None) -> int:
    years = list(years) if years is not None else list(_years(FIRST_YEAR))
    return sum(recount(root, years, subtree=True) for root in _roots())


def differences(years: Iterable[int] | None = None) -> list[str]:
    """Every kept row that differs from a count from scratch, as lines to read."""
    years = list(years) if years is not None else list(_years(FIRST_YEAR))
    found = []
    for root in _roots():
        for year in years:
            want = fresh(root, year, subtree=True)
            have = {
                (org_id, month): (required, met, filled)
                for org_id, month, required, met, filled in _kept(
                    root, year, subtree=True
                ).values_list("org_id", "month_index", "required", "met", "back_filled")
            }
            for key in sorted(set(want) | set(have)):
                if want.get(key) != have.get(key):
                    found.append(
                        f"组织 {key[0]}，{key[1] // 12}年{key[1] % 12 + 1}月："
                        f"应为 {want.get(key)}，保存的是 {have.get(key)}（应开/达标/补记录）"
                    )
    return found


def meeting_changed(meeting: Meeting) -> None:
    """A meeting was held, recorded or its attendance changed: its organisation's year again."""
    recount(meeting.org, [meeting.month_index // 12], subtree=False)


def subtree_changed(org: PartyOrg | None, since_year: int | None = None) -> None:
    """The organisation's subtree (every organisation for None, a national rule) is to be
    counted again from `since_year` to this year: noted in the change's own transaction."""
    ComplianceRecount.objects.create(org=org, since_year=_years(since_year).start)


def recount_due() -> int:
    """Count again the subtrees noted as due (the minute's job; with no worker, the reader before
    reading). A subtree inside another noted from an earlier or the same year is counted with
    it. Returns the notes taken."""
    if not ComplianceRecount.objects.exists():
        return 0
    with transaction.atomic():
        notes = list(
            ComplianceRecount.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("org")
            .order_by("pk")
        )
        if not notes:
            return 0
        everything = [n.since_year for n in notes if n.org is None]
        if everything:
            recount_all(_years(min(everything)))
        else:
            wanted: dict[str, tuple[PartyOrg, int]] = {}
            for note in notes:
                path = note.org.path
                held = wanted.get(path)
                wanted[path] = (note.org, min(note.since_year, held[1] if held else 9999))
            for path in sorted(wanted):
                org, since = wanted[path]
                covering = [
                    p for p in wanted if p != path and path.startswith(p) and wanted[p][1] <= since
                ]
                if not covering:
                    recount(org, _years(since), subtree=True)
        ComplianceRecount.objects.filter(pk__in=[n.pk for n in notes]).delete()
    return len(notes)


def on_party_org_changed(sender, *, org, since, **kwargs) -> None:
    """The organisation services changed an organisation (orgs/signals.py). A 党小组's members
    decide whether a rule binds it at all, in every year: `since` is then None."""
    subtree_changed(org, since.year if since else FIRST_YEAR)


def settle() -> None:
    """Before reading the kept results with no worker to keep them: count what is due."""
    if not settings.KEPT_BY_WORKER:
        recount_due()


def fill_after_migrate(sender, **kwargs) -> None:
    """On the first migration that brings the table (an upgrade with meetings on record), the
    results are counted once; afterwards they are kept."""
    if not ComplianceMonth.objects.exists() and Meeting.objects.exists():
        recount_all()
