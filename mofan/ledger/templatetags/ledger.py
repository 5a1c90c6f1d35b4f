"""Template helpers of the ledger pages."""

from django import template
from django.utils.html import format_html, format_html_join

from mofan.core.links import link
from mofan.core.templatetags.mofan import cndate

register = template.Library()

# light: (colour, label)
BADGES = {"red": ("red", "红灯"), "yellow": ("yellow", "黄灯"), "green": ("green", "绿灯")}


@register.simple_tag(takes_context=True)
def light_badge(context, light: str) -> str:
    """An item's status light as a badge, the rule in its tooltip (`light_rule` of the page).
    A tag rather than an included template: an item table renders one per row, and an include
    cost 0.15 ms each."""
    return _badge(light, context.get("light_rule", ""))


def _badge(light: str, rule: str) -> str:
    badge = BADGES.get(light)
    if badge is None:
        return format_html('<span class="text-secondary">{}</span>', "—")
    colour, label = badge
    return format_html(
        '<span class="badge bg-{0} text-{0}-fg" title="{1}">{2}</span>', colour, rule, label
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
    items resolved some 1,200 template variables, about a third of the page's CPU.

    Columns: [选择] [台账] 序号, 任务内容 (a link), 牵头单位, [配合单位, 责任人], 完成时限, 状态, 灯.
    `select` adds the bulk-action checkbox (form "bulk"), `ledger_column` the ledger's name,
    `people` the co-units and owners (the lists ItemQuerySet.for_table(people=True) read)."""
    rule = context.get("light_rule", "")
    rows = []
    for item in items:
        cells = []
        if select:
            cells.append(
                format_html(
                    '<td class="d-print-none"><input class="form-check-input" type="checkbox" '
                    'name="items" value="{}" form="bulk" aria-label="选择事项 {}"></td>',
                    item.pk,
                    item.number,
                )
            )
        if ledger_column:
            cells.append(format_html('<td class="small">{}</td>', item.ledger.name))
        unit = item.lead_unit.display_name if item.lead_unit_id else ""
        cells.append(
            format_html(
                '<td class="text-nowrap">{}</td><td><a href="{}">{}</a></td>'
                '<td class="text-nowrap">{}</td>',
                item.number,
                link("ledger:item", item.pk),
                _truncated(item.content, length),
                unit or "—",
            )
        )
        if people:
            cells.append(
                format_html(
                    '<td class="d-none d-lg-table-cell small">{}</td><td class="small">{}</td>',
                    _names(item.co_unit_names),
                    _names(item.owner_names),
                )
            )
        deadline = "长期坚持" if item.ongoing else (cndate(item.deadline) or "—")
        late = getattr(item, "report_late", False)
        cells.append(
            format_html(
                '<td class="text-nowrap">{}</td><td class="text-nowrap">{}</td><td>{}{}</td>',
                deadline,
                item.state_label,
                _badge(item.light, rule),
                format_html('<div class="small text-warning">{}</div>', "未按期报送")
                if late
                else "",
            )
        )
        rows.append((format_html_join("", "{}", ((cell,) for cell in cells)),))
    return format_html_join("", "<tr>{}</tr>", rows)
