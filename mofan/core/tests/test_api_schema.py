"""The OpenAPI schema tells the truth: schemathesis generates requests from it (valid and invalid
ones, derandomized, a fixed budget of examples per operation) and every answer must be no server
error, with a documented status code, a documented content type and a body that matches the
documented schema. Run against the WSGI application, signed in with an API token.

(Schemathesis's own pytest plugin does not run under pytest 9, so the operations are driven here
through its Python API: one Hypothesis test per operation and generation mode.)"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.generation.modes import GenerationMode

from mofan.access import services as access
from mofan.access.roles import Role

pytestmark = pytest.mark.django_db

# Small enough for the whole run to take a couple of minutes, large enough that every operation
# gets valid and invalid bodies and parameters.
EXAMPLES_PER_OPERATION = 8
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


def _existing_ids(w) -> dict[str, dict]:
    """Path parameters of objects that exist, so that valid requests reach more than a 404."""
    from mofan.audit.models import AuditEvent
    from mofan.meetings.models import MeetingRule
    from mofan.orgs.models import Membership

    return {
        "/api/party-orgs/{id}/": {"id": w.branch_a.pk},
        "/api/units/{id}/": {"id": w.unit_a.pk},
        "/api/people/{id}/": {"id": w.amy_p.pk},
        "/api/memberships/{id}/": {"id": Membership.objects.filter(person=w.amy_p).first().pk},
        "/api/audit-events/{id}/": {"id": AuditEvent.objects.order_by("pk").first().pk},
        "/api/ledgers/{id}/": {"id": w.ledger.pk},
        "/api/ledger-items/{id}/": {"id": w.item.pk},
        "/api/meetings/{id}/": {"id": w.meeting.pk},
        "/api/meeting-plans/{id}/": {"id": w.plan.pk},
        "/api/meeting-rules/{id}/": {"id": MeetingRule.objects.first().pk},
        "/api/dues-bases/{id}/": {"id": w.dues_base.pk},
        "/api/dues-payments/{id}/": {"id": w.dues_payment.pk},
        "/api/transfers/{id}/": {"id": w.transfer.pk},
        "/api/standing-changes/{id}/": {"id": w.standing_change.pk},
        "/api/applicants/{id}/": {"id": w.applicant.pk},
        "/api/check-entries/{id}/": {"id": w.check_entry.pk},
    }


@pytest.fixture
def wsgi_application():
    """The real WSGI handler, inside the test's transaction: like Django's test client, it must
    not close the connection at the end of each request (the transaction would go with it)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_api_answers_as_its_schema_says(site_world, wsgi_application):
    w = site_world
    # sam supervises the ledger; as org admin of the organ committee he also records its
    # branches' meetings: writes of both apps are tried, not only refused.
    access.grant_role(w.sam, actor=None, role=Role.ORG_ADMIN, org=w.organ)
    headers = {"Authorization": f"Token {access.issue_api_token(w.sam, actor=w.sam)}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_application, headers=headers)
    ids = _existing_ids(w)

    runs = []
    for result in schema.get_all_operations():
        operation = result.ok()
        runs.append((operation, GenerationMode.NEGATIVE, {}))
        runs.append((operation, GenerationMode.POSITIVE, {}))
        for prefix, parameters in ids.items():
            if operation.path.startswith(prefix.rsplit("/", 2)[0] + "/{"):
                runs.append((operation, GenerationMode.POSITIVE, parameters))

    failures = []
    for operation, mode, parameters in runs:
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=parameters or None)

        @given(case=strategy)
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,  # the same requests on every run
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001  (report each operation)
            failures.append(f"{operation.label} ({mode}, {parameters}):\n{error}")
    assert len(runs) > 60
    assert not failures, "\n\n".join(failures)


def test_the_schema_is_generated_without_a_warning(tmp_path):
    """A field drf-spectacular cannot type falls back to a bare string with a warning; CI fails on
    any warning, so this run of the same command keeps the suite honest about it."""
    from django.core.management import call_command

    target = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "/api/dues-payments/" in text
    assert "pattern: ^\\d{4}-\\d{2}$" in text


def test_a_path_under_the_api_that_matches_no_endpoint_answers_json(world, login):
    answer = login(world.carol).get("/api/people/0.5/")
    assert answer.status_code == 404
    assert answer.json() == {"detail": "未找到该记录。"}
