"""State changes of organisations, units, people and party records. Each is one transaction with
its audit record written inside it."""

from datetime import date

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from mofan.access import crypto
from mofan.audit import services as audit
from mofan.core.errors import InvalidInput, StaleEdit
from mofan.orgs import rules, validation
from mofan.orgs.choices import HistoryKind, MembershipStatus, OrgKind, TransferDirection
from mofan.orgs.models import (
    Membership,
    MembershipTransfer,
    OrgHistory,
    PartyOrg,
    Person,
    Position,
    Unit,
    UnitChange,
)
from mofan.orgs.signals import party_org_changed

TREE_FIELDS = ("code", "name", "short_name", "order", "founded_on", "dissolved_on")
ORG_FIELDS = (*TREE_FIELDS, "kind", "has_committee", "term_started_on", "unit_id")
UNIT_FIELDS = (*TREE_FIELDS, "kind", "aliases")
PERSON_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "education",
    "unit_id",
    "job_title",
    "rank",
)
MEMBERSHIP_FIELDS = ("org_id", "kind", "joined_on", "confirmed_on", "status")


def _org_changed(node, since: date | None) -> None:
    if isinstance(node, PartyOrg):
        party_org_changed.send(PartyOrg, org=node, since=since)


def members_changed(*orgs) -> None:
    """A 党小组 is bound by the rules only while it has a member in good standing."""
    for org in orgs:
        if org is not None and org.kind == OrgKind.GROUP:
            _org_changed(org, None)


def _snapshot(obj: Model, fields) -> dict:
    return {f: getattr(obj, f) for f in fields}


def _save_versioned(obj: Model, *, expected_version: int | None, fields: list[str]) -> None:
    """Write the fields only if nobody saved the row since it was read (optimistic locking)."""
    model = type(obj)
    if expected_version is None:
        expected_version = obj.version
    values = {f: getattr(obj, f) for f in fields}
    updated = model.objects.filter(pk=obj.pk, version=expected_version).update(
        **values, version=expected_version + 1
    )
    if not updated:
        raise StaleEdit(f"“{obj}”已被他人修改，请刷新页面查看最新内容后再保存。")
    obj.version = expected_version + 1


def _history(
    subject, kind: str, *, on: date, actor, before=None, after=None, note: str = ""
) -> OrgHistory:
    field = "party_org" if isinstance(subject, PartyOrg) else "unit"
    return OrgHistory.objects.create(
        **{field: subject},
        kind=kind,
        happened_on=on,
        before=audit.jsonable(before or {}),
        after=audit.jsonable(after or {}),
        note=note,
        actor_id=getattr(actor, "pk", None),
    )


def _audit_label(subject) -> str:
    return "partyorg" if isinstance(subject, PartyOrg) else "unit"


# --- organisations and units -------------------------------------------------------------------


@transaction.atomic
def create_org(*, actor, parent: PartyOrg | None, **fields) -> PartyOrg:
    error = rules.parent_error(fields["kind"], parent.kind if parent else None)
    if error:
        raise InvalidInput(error)
    return _create_node(PartyOrg, actor=actor, parent=parent, fields=fields)


@transaction.atomic
def create_unit(*, actor, parent: Unit | None, **fields) -> Unit:
    return _create_node(Unit, actor=actor, parent=parent, fields=fields)


def _create_node(model, *, actor, parent, fields: dict):
    if model.objects.filter(code=fields["code"]).exists():
        raise InvalidInput(f"编码“{fields['code']}”已被使用。")
    node = model.objects.add_child(parent, fields) if parent else model.objects.add_root(fields)
    on = fields.get("founded_on") or date.today()
    _history(
        node,
        HistoryKind.FOUNDED,
        on=on,
        actor=actor,
        after={"name": node.name, "parent": parent and parent.code},
    )
    audit.record(actor, f"orgs.{_audit_label(node)}.created", node, changes=audit.diff({}, fields))
    _org_changed(node, fields.get("founded_on"))  # with no founding date: there all along
    return node


@transaction.atomic
def update_org(org: PartyOrg, *, actor, version: int, **fields) -> PartyOrg:
    from mofan.orgs.stats import counts_by_path

    counts = counts_by_path((org.path,)).get(org.path)
    errors = rules.save_errors(
        kind=fields.get("kind", org.kind),
        has_committee=fields.get("has_committee", org.has_committee),
        full_members=counts.full_members if counts else 0,
    )
    if errors:
        raise InvalidInput(errors[0])
    if "kind" in fields and fields["kind"] != org.kind:
        parent = PartyOrg.objects.get_parent(org)
        error = rules.parent_error(fields["kind"], parent.kind if parent else None)
        if error:
            raise InvalidInput(error)
    return _update_node(org, ORG_FIELDS, actor=actor, version=version, fields=fields)


