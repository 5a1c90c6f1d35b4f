"""Benchmarks of the leader's dashboard (领导驾驶舱) on the large data set (called by bench/run.py
with BENCH_PARTS=cockpit): the daily job that counts the day's figures of every unit and
organisation (1,000,000 items, 10,000 organisations' meetings), and the page over the whole tree
for a national leader (the party tree and the unit tree) — issue 12: p50 ≤ 500 ms."""


def cockpit_benchmarks(get_as, timed, once, once_row) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mofan.access import services as access
    from mofan.access.models import User
    from mofan.access.roles import Role
    from mofan.dashboard import cockpit
    from mofan.orgs.models import PartyOrg, Unit

    leader = User.objects.filter(username="bench_leader").first()
    if leader is None:
        leader = access.create_user(actor=None, username="bench_leader", password="Bench@2026!x",
                                    temporary=False)  # fmt: skip
        access.grant_role(leader, actor=None, role=Role.ORG_ADMIN,
                          org=PartyOrg.objects.get(code="NAT-P0"))  # fmt: skip
        access.grant_role(leader, actor=None, role=Role.LEADER,
                          unit=Unit.objects.get(code="NAT-U0"))  # fmt: skip

    def take():
        with CaptureQueriesContext(connection) as queries:
            rows = cockpit.take()
        return f"{rows:,} rows, {len(queries)} queries"

    run = once("Cockpit: the daily count of every unit's and organisation's figures", take)
    client = get_as()
    client.force_login(leader)
    return [
        once_row(run, run["value"]),
        timed(
            "Cockpit: the leader's dashboard over the whole tree (national leader)",
            lambda: client.get("/cockpit/"),
        ),  # fmt: skip
    ]
