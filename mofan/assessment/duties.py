"""责任清单: the 主体责任清单 of a 党委（党组）, its 书记's as 第一责任人, the 一岗双责 lists of the
班子成员 and the 监督责任清单 of 纪检 — per organisation and year, started from the template a
higher organisation issues for organisations of its kind and added to locally, signed (签认) by the
person responsible. Every change keeps the version before it and awaits a new signature."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from mofan.assessment.choices import DutyKind
from mofan.assessment.models import Duty, DutyList, DutyRevision, Indicator
from mofan.audit import services as audit
from mofan.core.errors import InvalidInput, StaleEdit
from mofan.notify import services as notify
from mofan.orgs.choices import OrgKind
from mofan.orgs.models import PartyOrg, Position

MAX_DUTIES = 100
LONGEST = 1000


def _lines(text: str) -> list[str]:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_DUTIES:
        raise InvalidInput(f"一份清单最多{MAX_DUTIES}项责任。")
    long = [n for n, line in enumerate(lines, 1) if len(line) > LONGEST]
    if long:
        raise InvalidInput(f"第{long[0]}项超过{LONGEST}个字。")
    return lines


def _ancestors(org: PartyOrg) -> list[str]:
    step = PartyOrg.steplen
    return [org.path[:end] for end in range(step, len(org.path), step)]


def templates_for(org: PartyOrg, kind: str | None = None):
    """The templates the organisations above `org` issued for organisations of its kind."""
    found = DutyList.objects.filter(template=True, target_kind=org.kind,
                                    org__path__in=_ancestors(org))  # fmt: skip
    return found.filter(kind=kind) if kind else found


def holders(org: PartyOrg, on: date):
    """The people holding a position in the organisation on the day (who may be responsible)."""
    from django.db.models import Q

    return (
        Position.objects.filter(org=org, started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .select_related("person")
        .order_by("title", "pk")
    )


@transaction.atomic
def issue_template(org: PartyOrg, *, actor, kind: str, target_kind: str, title: str, text: str,
                   year: int) -> DutyList:  # fmt: skip
    if kind not in DutyKind.values:
        raise InvalidInput("请选择清单类别。")
    if target_kind not in OrgKind.values or target_kind == OrgKind.GROUP:
        raise InvalidInput("请选择适用的组织类别。")
    lines = _lines(text)
    if not lines:
        raise InvalidInput("请逐行填写责任事项。")
    template = DutyList.objects.create(
        org=org, year=year, kind=kind, template=True, target_kind=target_kind,
        title=(title or "").strip()[:200] or f"{OrgKind(target_kind).label}{DutyKind(kind).label}（模板）",
    )  # fmt: skip
    Duty.objects.bulk_create(
        Duty(duty_list=template, order=n, text=line, local=False) for n, line in enumerate(lines, 1)
    )
    audit.record(actor, "assessment.duty_template.issued", template,
                 payload={"kind": kind, "target_kind": target_kind, "duties": len(lines)})  # fmt: skip
    return template


@transaction.atomic
def create_list(org: PartyOrg, *, actor, year: int, kind: str, person, template=None,
                text: str = "") -> DutyList:  # fmt: skip
    """A list of the organisation for the year, from a template issued above (its duties fixed)
    and local duties, one a line; the person responsible holds a position in it."""
    today = timezone.localdate()
    if kind not in DutyKind.values:
        raise InvalidInput("请选择清单类别。")
    if not isinstance(year, int) or not today.year - 1 <= year <= today.year + 1:
        raise InvalidInput(f"只能制定{today.year - 1}至{today.year + 1}年度的责任清单。")
    if person is None or not holders(org, today).filter(person=person).exists():
        raise InvalidInput("责任人须为本组织现任班子成员（书记、副书记或委员）。")
    if template is not None and not templates_for(org, kind).filter(pk=template.pk).exists():
        raise InvalidInput("所选模板不适用于本组织。")
    if DutyList.objects.filter(org=org, year=year, kind=kind, person=person,
                               template=False).exists():  # fmt: skip
        raise InvalidInput(f"{person.name}的{year}年度{DutyKind(kind).label}已存在。")
    lines = _lines(text)
    fixed = list(template.duties.values_list("text", flat=True)) if template else []
    if not fixed and not lines:
        raise InvalidInput("请选择模板或逐行填写责任事项。")
    duty_list = DutyList.objects.create(
        org=org, year=year, kind=kind, person=person, from_template=template,
        title=f"{org.name}{year}年度{DutyKind(kind).label}（{person.name}）",
    )  # fmt: skip
    Duty.objects.bulk_create(
        [Duty(duty_list=duty_list, order=n, text=t, local=False) for n, t in enumerate(fixed, 1)]
        + [Duty(duty_list=duty_list, order=len(fixed) + n, text=t, local=True)
           for n, t in enumerate(lines, 1)]
    )  # fmt: skip
    audit.record(actor, "assessment.duty_list.created", duty_list, payload={
        "kind": kind, "person": person.pk, "template": getattr(template, "pk", None),
        "duties": len(fixed) + len(lines),
    })  # fmt: skip
    _ask_to_sign(duty_list)
    return duty_list


def _ask_to_sign(duty_list: DutyList) -> None:
    """The person responsible is told there is a version to read and sign (once a version)."""
    from django.urls import reverse

    user = getattr(duty_list.person, "user", None)
    if user is None:
        return
    notify.create([notify.Notice(
        user_id=user.pk, kind="assessment", title=f"责任清单待签认：{duty_list.title}",
        body=f"{duty_list.title}（第{duty_list.version}版）已{'建立' if duty_list.version == 1 else '修改'}，"
        "请阅读后签认。",
        url=reverse("assessment:duty", args=[duty_list.pk]),
        dedupe_key=f"assessment:duty:{duty_list.pk}:{duty_list.version}",
    )])  # fmt: skip


def _snapshot(duty_list: DutyList) -> dict:
    return {
        "signed": duty_list.signed,
        "duties": [
            {"text": d.text, "local": d.local,
             "indicators": sorted(d.indicators.values_list("pk", flat=True))}
            for d in duty_list.duties.all()
        ],
    }  # fmt: skip


def _changing(duty_list: DutyList, actor, version: int | None) -> DutyList:
    locked = DutyList.objects.select_for_update().get(pk=duty_list.pk)
    if locked.template:
        raise InvalidInput("模板已下发，不能修改；如需调整，请另行下发。")
    if version is not None and locked.version != version:
        raise StaleEdit("该清单已被他人修改，请刷新页面查看最新内容后再保存。")
    DutyRevision.objects.create(
        duty_list=locked, version=locked.version, content=_snapshot(locked), changed_by=actor
    )
    return locked


@transaction.atomic
def save_local(duty_list: DutyList, *, actor, text: str, version: int | None) -> DutyList:
    """The list's own duties, one a line (the template's stay); a new version to be signed."""
    lines = _lines(text)
    duty_list = _changing(duty_list, actor, version)
    fixed = duty_list.duties.filter(local=False).count()
    if not fixed and not lines:
        raise InvalidInput("清单至少应有一项责任。")
    duty_list.duties.filter(local=True).delete()
    Duty.objects.bulk_create(
        Duty(duty_list=duty_list, order=fixed + n, text=line, local=True)
        for n, line in enumerate(lines, 1)
    )
    duty_list.version += 1
    duty_list.save(update_fields=["version"])
    audit.record(actor, "assessment.duty_list.changed", duty_list,
                 payload={"version": duty_list.version, "local": len(lines)})  # fmt: skip
    _ask_to_sign(duty_list)
    return duty_list


def indicators_for(duty_list: DutyList):
    """The indicators that may measure a duty of the list: those of the year's schemes of the
    organisation itself and of the organisations above that assess its kind."""
    org = duty_list.org
    return Indicator.objects.filter(
        scheme__year=duty_list.year, scheme__org__path__in=[*_ancestors(org), org.path]
    ).select_related("scheme", "dimension")


@transaction.atomic
def link_indicators(duty: Duty, *, actor, indicators, version: int | None) -> Duty:
    duty_list = _changing(duty.duty_list, actor, version)
    allowed = set(indicators_for(duty_list).values_list("pk", flat=True))
    chosen = [i for i in indicators if i.pk in allowed]
    if len(chosen) != len(list(indicators)):
        raise InvalidInput("所选指标不属于本组织本年度适用的考核指标体系。")
    duty.indicators.set(chosen)
    duty_list.version += 1
    duty_list.save(update_fields=["version"])
    audit.record(actor, "assessment.duty.indicators", duty_list,
                 payload={"duty": duty.pk, "indicators": [i.pk for i in chosen]})  # fmt: skip
    _ask_to_sign(duty_list)
    return duty


@transaction.atomic
def sign(duty_list: DutyList, *, actor, version: int) -> DutyList:
    """签认 by the person responsible, of the version they read."""
    locked = DutyList.objects.select_for_update().get(pk=duty_list.pk)
    if locked.template or locked.person_id is None:
        raise InvalidInput("模板无需签认。")
    if getattr(actor, "person_id", None) != locked.person_id:
        raise InvalidInput("只有责任人本人可以签认。")
    if locked.version != version:
        raise StaleEdit("清单在您阅读后已修改，请刷新页面阅读最新内容后再签认。")
    locked.signed_version, locked.signed_at = locked.version, timezone.now()
    locked.save(update_fields=["signed_version", "signed_at"])
    audit.record(actor, "assessment.duty_list.signed", locked, payload={"version": locked.version})
    return locked