@transaction.atomic
def update_unit(unit: Unit, *, actor, version: int, **fields) -> Unit:
    return _update_node(unit, UNIT_FIELDS, actor=actor, version=version, fields=fields)


def _update_node(node, allowed, *, actor, version: int, fields: dict):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise InvalidInput(f"不能修改字段：{'、'.join(sorted(unknown))}。")
    if (
        "code" in fields
        and type(node).objects.filter(code=fields["code"]).exclude(pk=node.pk).exists()
    ):
        raise InvalidInput(f"编码“{fields['code']}”已被使用。")
    before = _snapshot(node, allowed)
    for name, value in fields.items():
        setattr(node, name, value)
    after = _snapshot(node, allowed)
    changes = audit.diff(before, after)
    if not changes:
        return node
    node.fill_search_keys()
    _save_versioned(node, expected_version=version, fields=[*fields, "search_keys"])
    kind = (
        HistoryKind.RENAMED if "name" in changes or "short_name" in changes else HistoryKind.UPDATED
    )
    _history(
        node,
        kind,
        on=date.today(),
        actor=actor,
        before={k: v[0] for k, v in changes.items()},
        after={k: v[1] for k, v in changes.items()},
    )
    audit.record(actor, f"orgs.{_audit_label(node)}.updated", node, changes=changes)
    dates = [d for name in ("founded_on", "dissolved_on") for d in changes.get(name, ()) if d]
    if {"kind", "has_committee", "founded_on", "dissolved_on"} & set(changes):
        _org_changed(node, min([date.fromisoformat(str(d)) for d in dates], default=date.today()))
    return node


@transaction.atomic
def move_node(node, *, actor, new_parent, on: date | None = None):
    """Change which organisation (or unit) this one belongs to; its whole subtree moves with it."""
    if new_parent.path.startswith(node.path):
        raise InvalidInput("不能移动到自身或其下级之下。")
    if isinstance(node, PartyOrg):
        error = rules.parent_error(node.kind, new_parent.kind)
        if error:
            raise InvalidInput(error)
    manager = type(node).objects
    old_parent = manager.get_parent(node)
    manager.move(node, new_parent, pos="last-child")
    node.refresh_from_db()
    type(node).objects.filter(pk=node.pk).update(version=node.version + 1)
    before = {
        "parent": old_parent.code if old_parent else None,
        "parent_name": old_parent.name if old_parent else None,
    }
    after = {"parent": new_parent.code, "parent_name": new_parent.name}
    _history(
        node, HistoryKind.MOVED, on=on or date.today(), actor=actor, before=before, after=after
    )
    audit.record(
        actor,
        f"orgs.{_audit_label(node)}.moved",
        node,
        changes={"parent": [before["parent"], after["parent"]]},
    )
    _org_changed(node, on or date.today())
    return node


@transaction.atomic
def dissolve_node(node, *, actor, on: date):
    if node.dissolved_on:
        raise InvalidInput(f"“{node.name}”已于 {node.dissolved_on:%Y年%m月%d日} 撤销。")
    model = type(node)
    if model.objects.subtree(node).filter(dissolved_on__isnull=True).exclude(pk=node.pk).exists():
        raise InvalidInput("该组织下仍有未撤销的下级，请先撤销或调整下级。")
    if isinstance(node, PartyOrg):
        if Membership.objects.filter(org=node, status=MembershipStatus.NORMAL).exists():
            raise InvalidInput("该党组织仍有党员，请先转出或调整党员组织关系。")
    elif Person.objects.filter(unit=node).exists():
        raise InvalidInput("该单位仍有人员，请先调整人员所在单位。")
    model.objects.filter(pk=node.pk).update(dissolved_on=on, version=node.version + 1)
    node.refresh_from_db()
    _history(node, HistoryKind.DISSOLVED, on=on, actor=actor)
    audit.record(actor, f"orgs.{_audit_label(node)}.dissolved", node, payload={"on": on})
    _org_changed(node, on)
    return node


