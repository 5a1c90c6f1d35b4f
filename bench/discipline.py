"""Benchmarks of 巡视巡察 and 监督执纪 on the large data set (BENCH_PARTS=discipline; issue 13's
figures): the coverage map of the five-year term over the 10,000 organisations (p50 ≤ 500 ms),
the lead list with two filters (p50 ≤ 150 ms, constant queries — each row's read audited), the
statistics of a year over the whole tree (≤ 1 s), and making the rectification ledgers of a
round's feedback with 500 findings (≤ 5 s, all or nothing; rolled back)."""


def discipline_benchmarks(get_as, timed, once, once_row) -> list[dict]:
    from django.db import transaction
    from django.utils import timezone

    from mofan.access.models import RoleAssignment, User
    from mofan.access.roles import Role
    from mofan.discipline.demo_large import OFFICER, TITLE
    from mofan.discipline.models import Lead
    from mofan.inspection import rectify, services
    from mofan.inspection.choices import Stage
    from mofan.inspection.models import Finding, Plan, Round, Target, Team

    officer = User.objects.get(username=OFFICER)
    client = get_as()
    client.force_login(officer)
    plan = Plan.objects.select_related("org").get(org__code="NAT-P0", title=TITLE)
    root = plan.org
    year = timezone.localdate().year
    leads = Lead.objects.count()
    covered = services.coverage(plan)

    def ok(url, **params):
        def run():
            response = client.get(url, params)
            assert response.status_code == 200, response.status_code

        return run

    results = [
        timed(f"Inspection: coverage of the term, computed ({len(covered.rows):,} organisations)",
              lambda: services.coverage(plan)),
        timed("Inspection: the coverage map page of the term", ok(f"/inspection/plans/{plan.pk}/")),
        timed(f"Discipline: lead list, year + source ({leads:,} leads; 50 rows, each read audited)",
              ok("/discipline/", year=year, source="petition")),
        timed("Discipline: API leads, year + state", ok("/api/discipline-leads/", year=year, state="concluded")),
        timed(f"Discipline: statistics of {year} over the whole tree",
              ok("/discipline/statistics/", org=root.pk, year=year, tree=1)),
    ]  # fmt: skip

    def hand_over():
        """A round at 反馈 over five organisations with 100 findings each, handed over; rolled
        back so the data set is left as it was."""
        with transaction.atomic():
            round_ = Round.objects.create(org=root, kind="regular", title="基准轮次", year=year,
                                          stage=Stage.FEEDBACK, created_by=officer,
                                          stage_dates={Stage.FEEDBACK: timezone.localdate().isoformat()})  # fmt: skip
            team = Team.objects.create(round=round_, name="基准巡察组")
            orgs = list(
                services.below(root).filter(unit__isnull=False, kind="branch").order_by("pk")[:5]
            )
            for org in orgs:
                RoleAssignment.objects.create(user=officer, role=Role.SUPERVISOR, org=org)
                target = Target.objects.create(round=round_, org=org, team=team)
                Finding.objects.bulk_create(
                    Finding(target=target, number=n, category="conduct", title="基准问题",
                            facts="基准问题的事实描述。", created_by=officer)
                    for n in range(1, 101)
                )  # fmt: skip
            import time

            started = time.perf_counter()
            made = rectify.hand_over(round_, actor=officer)
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        return seconds, f"{len(made)} ledgers, 500 findings"

    seconds, note = hand_over()
    results.append({"what": "Inspection: rectification ledgers of a feedback with 500 findings",
                    "p50_ms": round(seconds * 1000, 1), "p95_ms": "", "queries": "", "runs": 1,
                    "note": note})  # fmt: skip
    return results
