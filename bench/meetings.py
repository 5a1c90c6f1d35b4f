"""Benchmarks of 组织生活 on the large data set (called by bench/run.py; see its docstring).

- the compliance matrix of all 10,000 organisations × 12 months (kept rows, the nightly recount,
  the REST API);
- an organisation's meeting list and a member's study-hours page (server-side, test client);
- QR sign-in under load: gunicorn serves the bench database, a second process
  (bench/signin_load.py) runs 50 concurrent clients that sign 200 attendees in, four counted
  rounds after a warm-up, on loopback.
"""

import json
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from bench.serving import ROOT, gunicorn, percentiles

ATTENDEES = 200
ROUNDS = 4


def meeting_benchmarks(get_as, timed, once) -> list[dict]:
    from django.utils import timezone

    from mofan.access.models import User
    from mofan.meetings import compliance
    from mofan.meetings.models import Attendance, Meeting
    from mofan.orgs.models import PartyOrg

    root = PartyOrg.objects.get(code="NAT-P0")
    admin = User.objects.get(username="bench_root")
    client = get_as()
    client.force_login(admin)
    today = timezone.localdate()
    meetings, rows = Meeting.objects.count(), Attendance.objects.count()
    branch = (
        PartyOrg.objects.filter(code__startswith="NAT-B", kind="branch").order_by("path").first()
    )
    member = _member_user(branch)
    member_client = get_as()
    member_client.force_login(member)
    from mofan.meetings import kept

    kept.recount_due()  # what the minute's job would have done
    listed = compliance.listed_orgs(root, today.year, today).count()
    recount = once(
        f"Compliance kept: count all {PartyOrg.objects.count():,} organisations' {today.year} "
        f"again ({meetings:,} meetings, the engine; nightly)",
        lambda: kept.recount(root, [today.year], subtree=True),
    )
    one_org = once(
        "Compliance kept: a meeting recorded, its organisation's year counted again",
        lambda: kept.recount(branch, [today.year], subtree=False),
    )
    results = [
        {**recount, "p50_ms": recount["seconds"] * 1000, "p95_ms": "", "queries": "", "runs": 1,
         "note": f"{recount['value']:,} rows"},
        {**one_org, "p50_ms": one_org["seconds"] * 1000, "p95_ms": "", "queries": "", "runs": 1,
         "note": f"{one_org['value']} rows"},
        timed(
            f"Compliance matrix of all {listed:,} organisations listed × 12 months (kept rows)",
            lambda: compliance.matrix(root, today.year, today),
            runs=5,
        ),
        timed(
            "Compliance REST API of all organisations: page 1 (50 organisations)",
            lambda: client.get("/api/meeting-compliance/", {"org": root.pk}),
        ),
        timed(
            "Compliance REST API of all organisations: a page of 500, the 8th",
            lambda: client.get(
                "/api/meeting-compliance/", {"org": root.pk, "page_size": 500, "page": 8}
            ),
            runs=10,
        ),
        timed(
            "Compliance heat-map page of the whole tree, first 60 organisations",
            lambda: client.get("/meetings/compliance/"),
        ),
        timed(f"Meeting list of a branch ({branch.meetings.count()} meetings)", lambda: client.get(f"/meetings/orgs/{branch.pk}/")),
        timed(
            f"A member's study-hours page ({Attendance.objects.filter(person=member.person).count()} attendance rows; "
            f"{rows:,} in all)",
            lambda: member_client.get("/meetings/hours/"),
        ),
    ]  # fmt: skip
    results.append(_sign_in_load())
    return results


def _member_user(branch):
    from django.utils import timezone

    from mofan.access.models import User
    from mofan.orgs.models import Membership

    user = User.objects.filter(username="bench_member").first()
    if user is None:
        person = Membership.objects.filter(org=branch, person__user__isnull=True).first().person
        user = User.objects.create(
            username="bench_member", person=person, password_changed_at=timezone.now()
        )
    return user


