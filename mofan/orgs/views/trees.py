"""The two trees, one lazily loaded level at a time."""

from django.shortcuts import render
from django.views import View

from mofan.access.scoping import Action
from mofan.access.views_base import ScopedMixin
from mofan.orgs import stats
from mofan.orgs.models import PartyOrg, Unit


class TreeView(ScopedMixin, View):
    """The org tree, one level at a time: roots first, children fetched by htmx when opened."""

    model = PartyOrg
    action = Action.BROWSE

    def get(self, request):
        visible = self.scoped_queryset()
        parent_id = request.GET.get("parent")
        parent = None
        if parent_id:
            parent = self.get_scoped_object(parent_id)
            nodes = visible.children_of(parent)
        else:
            # Roots of what the user may see: the tops of their scopes.
            nodes = visible.roots(request.user)
        nodes = list(nodes.order_by("order", "path"))
        if parent is None:
            # Top nodes may sit at different depths: count each within its own subtree.
            rows = [row for node in nodes for row in stats.with_level_counts(node.path, [node])]
        else:
            rows = stats.with_level_counts(parent.path, nodes)
        template = "orgs/_tree_level.html" if request.htmx or parent_id else "orgs/tree.html"
        return render(
            request, template, {"rows": rows, "breadcrumbs": [{"label": "组织架构", "url": ""}]}
        )


class UnitTreeView(ScopedMixin, View):
    """The unit tree (单位/部门/处室), one level at a time, with the people in each subtree."""

    model = Unit
    action = Action.BROWSE

    def get(self, request):
        visible = self.scoped_queryset()
        parent_id = request.GET.get("parent")
        if parent_id:
            parent = self.get_scoped_object(parent_id)
            levels = [(parent.path, visible.children_of(parent))]
        else:
            levels = [(u.path, [u]) for u in visible.roots(request.user)]
        rows = []
        for within, units in levels:
            units = list(units.order_by("order", "path")) if hasattr(units, "order_by") else units
            counts = stats.unit_level_people(within, units)
            rows += [(unit, counts[unit.path]) for unit in units]
        template = "orgs/_unit_level.html" if parent_id else "orgs/unit_tree.html"
        return render(
            request, template, {"rows": rows, "breadcrumbs": [{"label": "单位", "url": ""}]}
        )
