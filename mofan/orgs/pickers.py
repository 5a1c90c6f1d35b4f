"""Choosing a unit, a party organisation or a person by name.

Every place where a user names one (ledgers, items, filters, meetings, the roster, group robots)
shows a searchable picker instead of a code box: the browser asks `orgs:pick` for matches of what
was typed — full name, short name, alias, pinyin initials ("bgt" finds 办公厅, "zs" 张三) or the
code — and the form field accepts only what the same scoped queryset holds. Both read through
`restrict()`, so a picker never offers, and a form never takes, what the user may not choose.
"""

import re
from dataclasses import dataclass

from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from mofan.access.scoping import Action
from mofan.core.widgets import PickerSelect, PickerSelectMultiple
from mofan.orgs.models import PartyOrg, Person, Unit

LIMIT = 30  # matches sent for one query; typing more narrows them


@dataclass(frozen=True)
class Kind:
    model: type
    actions: frozenset
    default_action: Action


KINDS = {
    "units": Kind(
        Unit,
        frozenset({Action.CHOOSE, Action.BROWSE, Action.VIEW, Action.CHANGE, Action.DECOMPOSE}),
        Action.CHOOSE,
    ),
    "orgs": Kind(
        PartyOrg,
        frozenset({Action.BROWSE, Action.VIEW, Action.CHANGE, Action.RECORD, Action.TRANSFER}),
        Action.VIEW,
    ),
    "people": Kind(Person, frozenset({Action.VIEW, Action.CHANGE, Action.DECOMPOSE}), Action.VIEW),
    # The organisation a member's record is transferred to: any branch or group of the system,
    # for those who may issue a transfer anywhere (the letter names its receiver by name).
    "receivers": Kind(PartyOrg, frozenset({Action.ADDRESS}), Action.ADDRESS),
}


class PickerError(ValueError):
    """A picker request that names no kind, action or unit the user may use (400, in Chinese)."""


# --- what may be chosen ---------------------------------------------------------------------


def choices(user, kind: str, *, action: Action | None = None, within=None, account=False):
    """The queryset a picker of this kind searches and its form field accepts."""
    spec = KINDS.get(kind)
    if spec is None:
        raise PickerError("未知的选择类型。")
    action = action or spec.default_action
    if action not in spec.actions:
        raise PickerError("不支持的选择范围。")
    queryset = spec.model.objects.restrict(user, action)
    if kind == "people":
        queryset = queryset.select_related("unit")
        if within is not None:
            queryset = queryset.in_units_of(within)
        if account:
            queryset = queryset.filter(user__isnull=False, user__is_active=True)
    elif within is not None:
        queryset = queryset.subtree(within)
    if kind == "orgs":
        queryset = queryset.active()
    return queryset


def within_unit(user, value) -> Unit | None:
    """The unit named by a picker's `within` parameter: one the user may choose, else an error."""
    if value in (None, ""):
        return None
    if not str(value).isdecimal():
        raise PickerError("单位参数无效。")
    unit = Unit.objects.restrict(user, Action.CHOOSE).filter(pk=int(value)).first()
    if unit is None:
        raise PickerError("单位不存在或已撤销。")
    return unit


# --- searching ------------------------------------------------------------------------------


