"""Benchmarks of 发展党员 on the large data set (called by bench/run.py with
BENCH_PARTS=recruitment): the pipeline page of the branch with the most files, one file, the
pipeline of a whole committee's subtree, the compliance heat map of that committee with the
发展党员 marks and a month's detail of the busiest branch, and the daily overdue check over all files
(issue 15 figures: a branch's pipeline page p50 ≤ 150 ms with constant queries, the check ≤ 10 s)."""


def recruitment_benchmarks(get_as, timed, once, once_row) -> list[dict]:
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from mofan.access.models import User
    from mofan.orgs.models import PartyOrg
    from mofan.recruitment import checks
    from mofan.recruitment.models import Applicant

    admin = User.objects.get(username="bench_root")
    client = get_as()
    client.force_login(admin)
    files = Applicant.objects.count()
    busiest = Applicant.objects.values("org").annotate(n=Count("id")).order_by("-n", "org").first()
    branch = PartyOrg.objects.get(pk=busiest["org"])
    one = Applicant.objects.filter(org=branch, stage="nominee").order_by("pk").first()
    big = PartyOrg.objects.get(code="NAT-C00")
    results = [
        timed(
            f"Recruitment: a branch's pipeline ({busiest['n']} files; {files:,} in all)",
            lambda: client.get(f"/recruitment/orgs/{branch.pk}/"),
        ),
        timed(
            "Recruitment: one file (requirements, steps)",
            lambda: client.get(f"/recruitment/{one.pk}/"),
        ),
        timed(
            "Recruitment: a committee's subtree pipeline, page 1",
            lambda: client.get(f"/recruitment/orgs/{big.pk}/"),
        ),
        timed(
            "Recruitment: the same committee's year (plan by branch, figures)",
            lambda: client.get(f"/recruitment/orgs/{big.pk}/year/{timezone.localdate().year}/"),
            runs=10,
        ),
        timed(
            "Recruitment: the committee's compliance heat map with the 发展党员 marks, page 1",
            lambda: client.get("/meetings/compliance/", {"org": big.pk}),
        ),
        timed(
            "Recruitment: the busiest branch's month on the heat map (steps due listed)",
            lambda: client.get(
                f"/meetings/compliance/{branch.pk}/{timezone.localdate().year}/"
                f"{timezone.localdate().month}/"
            ),
        ),
    ]
    today = timezone.localdate()

    def daily_job():
        # The whole job, notices included, in a transaction rolled back: the data set is left
        # as it was, so the next run measures the same work.
        with transaction.atomic():
            result = checks.notify_overdue(today)
            transaction.set_rollback(True)
        return result["overdue"]

    check = once(f"Recruitment: overdue check and notices over all {files:,} files (daily job)",
                 daily_job)  # fmt: skip
    results.append(once_row(check, f"{check['value']:,} overdue"))
    return results
