"""Benchmarks of 党费 on the large data set (called by bench/run.py with BENCH_PARTS=dues; see its
docstring): the largest branch's month (page, API, Excel), a member's own dues page, and the
daily arrears check over all members (issue 15 figures: page p50 ≤ 150 ms with constant queries,
the check ≤ 10 s)."""


def dues_benchmarks(get_as, timed, once, once_row) -> list[dict]:
    from django.db.models import Count
    from django.utils import timezone

    from mofan.access.models import User
    from mofan.dues import calc, checks
    from mofan.dues.models import DuesPayment
    from mofan.orgs.models import Membership, PartyOrg

    today = timezone.localdate()
    last = calc.add_months(calc.month_of(today), -1)
    admin = User.objects.get(username="bench_root")
    client = get_as()
    client.force_login(admin)
    largest = (
        Membership.objects.filter(org__code__startswith="NAT-", org__kind="branch", status="normal")
        .values("org")
        .annotate(n=Count("id"))
        .order_by("-n", "org")
        .first()
    )
    branch = PartyOrg.objects.get(pk=largest["org"])
    member = (
        User.objects.filter(person__membership__org=branch, username__regex=r"^nat[0-9]+$")
        .order_by("pk")
        .first()
    )
    payments = DuesPayment.objects.count()
    month = f"{last:%Y-%m}"
    results = [
        timed(
            f"Dues: a branch's month, page ({largest['n']} members, {payments:,} payments in all)",
            lambda: client.get(f"/dues/orgs/{branch.pk}/", {"month": month}),
        ),
        timed(
            "Dues: the same month, statement API",
            lambda: client.get("/api/dues-statement/", {"org": branch.pk, "month": month}),
        ),
        timed(
            "Dues: the same month, Excel statement",
            lambda: client.get(f"/dues/orgs/{branch.pk}/{last.year}-{last.month}.xlsx"),
            runs=10,
        ),
    ]
    if member is not None:
        member_client = get_as()
        member_client.force_login(member)
        results.append(
            timed(
                "Dues: a member's own page (three years of months)",
                lambda: member_client.get("/dues/"),
            )
        )
    big = PartyOrg.objects.get(code="NAT-C00")
    in_big = Membership.objects.in_subtree(big).in_good_standing().count()
    results.append(
        timed(
            f"Dues: yearly summary (Excel) of a committee's subtree ({in_big:,} members)",
            lambda: client.get(f"/dues/orgs/{big.pk}/{today.year}.xlsx"),
            runs=3,
        )
    )
    members = Membership.objects.filter(status="normal").count()
    check = once(
        f"Dues: arrears check over all {members:,} members (daily job)",
        lambda: len(checks.lapses(today)),
    )
    results.append(once_row(check, f"{check['value']:,} six months behind"))
    return results
