"""Every URL the site answers, asked by GET, HEAD and an empty POST by each persona (allowed or
not), answers without a server error. The probe found `GET /ledger/items/<id>/report/` answering
500; this walk finds that class of bug wherever a new URL brings it."""

import itertools

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# What each URL parameter is tried with: the values the views act on, and one they don't know.
SLUGS = {
    "what": [
        "transition", "report", "comment", "milestone", "milestone_done", "attachment",
        "handover", "x",
    ],
    "kind": ["add_child", "move", "merge", "dissolve", "x"],
    "action": [
        "notify", "mark", "leave", "task", "report", "sitin", "guest", "file", "cancel",
        "accept-all", "reject-pending", "merge", "commit", "discard", "x",
    ],
    "fmt": ["xlsx", "docx", "x"],
    "variant": ["view", "thumb", "x"],
    "name": ["missing.xlsx"],
    "year": [2026, 1999],
    "month": [11, 13],
    "op": ["self", "score", "evidence", "rectify", "correct", "x"],
}  # fmt: skip


def _objects(w) -> dict:
    """The object a `pk` (or another id) of each model stands for."""
    from mofan.audit.models import AuditEvent
    from mofan.dues.models import DuesRule
    from mofan.meetings.models import MeetingRule
    from mofan.orgs.models import Membership

    membership = Membership.objects.filter(person=w.amy_p).first()
    return {
        "DuesBase": w.dues_base,
        "DuesPayment": w.dues_payment,
        "DuesRule": DuesRule.objects.first(),
        "Handover": w.handover,
        "PartyOrg": w.branch_a,
        "Unit": w.unit_a,
        "Person": w.amy_p,
        "Membership": membership,
        "Ledger": w.ledger,
        "Item": w.item,
        "Source": w.source,
        "Finding": w.finding,
        "Decomposition": w.decomposition,
        "Attachment": w.attachment,
        "Meeting": w.meeting,
        "MeetingPlan": w.plan,
        "MeetingRule": MeetingRule.objects.first(),
        "AuditEvent": AuditEvent.objects.order_by("-pk").first(),
        "Transfer": w.transfer,
        "StandingChange": w.standing_change,
        "Applicant": w.applicant,
        "Scheme": w.assessment_scheme,
        "Round": w.assessment_round,
        "Target": w.target,
        "Score": w.score,
        "DutyList": w.duty_list,
        "Debrief": w.debrief,
        "CheckEntry": w.check_entry,
        "AnnualReport": w.annual_report,
        "Award": w.award,
        "Candidate": w.candidate,
        "Debriefer": w.debriefer,
    }


# Ids that are not the pk of the view's model, by URL name and parameter.
def _other_ids(w) -> dict:
    return {
        ("orgs:membership_edit", "pk"): w.amy_p.pk,
        ("orgs:end_position", "position_pk"): w.position.pk,
        ("ledger:source_decompose", "attachment"): w.attachment.pk,
        ("ledger:candidate", "candidate_pk"): w.candidate.pk,
        ("meetings:file", "file_pk"): w.meeting_file.pk,
        ("meetings:sign_in", "token"): w.sign_in_token,
        ("dues:member", "pk"): w.amy_p.pk,
        ("members:issue", "pk"): w.amy_p.pk,
        ("members:standing", "pk"): w.outsider_p.pk,
        ("recruitment:document", "document_pk"): w.applicant_document.pk,
        ("assessment:indicator", "indicator_pk"): w.indicator.pk,
        ("assessment:score_action", "pk"): w.score.pk,
        ("assessment:drill", "pk"): w.record_score.pk,
        ("assessment:evidence", "pk"): w.evidence.pk,
        ("ballot", "code"): w.slip_code,
        ("assessment:check_sheet", "org_pk"): w.branch_a.pk,
        ("checkentry-sheet", "org_id"): w.branch_a.pk,
        ("debriefballot-detail", "code"): w.slip_code,
        ("assessment:debrief_report", "pk"): w.debrief.pk,
        ("assessment:debrief_report", "debriefer_pk"): w.debriefer.pk,
        ("assessment:debrief_report_file", "pk"): w.debrief.pk,
        ("assessment:debrief_report_file", "debriefer_pk"): w.debriefer.pk,
        ("assessment:debrief_sheet", "pk"): w.debrief.pk,
        ("assessment:debrief_sheet", "debriefer_pk"): w.debriefer.pk,
        ("inspection:plan", "pk"): w.inspection_plan.pk,
        ("inspection:round", "pk"): w.inspection_round.pk,
        ("inspection:target", "pk"): w.inspection_target.pk,
        ("inspection:announcement", "pk"): w.inspection_target.pk,
        **{
            (f"inspectionplan-{n}", "pk"): w.inspection_plan.pk
            for n in ("detail", "orgs", "coverage")
        },
        **{
            (f"inspectionround-{n}", "pk"): w.inspection_round.pk
            for n in ("detail", "advance", "members", "targets", "teams")
        },
        ("inspectiontarget-detail", "pk"): w.inspection_target.pk,
        ("inspectionfinding-detail", "pk"): w.inspection_finding.pk,
        ("inspection:letters", "pk"): w.inspection_round.pk,
        ("inspection:feedback", "pk"): w.inspection_target2.pk,
        ("inspection:findings_sheet", "pk"): w.inspection_round2.pk,
        ("inspection:rectification", "pk"): w.inspection_rect.pk,
        ("inspection:paper", "pk"): w.inspection_rect.pk,
        ("inspection:paper", "paper"): "plan",
        ("inspection:disclosure", "pk"): w.inspection_rect.pk,
        ("inspection:disclosure", "disclosure"): w.inspection_disclosure.pk,
        **{
            (f"inspectionround-{n}", "pk"): w.inspection_round2.pk for n in ("hand-over", "figures")
        },
        ("inspectionfinding-rate", "pk"): w.inspection_finding.pk,
        ("inspectionfinding-evidence", "pk"): w.inspection_finding.pk,
        ("inspectionfinding-evidence-file", "pk"): w.inspection_finding.pk,
        ("inspectionfinding-evidence-file", "evidence_id"): w.inspection_evidence.pk,
        ("inspection:evidence", "pk"): w.inspection_evidence.pk,
        **{
            (f"inspectionrectification-{n}", "pk"): w.inspection_rect.pk
            for n in ("detail", "paper", "paper-file", "disclosures", "disclose", "publish")
        },
        ("inspectionrectification-paper-file", "paper"): "plan",
        ("discipline:lead", "pk"): w.lead.pk,
        ("discipline:lead_record", "pk"): w.lead.pk,
        ("discipline:from_finding", "pk"): w.inspection_finding.pk,
        ("discipline:report_round", "pk"): w.report_round.pk,
        ("discipline:my_report", "pk"): w.report_round.pk,
        ("discipline:report", "pk"): w.personal_report.pk,
        **{
            (f"disciplinelead-{n}", "pk"): w.lead.pk
            for n in ("detail", "review", "assign", "step", "conclude", "revisit")
        },
        ("disciplinetalk-detail", "pk"): w.talk.pk,
        ("disciplinedutyreport-detail", "pk"): w.duty_report.pk,
        **{
            (f"disciplinereportround-{n}", "pk"): w.report_round.pk
            for n in ("detail", "draw", "draws", "close")
        },
        **{(f"disciplinereport-{n}", "pk"): w.personal_report.pk for n in ("detail", "submit")},
        **{(f"disciplinecheck-{n}", "pk"): w.check.pk for n in ("detail", "conclude")},
        ("inspectioninterview-detail", "pk"): w.inspection_interview.pk,
        ("inspectionletter-detail", "pk"): w.inspection_letter.pk,
        ("inspectionletter-classify", "pk"): w.inspection_letter.pk,
    }


