"""Who hears about what happens to an item, and the daily reminders. Notices are created in the
caller's transaction with dedupe keys, so repeating a job or a request never notifies twice."""

from datetime import date
from functools import cache

from django.db.models import Count, Q
from django.urls import reverse

from mofan.access.models import RoleAssignment
from mofan.access.roles import Role
from mofan.ledger import workdays
from mofan.ledger.choices import ItemState
from mofan.ledger.models import Item, Ledger
from mofan.notify import services as notify
from mofan.notify.services import Notice
from mofan.orgs.models import Unit

ACTIVE = (ItemState.ASSIGNED, ItemState.ACCEPTED, ItemState.IN_PROGRESS)


def _owner_user_ids(item: Item) -> list[int]:
    return list(item.owners.filter(user__is_active=True).values_list("user__id", flat=True))


def _supervisor_ids(item: Item) -> list[int]:
    """Who supervises the item: whoever split it off (层层分解), else the ledger's supervisors."""
    if item.supervisor_id is not None and item.supervisor.is_active:
        return [item.supervisor_id]
    return list(item.ledger.supervisors.filter(is_active=True).values_list("id", flat=True))


def _url(item_id: int) -> str:
    return reverse("ledger:item", args=[item_id])


MESSAGES = {
    # transition → (who hears, title)
    "assign": ("owners", "新交办督办事项 {number}"),
    "return": ("owners", "督办事项 {number} 被退回，请继续办理"),
    "submit_done": ("supervisors", "督办事项 {number} 申请办结，请审核销号"),
    "close_out": ("owners", "督办事项 {number} 已销号"),
}


def on_transition(item: Item, name: str, *, event_id: int, comment: str = "") -> None:
    if name not in MESSAGES:
        return
    who, title = MESSAGES[name]
    users = _owner_user_ids(item) if who == "owners" else _supervisor_ids(item)
    if name == "assign" and not users and item.lead_unit_id:
        # Handed to the unit: its 督办联络员 receives it and names the owner.
        from mofan.ledger.services import liaisons_of

        users = liaisons_of(item.lead_unit)
        title = "督办事项 {number} 交办" + item.lead_unit.name + "，请指定责任人"
    notify.create(
        Notice(
            uid,
            f"ledger.{name}",
            title.format(number=item.number),
            f"{item.content}\n{comment}".strip(),
            _url(item.pk),
            f"ledger.{name}:{event_id}:{uid}",
        )
        for uid in users
    )


def on_owners_named(item: Item, people, *, event_id: int) -> None:
    notify.create(
        Notice(
            person.user.pk,
            "ledger.owners",
            f"督办事项 {item.number} 已指定您为责任人，请签收办理",
            item.content,
            _url(item.pk),
            f"ledger.owners:{event_id}:{person.user.pk}",
        )
        for person in people
        if getattr(person, "user", None) and person.user.is_active
    )


def on_extension(item: Item, extension, *, event_id: int) -> None:
    notify.create(
        Notice(
            uid,
            "ledger.extension",
            f"督办事项 {item.number} 申请延期，请审批",
            f"{item.content}\n申请延至{extension.requested_deadline:%Y-%m-%d}：{extension.reason}",
            _url(item.pk),
            f"ledger.extension:{event_id}:{uid}",
        )
        for uid in _supervisor_ids(item)
    )


def on_extension_decided(item: Item, extension, *, event_id: int) -> None:
    verdict = "已批准" if extension.state == "approved" else "未获批准"
    notify.create(
        Notice(
            uid,
            "ledger.extension_decided",
            f"督办事项 {item.number} 的延期申请{verdict}",
            f"{item.content}\n{extension.decision_comment}".strip(),
            _url(item.pk),
            f"ledger.extension_decided:{event_id}:{uid}",
        )
        for uid in dict.fromkeys([extension.requested_by_id, *_owner_user_ids(item)])
        if uid
    )


def on_handover(item: Item, handover, receivers: list[int], *, event_id: int) -> None:
    """The receiving organisation's 督办员: an item waits to be 签收 into their ledger."""
    notify.create(
        Notice(
            uid,
            "ledger.handover",
            f"上级交办事项待签收：{item.ledger.name} 第 {item.number} 项",
            f"{item.content}\n{handover.note}".strip(),
            reverse("ledger:handovers"),
            f"ledger.handover:{event_id}:{uid}",
        )
        for uid in receivers
    )


def on_handover_decided(item: Item, handover, text: str, *, event_id: int) -> None:
    notify.create(
        Notice(
            uid,
            "ledger.handover_decided",
            f"督办事项 {item.number}：{text}"[:200],
            item.content,
            _url(item.pk),
            f"ledger.handover_decided:{event_id}:{uid}",
        )
        for uid in _supervisor_ids(item)
    )


def on_urge(item: Item, *, event_id: int, text: str) -> None:
    notify.create(
        Notice(
            uid,
            "ledger.urge",
            f"催办：督办事项 {item.number}",
            f"{item.content}\n督办意见：{text}",
            _url(item.pk),
            f"ledger.urge:{event_id}:{uid}",
        )
        for uid in _owner_user_ids(item)
    )
    if item.lead_unit_id:
        notify.queue_webhook(
            item.lead_unit,
            f"ledger.urge:{event_id}",
            f"【催办】督办事项 {item.number}：{item.content[:80]}\n督办意见：{text}",
        )


