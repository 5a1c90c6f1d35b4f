"""One gate by construction: the scoping layer is the only place that decides who sees what, and
nothing reaches around it by accident (hardening issue, "One gate by construction")."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

from mofan.access.scoping import Action

PACKAGE = Path(__file__).resolve().parents[2]


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path, parts, ast.parse(path.read_text(encoding="utf-8"))


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


# --- scopes are read in the querysets modules only ------------------------------------------

SCOPE_NAMES = {"scope_for", "prefix_q"}
SCOPE_ATTRIBUTES = {"org_paths", "unit_paths", "tree_org_paths", "tree_unit_paths"}
# Where a path-prefix filter is not a visibility decision: the compliance engine, the results it
# keeps and the structure's figures compute over a subtree the caller got through the gate (or
# over all of it, for the jobs); the assessment scorers, over the subtree of a round the caller
# reached through the gate, and the data sheets built from them, over the organisation of a report
# the caller reached through the gate; demo seeders.
PREFIX_ALLOWED = {
    "meetings/compliance.py",
    "assessment/formulas.py",
    "assessment/datasheet.py",
    "meetings/kept.py",
    "orgs/stats.py",
    "ledger/demo_large.py",
    "meetings/demo_large.py",
}


def _scope_readers(path, parts, tree) -> list[str]:
    if parts[-1] == "querysets.py" or _name(path) == "access/scoping.py":
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in SCOPE_NAMES:
            found.append(f"{_name(path)}:{node.lineno} {node.id}")
        elif isinstance(node, ast.alias) and node.name in SCOPE_NAMES:
            found.append(f"{_name(path)} imports {node.name}")
        elif isinstance(node, ast.Attribute) and node.attr in SCOPE_ATTRIBUTES:
            found.append(f"{_name(path)}:{node.lineno} .{node.attr}")
        elif (
            isinstance(node, ast.keyword)
            and node.arg
            and node.arg.endswith("path__startswith")
            and _name(path) not in PREFIX_ALLOWED
        ):
            found.append(f"{_name(path)}:{node.value.lineno} {node.arg}=")
    return found


def test_only_the_querysets_modules_read_scopes_or_filter_by_path_prefix():
    found = [hit for source in _sources() for hit in _scope_readers(*source)]
    assert found == []


# --- views, forms, filters and serializers read through restrict() ---------------------------

# The audit trail sits below the gate (it may not import access): its pages and API, in the
# console, are for the auditor as a whole (RoleRequiredMixin, IsAuditor; permission matrix).
UNGATED_MODELS = {"AuditEvent"}
# restrict() and roots() take the user; none() is an empty choice set.
ALLOWED_METHODS = {"restrict", "roots", "none"}


def _request_facing(parts) -> bool:
    name = parts[-1]
    return (
        "views" in parts
        or "api" in parts
        or name in {"views.py", "forms.py", "filters.py", "serializers.py", "api.py", "pickers.py"}
        or name.endswith("_views.py")
        or name == "context_processors.py"
    )


def _unscoped_reads(path, parts, tree) -> list[str]:
    if not _request_facing(parts):
        return []
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "objects"
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id not in UNGATED_MODELS
            and node.attr not in ALLOWED_METHODS
        ):
            found.append(f"{_name(path)}:{node.lineno} {node.value.value.id}.objects.{node.attr}")
    return found


def test_views_forms_filters_and_serializers_read_models_through_restrict():
    found = [hit for source in _sources() for hit in _unscoped_reads(*source)]
    assert found == []


# --- no model writes in views and API modules -----------------------------------------------

WRITES = {"save", "delete", "update", "create", "bulk_create", "bulk_update", "get_or_create"}
WRITES |= {"update_or_create", "add", "remove", "set", "clear"}


def _writes(path, parts, tree) -> list[str]:
    if not ("views" in parts or "api" in parts or parts[-1].endswith(("views.py", "api.py"))):
        return []
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
        ):
            receiver = ast.unparse(node.func.value)
            if receiver in {"messages", "request.session", "form.errors"}:
                continue
            found.append(f"{_name(path)}:{node.lineno} {receiver}.{node.func.attr}()")
    return found


def test_views_and_api_modules_change_nothing_but_through_services():
    found = [hit for source in _sources() for hit in _writes(*source)]
    assert found == []


# --- restrict() takes an Action the model answers, nothing else ------------------------------


def _restricted_models():
    return sorted(
        (m for m in apps.get_models() if hasattr(m._default_manager, "restrict")),
        key=lambda m: m._meta.label,
    )


def test_the_gated_models_include_every_organisational_record():
    labels = {m._meta.label for m in _restricted_models()}
    assert {
        "orgs.PartyOrg",
        "orgs.Unit",
        "orgs.Person",
        "orgs.Membership",
        "orgs.Position",
        "ledger.Ledger",
        "ledger.Item",
        "ledger.Source",
        "ledger.Finding",
        "ledger.Attachment",
        "ledger.Decomposition",
        "meetings.Meeting",
        "meetings.MeetingPlan",
        "meetings.MeetingRule",
        "meetings.Attendance",
        "meetings.StudyTopic",
        "meetings.MinutesGrant",
        "notify.Notification",
        "notify.Webhook",
        "access.User",
        "access.RoleAssignment",
    } <= labels


@pytest.mark.django_db
@pytest.mark.parametrize("model", _restricted_models(), ids=lambda m: m._meta.label)
def test_restrict_refuses_a_string_and_answers_or_refuses_every_action(world, model):
    manager = model._default_manager
    with pytest.raises(TypeError, match="Action"):
        manager.restrict(world.carol, "view")
    with pytest.raises(TypeError, match="Action"):
        manager.restrict(world.carol, "veiw")
    answered = []
    for action in Action:
        try:
            queryset = manager.restrict(world.carol, action)
        except ValueError as refused:
            assert action.name in str(refused)
            continue
        queryset.count()  # a real query: no action is answered by accident
        answered.append(action)
    assert answered, f"{model._meta.label} answers no action"


def test_a_typo_in_an_action_fails_at_once():
    with pytest.raises(AttributeError):
        Action.VEIW  # noqa: B018


# --- filters cannot be used to probe another organisation ------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/meetings/?org={}",
        "/api/meeting-plans/?org={}",
        "/api/meeting-rules/?org={}",
        "/api/memberships/?org={}",
        "/api/party-orgs/?parent={}",
    ],
)
def test_an_organisation_outside_ones_scope_filters_like_a_missing_one(world, login, url):
    client = login(world.bob)  # secretary of branch B
    outside = client.get(url.format(world.branch_a.pk))
    missing = client.get(url.format(999_999))
    assert outside.status_code == missing.status_code
    assert outside.json() == missing.json()
    if outside.status_code == 400:
        assert "选择" in str(outside.json())  # "select a valid choice", in Chinese


@pytest.mark.django_db
def test_a_unit_outside_ones_scope_filters_people_like_a_missing_one(world, login):
    client = login(world.una)  # leader of unit B
    outside = client.get(f"/api/people/?unit={world.unit_a.pk}")
    missing = client.get("/api/people/?unit=999999")
    assert outside.status_code == missing.status_code == 400
    assert outside.json() == missing.json()
