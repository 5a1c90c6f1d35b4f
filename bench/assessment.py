"""Benchmarks of 考核评价 on the large data set (called by bench/run.py with
BENCH_PARTS=assessment): computing every record-based score of the round over all organisations
(a 60-indicator scheme), one organisation's score page, one score's drill-down, the round page and
the scores API (issue 12 figures: the computation ≤ 60 s and set-based, the score page p50 ≤
150 ms with constant queries)."""


def assessment_benchmarks(get_as, timed, once, once_row) -> list[dict]:
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mofan.access.models import User
    from mofan.assessment import services
    from mofan.assessment.models import Round, Score

    admin = User.objects.get(username="bench_root")
    client = get_as()
    client.force_login(admin)
    round_ = Round.objects.select_related("scheme").order_by("pk").first()
    targets = round_.targets.count()
    indicators = round_.scheme.indicators.count()
    busiest = round_.targets.filter(org__kind="branch").order_by("pk").first()
    record = Score.objects.filter(target=busiest, indicator__formula="meetings_compliance").first()

    def compute():
        with CaptureQueriesContext(connection) as queries:
            written = services.compute_round(round_)
        return f"{written:,} scores, {len(queries)} queries"

    def first():
        # As when the round starts: no record-based score yet, every one written. In a
        # transaction rolled back, so the data set is left as it was.
        from django.db import transaction

        with transaction.atomic():
            Score.objects.filter(target__round=round_, indicator__kind="record")._raw_delete(
                Score.objects.db
            )
            started = time.perf_counter()
            text = compute()
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        return seconds, text

    seconds, text = first()
    results = [{
        "what": f"Assessment: first computation of the round ({targets:,} organisations × "
        f"{indicators} indicators, every score written)",
        "p50_ms": round(seconds * 1000, 1), "p95_ms": "", "queries": "", "runs": 1, "note": text,
    }]  # fmt: skip
    run = once("Assessment: the nightly recomputation of the same round (unchanged figures kept)",
               compute)  # fmt: skip
    results.append(once_row(run, run["value"]))
    results += [
        timed(
            "Assessment: one organisation's score page (60 indicators)",
            lambda: client.get(f"/assessment/targets/{busiest.pk}/"),
        ),
        timed(
            "Assessment: one score's records (组织生活 months)",
            lambda: client.get(f"/assessment/scores/{record.pk}/records/"),
        ),
        timed(
            f"Assessment: the round page, page 1 ({targets:,} organisations)",
            lambda: client.get(f"/assessment/rounds/{round_.pk}/"),
        ),
        timed(
            "Assessment: API scores of one organisation",
            lambda: client.get("/api/assessment-scores/", {"target": busiest.pk}),
        ),
    ]
    results += _documents(once, once_row, round_.scheme.org, busiest.org)
    return results


def _documents(once, once_row, top, branch) -> list[dict]:
    """The Word documents generated from the records: the annual report's data appendix of the
    organisation that assesses (its whole subtree) and one branch's 述职 data sheet."""
    import os

    from django.utils import timezone

    from mofan.assessment import datasheet
    from mofan.orgs.models import PartyOrg

    today = timezone.localdate()
    below = PartyOrg.objects.filter(path__startswith=top.path).count()

    def made(path) -> str:
        size = os.path.getsize(path)
        os.unlink(path)
        return f"{size // 1024} KB"

    appendix = once(
        f"Assessment: the annual report's data appendix in Word ({below:,} organisations below)",
        lambda: made(datasheet.annual_appendix(top, today.year, upto=today)),
    )
    # The sheet reads only the reporter's organisation, name and post, and the year: an unsaved
    # reporter stands in for one of a 述职评议.
    from mofan.assessment.models import Debrief, Debriefer
    from mofan.orgs.models import Person

    reporter = Debriefer(debrief=Debrief(year=today.year, held_on=today), org=branch,
                         person=Person(name="书记"), post="书记")  # fmt: skip
    sheet = once(
        "Assessment: a branch secretary's 述职 data sheet in Word",
        lambda: made(datasheet.debrief_sheet(reporter, upto=today)),
    )
    return [once_row(appendix, appendix["value"]), once_row(sheet, sheet["value"])]