def _tree_matches(queryset: QuerySet, text: str) -> QuerySet:
    if text.isascii():
        lowered = text.lower().replace(" ", "")
        return queryset.filter(
            Q(search_keys__contains=lowered) | Q(code__istartswith=text)
        ).annotate(
            rank=Case(
                # the initials of a whole name, short name or alias ("bgt" is 办公厅 itself)...
                When(
                    Q(search_keys=lowered)
                    | Q(search_keys__startswith=f"{lowered} ")
                    | Q(search_keys__endswith=f" {lowered}")
                    | Q(search_keys__contains=f" {lowered} ")
                    | Q(code__iexact=text),
                    then=Value(0),
                ),
                # ...before the names they begin (办公厅综合处), before the rest
                When(search_keys__startswith=lowered, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
    query = Q(name__contains=text) | Q(short_name__contains=text)
    if queryset.model is Unit:
        query |= Q(aliases__contains=text)
    return queryset.filter(query).annotate(
        rank=Case(
            When(name=text, then=Value(0)),
            When(short_name=text, then=Value(0)),
            When(name__startswith=text, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )


def search(queryset: QuerySet, text: str, *, limit: int = LIMIT) -> list:
    """The first matches of `text` in a picker's queryset, best first. No text: the first ones
    in the official order (the top of the tree, people by 姓氏笔画)."""
    text = (text or "").strip()[:50]
    if queryset.model is Person:
        found = queryset.search(text) if text else queryset
        return list(found.order_by("name_stroke_key", "pk")[:limit])
    if not text:
        return list(queryset.order_by("depth", "path")[:limit])
    return list(_tree_matches(queryset, text).order_by("rank", "depth", "path")[:limit])


def option(obj) -> dict:
    """One match as the picker shows it: the name, and what tells two alike apart."""
    if isinstance(obj, Person):
        unit = obj.unit.display_name if obj.unit_id else ""
        return {
            "value": obj.pk,
            "text": obj.name,
            "hint": " ".join(p for p in (unit, obj.job_title) if p),
        }
    hint = obj.short_name if obj.short_name and obj.short_name != obj.name else ""
    if isinstance(obj, PartyOrg):
        # A receiver of a transfer names the organisation above it: two organs' 第一党支部
        # differ only there (the ADDRESS queryset reads it).
        above = getattr(obj, "parent_name", "")
        hint = " ".join(p for p in (obj.get_kind_display(), hint, above and f"属{above}") if p)
    return {"value": obj.pk, "text": obj.name, "hint": hint}


def label(obj) -> str:
    """How a chosen value reads inside the form (the same words the picker showed)."""
    shown = option(obj)
    return f"{shown['text']}（{shown['hint']}）" if shown["hint"] else shown["text"]


# --- names typed into a sheet -----------------------------------------------------------------

AMBIGUOUS = object()  # a name several of the choices go by


def by_names(queryset: QuerySet, texts) -> dict:
    """What each text of an imported sheet names in a picker's queryset: the code, the full name,
    the short name or (units) an alias, in that order of precedence. A text several choices go by
    maps to AMBIGUOUS; one nothing goes by is absent. One query per kind of match."""
    texts = {t.strip() for t in texts if t and t.strip()}
    found: dict = {}
    if not texts:
        return found
    for obj in queryset.filter(code__in=texts):
        found[obj.code] = obj
    rest = texts - found.keys()
    for field in ("name", "short_name"):
        if not rest:
            break
        hits: dict = {}
        for obj in queryset.filter(**{f"{field}__in": rest}):
            key = getattr(obj, field)
            hits[key] = AMBIGUOUS if key in hits else obj
        found.update(hits)
        rest -= hits.keys()
    if rest and queryset.model is Unit:
        query = Q()
        for text in rest:
            query |= Q(aliases__contains=text)
        for obj in queryset.filter(query):
            for alias in re.split(r"[、，,;；\s]+", obj.aliases):
                if alias in rest:
                    found[alias] = AMBIGUOUS if alias in found and found[alias] != obj else obj
    return found


# --- form fields ----------------------------------------------------------------------------


class _Picker:
    """Shared by the single and the multiple field: `bind()` gives the field its scoped queryset
    and tells the widget where to search, with the same parameters."""

    kind = ""

    def __init__(self, *args, kind: str, **kwargs):
        self.kind = kind
        kwargs.setdefault("queryset", KINDS[kind].model.objects.none())
        super().__init__(*args, **kwargs)
        self.widget.kind = kind

    def label_from_instance(self, obj):
        return label(obj)

    def bind(
        self, user, *, kind: str = "", action: Action | None = None, within=None, account=False
    ):
        if kind:  # one form serves both trees (move, merge)
            self.kind = self.widget.kind = kind
        self.queryset = choices(user, self.kind, action=action, within=within, account=account)
        params = {}
        if action:
            params["action"] = action.value
        if within is not None:
            params["within"] = within.pk
        if account:
            params["account"] = 1
        self.widget.params = params
        return self


class PickerField(_Picker, forms.ModelChoiceField):
    widget = PickerSelect
    default_error_messages = {"invalid_choice": "所选项不存在，或不在您可选择的范围内。"}

    def to_python(self, value):
        # Kept for the widget, which shows the chosen option when the form is drawn again.
        found = super().to_python(value)
        if found is not None:
            self.looked_up = {str(found.pk): found}
        return found


class MultiplePickerField(_Picker, forms.ModelMultipleChoiceField):
    widget = PickerSelectMultiple
    default_error_messages = {
        "invalid_choice": "所选项“%(value)s”不存在，或不在您可选择的范围内。",
        "invalid_pk_value": "所选项“%(pk)s”无效。",
    }
