"""Template helpers of the ledger pages."""

from django import template
from django.utils.safestring import mark_safe

from mofan.core.links import link
from mofan.core.markup import esc
from mofan.core.templatetags.mofan import cndate

register = template.Library()

# light: (colour, label)
BADGES = {"red": ("red", "红灯"), "yellow": ("yellow", "黄灯"), "green": ("green", "绿灯")}
_NO_LIGHT = mark_safe('<span class="text-secondary">—</span>')  # nosec B308 - a constant


@register.simple_tag(takes_context=True)
def light_badge(context, light: str) -> str:
    """An item's status light as a badge, the rule in its tooltip (`light_rule` of the page).
    A tag rather than an included template: an item table renders one per row, and an include
    cost 0.15 ms each."""
    return _badge(light, context.get("light_rule", ""))


def _badge(light: str, rule: str) -> str:
    badge = BADGES.get(light)
    if badge is None:
        return _NO_LIGHT
    colour, label = badge
    # The colour and label are BADGES', the rule escaped.
    return mark_safe(  # noqa: S308  # nosec B308 B703
        f'<span class="badge bg-{colour} text-{colour}-fg" title="{esc(rule)}">{label}</span>'
    )


def _truncated(text: str, length: int) -> str:
    """`truncatechars`: at most `length` characters, the last of a cut text being "…". (Not
    Django's Truncator, which also weighs combining marks and took a tenth of a 50-row table.)"""
    return text if len(text) <= length else text[: length - 1] + "…"


def _names(names: list[str]) -> str:
    return "、".join(names) or "—"


@register.simple_tag(takes_context=True)
def item_rows(context, items, *, ledger_column=False, select=False, people=False, length=60):
    """The rows of an item table, built here rather than by the template engine: a table of 50
    items resolved some 1,200 template variables, about a third of the page's CPU. The cells are
    joined as plain strings, each value escaped once (`esc`): `format_html` per cell cost another
    600 calls of Django's lazy-aware escaping per table.

    Columns: [选择] [台账] 序号, 任务内容 (a link), 牵头单位, [配合单位, 责任人], 完成时限, 状态, 灯.
    `select` adds the bulk-action checkbox (form "bulk"), `ledger_column` the ledger's name,
    `people` the co-units and owners (the lists ItemQuerySet.for_table(people=True) read)."""
    rule = context.get("light_rule", "")
    rows = []
    for item in items:
        row = ["<tr>"]
        number = esc(item.number)
        if select:
            row.append(
                '<td class="d-print-none"><input class="form-check-input" type="checkbox" '
                f'name="items" value="{esc(item.pk)}" form="bulk" aria-label="选择事项 {number}"></td>'
            )
        if ledger_column:
            row.append(f'<td class="small">{esc(item.ledger.name)}</td>')
        unit = (item.lead_unit.display_name if item.lead_unit_id else "") or "—"
        row.append(
            f'<td class="text-nowrap">{number}</td>'
            f'<td><a href="{esc(link("ledger:item", item.pk))}">'
            f"{esc(_truncated(item.content, length))}</a></td>"
            f'<td class="text-nowrap">{esc(unit)}</td>'
        )
        if people:
            row.append(
                f'<td class="d-none d-lg-table-cell small">{esc(_names(item.co_unit_names))}</td>'
                f'<td class="small">{esc(_names(item.owner_names))}</td>'
            )
        deadline = "长期坚持" if item.ongoing else (cndate(item.deadline) or "—")
        late = (
            '<div class="small text-warning">未按期报送</div>'
            if getattr(item, "report_late", False)
            else ""
        )
        row.append(
            f'<td class="text-nowrap">{esc(deadline)}</td>'
            f'<td class="text-nowrap">{esc(item.state_label)}</td>'
            f"<td>{_badge(item.light, rule)}{late}</td></tr>"
        )
        rows.append("".join(row))
    return mark_safe("".join(rows))  # noqa: S308 - every value went through esc  # nosec B308 B703