@transaction.atomic
def merge_nodes(source, *, actor, target, on: date):
    """Fold an organisation (or unit) into another of its kind: its members (or people) and its
    sub-organisations move to the target, then it is dissolved."""
    if type(source) is not type(target):
        raise InvalidInput("只能在同一棵树内合并。")
    if source.pk == target.pk or target.path.startswith(source.path):
        raise InvalidInput("不能合并到自身或其下级。")
    if source.kind != target.kind:
        raise InvalidInput("只能合并同类组织。")
    if isinstance(source, PartyOrg):
        moved = Membership.objects.filter(org=source).update(org=target)
        members_changed(target)
    else:
        people = list(Person.objects.filter(unit=source).values_list("pk", flat=True))
        moved = Person.objects.filter(pk__in=people).update(unit=target)
        UnitChange.objects.bulk_create(
            UnitChange(person_id=pk, left=source, joined=target, on=on) for pk in people
        )
    for child in list(type(source).objects.get_children(source)):
        move_node(child, actor=actor, new_parent=target, on=on)
    source.refresh_from_db()
    _history(
        target,
        HistoryKind.MERGED,
        on=on,
        actor=actor,
        after={"absorbed": source.code, "members": moved},
    )
    _history(source, HistoryKind.MERGED, on=on, actor=actor, after={"merged_into": target.code})
    audit.record(
        actor,
        f"orgs.{_audit_label(source)}.merged",
        source,
        payload={"into": target.code, "moved": moved},
    )
    return dissolve_node(source, actor=actor, on=on)


# --- people and party records ------------------------------------------------------------------


def _check_person(data: dict) -> None:
    errors = validation.person_errors(
        id_number=data.get("id_number", ""),
        birth_date=data.get("birth_date"),
        gender=data.get("gender"),
        phone=data.get("phone", ""),
    )
    if errors:
        raise InvalidInput("；".join(errors.values()))


def _apply_person(person: Person, data: dict) -> None:
    for name, value in data.items():
        setattr(person, name, value)
    person.id_number = validation.normalise_id_number(person.id_number)
    person.id_number_hash = crypto.keyed_hash(person.id_number)
    person.phone = validation.normalise_phone(person.phone)
    person.phone_hash = crypto.keyed_hash(person.phone) if person.phone else ""
    person.fill_name_keys()


@transaction.atomic
def create_person(*, actor, **data) -> Person:
    _check_person(data)
    person = Person()
    _apply_person(person, data)
    if Person.objects.filter(id_number_hash__in=crypto.keyed_hashes(person.id_number)).exists():
        raise InvalidInput("该公民身份号码已登记，请勿重复录入。")
    person.save()
    audit.record(
        actor,
        "orgs.person.created",
        person,
        changes=audit.diff({}, _snapshot(person, PERSON_FIELDS)),
    )
    return person


@transaction.atomic
def update_person(person: Person, *, actor, version: int, **data) -> Person:
    merged = {**_snapshot(person, PERSON_FIELDS), **data}
    _check_person(merged)
    before = _snapshot(person, PERSON_FIELDS)
    _apply_person(person, data)
    if (
        Person.objects.filter(id_number_hash__in=crypto.keyed_hashes(person.id_number))
        .exclude(pk=person.pk)
        .exists()
    ):
        raise InvalidInput("该公民身份号码已登记在其他人员名下。")
    changes = audit.diff(before, _snapshot(person, PERSON_FIELDS))
    if not changes:
        return person
    if before["unit_id"] != person.unit_id:
        UnitChange.objects.create(
            person=person, left_id=before["unit_id"], joined_id=person.unit_id,
            on=timezone.localdate(),
        )  # fmt: skip
    _save_versioned(
        person,
        expected_version=version,
        fields=[
            *data.keys(),
            "id_number_hash",
            "phone_hash",
            "name_pinyin",
            "name_initials",
            "name_stroke_key",
        ],
    )
    audit.record(actor, "orgs.person.updated", person, changes=changes)
    return person


def view_pii(person: Person, *, actor) -> dict:
    """The full ID and phone numbers, for those allowed; every such view is audited."""
    audit.record(actor, "orgs.person.pii_viewed", person)
    return {"id_number": person.id_number, "phone": person.phone}


def _check_membership(data: dict, person: Person) -> None:
    errors = validation.membership_errors(
        kind=data["kind"],
        joined_on=data.get("joined_on"),
        confirmed_on=data.get("confirmed_on"),
        birth_date=person.birth_date,
    )
    if errors:
        raise InvalidInput("；".join(errors.values()))


@transaction.atomic
def create_membership(*, actor, person: Person, org: PartyOrg, **data) -> Membership:
    if Membership.objects.filter(person=person).exists():
        raise InvalidInput(f"{person.name} 已有党员记录。")
    if not org.is_active:
        raise InvalidInput("不能将党员编入已撤销的党组织。")
    _check_membership(data, person)
    membership = Membership.objects.create(person=person, org=org, **data)
    audit.record(
        actor,
        "orgs.membership.created",
        membership,
        changes=audit.diff({}, _snapshot(membership, MEMBERSHIP_FIELDS)),
    )
    members_changed(org)
    return membership


