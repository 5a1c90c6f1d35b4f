"""Filtering and ordering of item tables, shared by the ledger page, "my tasks" and the API."""

from django.db.models import Q

from mofan.ledger.models import Item

ORDERINGS = {
    "": ("sort_key", "pk"),
    "deadline": ("deadline", "sort_key", "pk"),
    "-updated": ("-updated_at", "-pk"),
}


def filter_items(queryset, data: dict):
    """Apply the cleaned data of an ItemFilterForm; the queryset must carry `with_light()`."""
    if data.get("q"):
        queryset = queryset.filter(Q(content__contains=data["q"]) | Q(number=data["q"]))
    if data.get("unit"):
        # A unit chosen by name on the pages, or its code through the API.
        unit = data["unit"]
        key = {"unit": unit} if not isinstance(unit, str) else {"unit__code": unit.strip()}
        co = Item.co_units.through.objects.filter(**key).values("item_id")
        lead = {"lead_unit": unit} if "unit" in key else {"lead_unit__code": key["unit__code"]}
        queryset = queryset.filter(Q(**lead) | Q(pk__in=co))
    if data.get("owner"):
        owned = Item.owners.through.objects.filter(
            person__name__contains=data["owner"].strip()
        ).values("item_id")
        queryset = queryset.filter(pk__in=owned)
    if data.get("light"):
        queryset = queryset.with_light_only(data["light"])
    if data.get("state"):
        queryset = queryset.filter(state=data["state"])
    if data.get("deadline_after"):
        queryset = queryset.filter(deadline__gte=data["deadline_after"])
    if data.get("deadline_before"):
        queryset = queryset.filter(deadline__lte=data["deadline_before"])
    if data.get("source"):
        queryset = queryset.filter(source_id=data["source"])
    if data.get("tag"):
        queryset = queryset.filter(
            pk__in=Item.tags.through.objects.filter(tag__name=data["tag"].strip()).values("item_id")
        )
    return queryset.order_by(*ORDERINGS.get(data.get("sort") or "", ORDERINGS[""]))