def _patterns(patterns=None, namespace=""):
    """(URL name, view class, parameter names) of every named URL pattern."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, inner.strip(":"))
        elif isinstance(entry, URLPattern) and entry.name:
            view = getattr(entry.callback, "view_class", None) or getattr(
                entry.callback, "cls", None
            )
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, view, list(entry.pattern.regex.groupindex)


def _model_name(view) -> str | None:
    model = getattr(view, "model", None)
    if model is None and getattr(view, "serializer_class", None) is not None:
        model = getattr(getattr(view.serializer_class, "Meta", None), "model", None)
    if model is None and getattr(view, "queryset", None) is not None:
        model = view.queryset.model
    return model.__name__ if model is not None else None


# Generated for everyone alike in seconds; schemathesis reads it (test_api_schema.py).
SKIPPED = {"api-schema"}


def urls(w) -> list[tuple[str, bool]]:
    """Each URL to try, and whether to read it too (GET and HEAD) or only POST to it: a pattern's
    first and last values (a known and an unknown slug) are read, every value is posted to."""
    objects, others = _objects(w), _other_ids(w)
    found, missing = [], []
    for name, view, params in _patterns():
        if name in SKIPPED:
            continue
        choices = []
        for param in params:
            if (name, param) in others:
                choices.append([others[(name, param)]])
            elif param == "pk" and _model_name(view) in objects:
                choices.append([objects[_model_name(view)].pk])
            elif param in SLUGS:
                choices.append(SLUGS[param])
            else:
                missing.append(f"{name}: {param}")
        combinations = list(itertools.product(*choices))
        for n, values in enumerate(combinations):
            url = reverse(name, kwargs=dict(zip(params, values, strict=True)))
            found.append((url, n in (0, len(combinations) - 1)))
    assert not missing, f"say what to try these URL parameters with: {missing}"
    # Signing out last, so that the walk goes on signed in.
    return sorted(set(found), key=lambda entry: (entry[0] == reverse("access:logout"), entry))


# Signed out; a member who owns the item; the secretary who records the meeting; the secretary of
# another branch; the org admin; the supervisor of the ledger; an admin role (with its second factor);
# the organ committee's discipline officer (巡视巡察).
PERSONAS = ["anonymous", "amy", "alice", "bob", "carol", "sam", "sysadmin", "qian"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_url_answers_a_server_error(site_world, login, persona):
    # The test client raises what a view raised, so the failure names the exception.
    client = Client() if persona == "anonymous" else login(getattr(site_world, persona))
    failures = []
    for url, read in urls(site_world):
        for method in ("get", "head", "post") if read else ("post",):
            try:
                status = getattr(client, method)(url).status_code
            except Exception as error:  # noqa: BLE001  (every exception is the finding)
                failures.append(f"{method.upper()} {url}: {type(error).__name__}: {error}")
                continue
            if status >= 500:
                failures.append(f"{method.upper()} {url}: {status}")
    assert not failures, "\n".join(failures)