@transaction.atomic
def update_membership(membership: Membership, *, actor, version: int, **data) -> Membership:
    merged = {**_snapshot(membership, MEMBERSHIP_FIELDS), **data}
    _check_membership(merged, membership.person)
    before = _snapshot(membership, MEMBERSHIP_FIELDS)
    for name, value in data.items():
        setattr(membership, name, value)
    changes = audit.diff(before, _snapshot(membership, MEMBERSHIP_FIELDS))
    if not changes:
        return membership
    _save_versioned(membership, expected_version=version, fields=list(data))
    audit.record(actor, "orgs.membership.updated", membership, changes=changes)
    members_changed(membership.org)
    return membership


@transaction.atomic
def transfer(
    membership: Membership,
    *,
    actor,
    on: date,
    to_org: PartyOrg | None = None,
    other_org_name: str = "",
    note: str = "",
) -> Membership:
    """组织关系转接: within the system (to_org) or out of it (other_org_name)."""
    if membership.status != MembershipStatus.NORMAL:
        raise InvalidInput("只有党籍状态正常的党员才能转接组织关系。")
    if (to_org is None) == (not other_org_name):
        raise InvalidInput("请选择转入的党组织，或填写转往的外单位党组织名称（二选一）。")
    from_org = membership.org
    if to_org is not None:
        if to_org.pk == from_org.pk:
            raise InvalidInput("转入党组织与当前所在党组织相同。")
        if not to_org.is_active:
            raise InvalidInput("不能转入已撤销的党组织。")
        MembershipTransfer.objects.create(
            membership=membership,
            direction=TransferDirection.OUT,
            happened_on=on,
            from_org=from_org,
            to_org=to_org,
            note=note,
        )
        MembershipTransfer.objects.create(
            membership=membership,
            direction=TransferDirection.IN,
            happened_on=on,
            from_org=from_org,
            to_org=to_org,
            note=note,
        )
        membership.org = to_org
        _save_versioned(membership, expected_version=membership.version, fields=["org"])
    else:
        MembershipTransfer.objects.create(
            membership=membership,
            direction=TransferDirection.OUT,
            happened_on=on,
            from_org=from_org,
            other_org_name=other_org_name,
            note=note,
        )
        membership.status = MembershipStatus.TRANSFERRED_OUT
        _save_versioned(membership, expected_version=membership.version, fields=["status"])
    audit.record(
        actor,
        "orgs.membership.transferred",
        membership,
        payload={"from": from_org.code, "to": to_org.code if to_org else other_org_name, "on": on},
    )
    members_changed(from_org, to_org)
    return membership


def arrived(membership: Membership, *, actor, on: date, other_org_name: str, note: str = ""):
    """The history line of a record that came from a party organisation outside the system."""
    MembershipTransfer.objects.create(
        membership=membership,
        direction=TransferDirection.IN,
        happened_on=on,
        to_org=membership.org,
        other_org_name=other_org_name,
        note=note,
    )
    audit.record(
        actor,
        "orgs.membership.transferred",
        membership,
        payload={"from": other_org_name, "to": membership.org.code, "on": on},
    )


@transaction.atomic
def appoint(*, actor, person: Person, org: PartyOrg, title: str, started_on: date) -> Position:
    if Position.objects.filter(org=org, title=title, ended_on__isnull=True, person=person).exists():
        raise InvalidInput("该人员已担任此职务。")
    position = Position.objects.create(person=person, org=org, title=title, started_on=started_on)
    audit.record(
        actor, "orgs.position.appointed", position, payload={"title": title, "org": org.code}
    )
    return position


@transaction.atomic
def end_position(position: Position, *, actor, ended_on: date) -> Position:
    if ended_on < position.started_on:
        raise InvalidInput("离任日期不能早于任职日期。")
    position.ended_on = ended_on
    position.save(update_fields=["ended_on"])
    audit.record(actor, "orgs.position.ended", position, payload={"ended_on": ended_on})
    return position


@transaction.atomic
def register_member(
    *, actor, org: PartyOrg, person_data: dict, membership_data: dict
) -> Membership:
    """A new person and their party record, both or neither."""
    person = create_person(actor=actor, **person_data)
    return create_membership(actor=actor, person=person, org=org, **membership_data)


def person_by_id_number(id_number: str) -> Person | None:
    """The person registered under this exact ID number (under any hash key still in use)."""
    return Person.objects.filter(id_number_hash__in=crypto.keyed_hashes(id_number)).first()
