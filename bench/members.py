"""Benchmarks of 组织关系转接 on the large data set (called by bench/run.py with
BENCH_PARTS=members): the transfers page of the whole tree and of one branch, one transfer, a
transferred member's page with their history, the daily check over all letters and members
(issue 15 figures: pages p50 ≤ 150 ms with constant queries, the check ≤ 10 s)."""


def member_benchmarks(get_as, timed, once, once_row) -> list[dict]:
    from django.utils import timezone

    from mofan.access.models import User
    from mofan.members import checks
    from mofan.members.models import Transfer

    admin = User.objects.get(username="bench_root")
    client = get_as()
    client.force_login(admin)
    transfers = Transfer.objects.count()
    accepted = Transfer.objects.filter(state="accepted").order_by("pk").first()
    pending = Transfer.objects.filter(state="pending").order_by("pk").first()
    results = [
        timed(
            f"Transfers: the page of the whole tree ({transfers:,} transfers)",
            lambda: client.get("/members/"),
        ),
        timed(
            "Transfers: the page of one branch (letters to and from it)",
            lambda: client.get("/members/", {"org": pending.to_org_id}),
        ),
        timed(
            "Transfers: one letter waiting to be accepted",
            lambda: client.get(f"/members/transfers/{pending.pk}/"),
        ),
        timed(
            "Transfers: a transferred member's page (history, meetings, hours)",
            lambda: client.get(f"/orgs/people/{accepted.person_id}/"),
        ),
    ]
    today = timezone.localdate()
    check = once(
        "Transfers: the daily check (expired letters, 失联 and 停止党籍 due)",
        lambda: len(checks.due(today)),
    )
    results.append(once_row(check, f"{check['value']:,} due"))
    return results
