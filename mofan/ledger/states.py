"""The item state machine, in one place: which action moves an item from which states to which,
who may take it, and what it needs. Services call `require()`; nothing else changes `Item.state`."""

from dataclasses import dataclass

from mofan.core.errors import UserFacingError
from mofan.ledger.choices import ItemState


class InvalidTransition(UserFacingError):
    status_code = 409


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    by: str  # "supervisor" of the ledger or "owner" of the item
    needs_comment: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("assign", "交办", (ItemState.DRAFT,), ItemState.ASSIGNED, "supervisor"),
        Transition("accept", "签收", (ItemState.ASSIGNED,), ItemState.ACCEPTED, "owner"),
        Transition("start", "开始办理", (ItemState.ACCEPTED,), ItemState.IN_PROGRESS, "owner"),
        Transition(
            "submit_done",
            "申请办结",
            (ItemState.IN_PROGRESS,),
            ItemState.DONE,
            "owner",
            needs_comment=True,
        ),
        Transition("close_out", "销号", (ItemState.DONE,), ItemState.CLOSED, "supervisor"),
        Transition(
            "return",
            "退回",
            (ItemState.DONE,),
            ItemState.IN_PROGRESS,
            "supervisor",
            needs_comment=True,
        ),
    )
}


def require(state: str, name: str) -> Transition:
    """The transition, if it may start from this state; otherwise a Chinese refusal."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise InvalidTransition("未知的操作。")
    if state not in transition.sources:
        raise InvalidTransition(
            f"事项当前为“{ItemState(state).label}”，不能{transition.label}"
            f"（仅“{'、'.join(ItemState(s).label for s in transition.sources)}”状态可以{transition.label}）。"
        )
    return transition


def available(state: str, *, is_supervisor: bool, is_owner: bool) -> list[Transition]:
    """The actions a user may take on an item in this state, for the buttons of the item page."""
    return [
        t
        for t in TRANSITIONS.values()
        if state in t.sources
        and ((t.by == "supervisor" and is_supervisor) or (t.by == "owner" and is_owner))
    ]