VOTERS = 300
REPORTERS = 10
BALLOT_ROUNDS = 2


def ballot_load() -> list[dict]:
    """述职评议 on phones: 300 voters, 50 concurrent clients (a second process), each opening the
    ballot from a slip and submitting it, through gunicorn; two counted rounds after a warm-up,
    each a fresh vote. Every ballot must be counted once: the slips spent and each reporter's
    counts equal the number of voters."""
    import json
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from django.conf import settings
    from django.db.models import F
    from django.utils import timezone

    from bench.serving import ROOT, gunicorn, percentiles
    from mofan.access.models import User
    from mofan.assessment import debriefs
    from mofan.assessment.choices import Mark
    from mofan.assessment.models import Debrief, Debriefer
    from mofan.orgs.models import Membership, PartyOrg

    admin = User.objects.get(username="bench_root")
    organ = PartyOrg.objects.get(code="NAT-C00")
    branches = list(
        PartyOrg.objects.filter(path__startswith=organ.path, kind="branch").order_by("path")[:REPORTERS]
    )  # fmt: skip
    people = {
        m.org_id: m.person_id
        for m in Membership.objects.filter(org__in=branches).order_by("org_id", "pk").distinct("org_id")
    }  # fmt: skip
    today = timezone.localdate()

    def vote() -> tuple[Debrief, Path]:
        debrief = debriefs.create_debrief(actor=admin, org=organ, year=today.year, held_on=today,
                                  title="压力测试：党支部书记抓党建述职评议", voters=VOTERS)  # fmt: skip
        # Reporters straight in (the bench data has members, not every branch a secretary).
        Debriefer.objects.bulk_create(
            Debriefer(debrief=debrief, order=n, org=b, person_id=people[b.pk], post="书记")
            for n, b in enumerate(branches, 1)
        )  # fmt: skip
        debrief = debriefs.open_vote(debrief, actor=admin)
        spec = Path(tempfile.mkdtemp()) / "ballots.json"
        spec.write_text(json.dumps({
            "base": f"http://127.0.0.1:{port}/", "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "codes": debriefs.slip_codes(debrief), "marks": list(Mark.values),
            "debriefers": list(debrief.debriefers.values_list("pk", flat=True)),
        }))  # fmt: skip
        return debrief, spec

    gets, posts, checked = [], [], []
    with gunicorn() as port:
        for round_ in range(BALLOT_ROUNDS + 1):  # round 0 warms the workers up
            debrief, spec = vote()
            out = subprocess.run(
                [sys.executable, str(ROOT / "bench" / "ballot_load.py"), str(spec)],
                capture_output=True, text=True, check=False, timeout=300,
            )  # fmt: skip
            if out.returncode:
                raise RuntimeError(f"ballot load failed: {out.stderr[-2000:]}")
            cast = debriefs.cast_count(debrief)
            totals = set(
                Debriefer.objects.filter(debrief=debrief)
                .annotate(n=F("good") + F("fair_good") + F("fair") + F("poor") + F("unknown"))
                .values_list("n", flat=True)
            )
            if cast != VOTERS or totals != {VOTERS}:
                raise RuntimeError(f"ballots lost or doubled: {cast} slips spent, counts {totals}")
            if round_:
                found = json.loads(out.stdout)
                gets += found["get_ms"]
                posts += found["post_ms"]
                checked.append(cast)
            debrief.delete()
    post, get = percentiles(posts), percentiles(gets)
    what = f"{VOTERS} voters × {BALLOT_ROUNDS} votes, {REPORTERS} reporters, 50 concurrent clients (gunicorn, 2nd process)"
    return [
        {"what": f"述职评议 ballot submitted (POST): {what}", "p50_ms": post["p50"],
         "p95_ms": post["p95"], "queries": "", "runs": len(posts),
         "note": f"p99 {post['p99']} ms, max {post['max']} ms; every vote counted "
                 f"{'/'.join(map(str, checked))} of {VOTERS} ballots once"},
        {"what": f"述职评议 ballot opened from the slip (GET): {what}", "p50_ms": get["p50"],
         "p95_ms": get["p95"], "queries": "", "runs": len(gets),
         "note": f"p99 {get['p99']} ms, max {get['max']} ms"},
    ]  # fmt: skip