def _sign_in_load() -> dict:
    """A 200-person assembly in the big office signs in by QR code: 50 concurrent clients, four
    counted rounds after a warm-up (attendance reset between them), timed by a second process
    against gunicorn."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
    from django.utils import timezone

    from mofan.access.models import User
    from mofan.meetings import services
    from mofan.meetings.choices import AttendanceRole, AttendanceStatus, MeetingKind, MeetingState
    from mofan.meetings.models import Attendance, Meeting
    from mofan.orgs.models import Membership, PartyOrg

    org = PartyOrg.objects.get(code="NAT-C00")
    now = timezone.now()
    creator = User.objects.get(username="bench_root")
    meeting = Meeting.objects.filter(title="压力测试：机关党员干部大会").first()
    if meeting is not None:  # an earlier run: the same roster (its people have users by now)
        people = list(meeting.attendance.order_by("pk").values_list("person_id", flat=True))
    else:
        people = list(
            Membership.objects.filter(org__path__startswith=org.path, person__user__isnull=True)
            .order_by("pk")
            .values_list("person_id", flat=True)[:ATTENDEES]
        )
        meeting = Meeting.objects.create(
            org=org, kind=MeetingKind.ORGAN_ASSEMBLY, title="压力测试：机关党员干部大会",
            starts_at=now, ends_at=now + timedelta(hours=2), month_index=services.month_index(now),
            expected_count=len(people), created_by=creator,
        )  # fmt: skip
        Attendance.objects.bulk_create(
            [Attendance(meeting=meeting, person_id=p, role=AttendanceRole.MEMBER) for p in people]
        )
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=now, ends_at=now + timedelta(hours=2), state=MeetingState.PLANNED
    )
    users = []
    for person in people:
        user, _ = User.objects.get_or_create(
            username=f"bench_att_{person}",
            defaults={"person_id": person, "password_changed_at": now},
        )
        users.append(user)
    # Users left from an earlier run keep whatever they had; a fresh password date keeps the
    # login policy from redirecting them to the password page.
    User.objects.filter(pk__in=[u.pk for u in users]).update(password_changed_at=now)
    # Signed-in sessions made directly (as the login view would), with a CSRF secret each.
    cookies = []
    for user in users:
        session = SessionStore()
        secret = _get_new_csrf_string()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "mofan.access.backends.UsernameOrPhoneBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(
            {"session": session.session_key, "csrf": secret, "token": _mask_cipher_secret(secret)}
        )
    token = services.sign_in_token(meeting)
    spec = Path(tempfile.mkdtemp()) / "load.json"

    def reset():
        Attendance.objects.filter(meeting=meeting).update(
            status=AttendanceStatus.EXPECTED, signed_at=None, method=""
        )
        Meeting.objects.filter(pk=meeting.pk).update(present_count=0, quorate=False)

    with gunicorn() as port:
        spec.write_text(
            json.dumps(
                {
                    "url": f"http://127.0.0.1:{port}/meetings/s/{token}/",
                    "session_cookie": settings.SESSION_COOKIE_NAME,
                    "csrf_cookie": settings.CSRF_COOKIE_NAME,
                    "clients": cookies,
                }
            )
        )
        samples = []
        # Round 0 warms the workers up (each one's first requests build URL resolvers, templates
        # and database connections, as after any deploy) and is not counted.
        for round_ in range(ROUNDS + 1):
            reset()
            out = subprocess.run(
                [sys.executable, str(ROOT / "bench" / "signin_load.py"), str(spec)],
                capture_output=True, text=True, check=False, timeout=300,
            )  # fmt: skip
            if out.returncode:
                raise RuntimeError(f"sign-in load failed: {out.stderr[-2000:]}")
            if round_:
                samples += json.loads(out.stdout)["latencies_ms"]
        signed = Meeting.objects.get(pk=meeting.pk).present_count
    at = percentiles(samples)
    return {
        "what": f"QR sign-in, {ATTENDEES} attendees × {ROUNDS} rounds, 50 concurrent clients (gunicorn, 2nd process)",
        "p50_ms": at["p50"],
        "p95_ms": at["p95"],
        "queries": "",
        "runs": len(samples),
        "note": f"p99 {at['p99']} ms, max {at['max']} ms; last round signed in {signed}",
    }


if __name__ == "__main__":  # pragma: no cover - run through bench/run.py
    print(datetime.now())