def daily_reminders(today: date) -> dict:
    """Reminders at 7 and 3 working days before a deadline and on the day, daily once overdue, and
    escalation after 3 working days overdue to the item's supervisor and the lead unit's leaders.
    Along a 层层分解 chain the one who split the item off hears first; the ledger's supervisors
    hear of such a sub-item after 3 more working days."""

    @cache
    def overdue_by(deadline: date) -> int:
        return workdays.workdays_between(deadline, today)

    due_days = {workdays.add_workdays(today, 7): 7, workdays.add_workdays(today, 3): 3, today: 0}
    escalate_before = workdays.subtract_workdays(today, 3)
    escalate_up_before = workdays.subtract_workdays(today, 6)
    stamp = today.isoformat()
    owners = Item.owners.through.objects.filter(
        item__state__in=ACTIVE, person__user__is_active=True
    )
    counts = {"due": 0, "overdue": 0, "escalated": 0}

    def due_notices():
        rows = owners.filter(item__deadline__in=list(due_days)).values_list(
            "item_id", "item__number", "item__content", "item__deadline", "person__user__id"
        )
        for item_id, number, content, deadline, user_id in rows.iterator(chunk_size=5000):
            left = due_days[deadline]
            title = (
                f"督办事项 {number} 今天到期"
                if left == 0
                else f"督办事项 {number} 还有 {left} 个工作日到期"
            )
            yield Notice(
                user_id,
                "ledger.due",
                title,
                content,
                _url(item_id),
                f"ledger.due:{item_id}:{user_id}:{stamp}",
            )

    def overdue_notices():
        rows = owners.filter(item__deadline__lt=today).values_list(
            "item_id", "item__number", "item__content", "item__deadline", "person__user__id"
        )
        for item_id, number, content, deadline, user_id in rows.iterator(chunk_size=5000):
            title = f"督办事项 {number} 已超期 {overdue_by(deadline)} 个工作日，请抓紧办理"
            yield Notice(
                user_id,
                "ledger.overdue",
                title,
                content,
                _url(item_id),
                f"ledger.overdue:{item_id}:{user_id}:{stamp}",
            )

    def escalated(rows, words: str):
        """One escalation notice per (item, user) row: the title says how late and to whom."""
        for item_id, number, deadline, user_id in rows.iterator(chunk_size=5000):
            yield Notice(
                user_id,
                "ledger.escalated",
                words.format(number=number, late=overdue_by(deadline)),
                "",
                _url(item_id),
                f"ledger.escalated:{item_id}:{user_id}:{stamp}",
            )

    def escalation_notices():
        late = Item.objects.filter(state__in=ACTIVE, deadline__lte=escalate_before)
        # A split-off sub-item: first whoever split it off...
        lower = late.filter(supervisor__isnull=False, supervisor__is_active=True).values_list(
            "pk", "number", "deadline", "supervisor_id"
        )
        yield from escalated(lower, "您分解督办的事项 {number} 已超期 {late} 个工作日，请督办")
        # ...then, 3 working days on, the ledger's supervisors, who hear of their own at once.
        upward = late.filter(Q(supervisor__isnull=True) | Q(deadline__lte=escalate_up_before))
        supervisors = Ledger.supervisors.through.objects.filter(
            ledger__items__in=upward, user__is_active=True
        ).values_list(
            "ledger__items__id", "ledger__items__number", "ledger__items__deadline", "user_id"
        )
        yield from escalated(supervisors, "督办事项 {number} 已超期 {late} 个工作日，请督办")
        # The lead unit's leaders: leader roles scoped exactly at the lead unit.
        heads = RoleAssignment.objects.filter(
            role=Role.LEADER, unit__led_items__in=late, user__is_active=True
        ).values_list(
            "unit__led_items__id", "unit__led_items__number", "unit__led_items__deadline", "user_id"
        )
        yield from escalated(heads, "本单位牵头的督办事项 {number} 已超期 {late} 个工作日")

    counts["due"] = notify.create(due_notices())
    counts["overdue"] = notify.create(overdue_notices())
    counts["escalated"] = notify.create(escalation_notices())

    # One digest per lead unit for its group robot, instead of a message per item.
    digest = (
        Item.objects.filter(state__in=ACTIVE, lead_unit__webhooks__active=True)
        .filter(Q(deadline__lt=today) | Q(deadline__in=list(due_days)))
        .values("lead_unit")
        .annotate(
            overdue=Count("pk", filter=Q(deadline__lt=today), distinct=True),
            due=Count("pk", filter=~Q(deadline__lt=today), distinct=True),
        )
    )
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[row["lead_unit"] for row in digest])}
    for row in digest:
        unit = units[row["lead_unit"]]
        text = f"【督办提醒 {today.month}月{today.day}日】{unit.display_name}：即将到期 {row['due']} 项，已超期 {row['overdue']} 项。"
        notify.queue_webhook(unit, f"ledger.digest:{unit.pk}:{stamp}", text)
    return counts
