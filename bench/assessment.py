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
    return results
