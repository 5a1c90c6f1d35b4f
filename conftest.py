"""Shared test fixtures: a small world of two branches and the named personas used everywhere.

alice  secretary of branch A (and a member there)     amy    ordinary member of branch A
bob    secretary of branch B                          carol  org admin (党建管理员) of the organ committee
sam    supervisor over the whole tree                 una    unit-scoped leader of department B
sysadmin / secadmin / auditor: the three separated admin roles
"""

import os
import tempfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from stdnum.cn import ric

from mofan.access import services as access
from mofan.access.roles import Role
from mofan.orgs import services as orgs
from mofan.orgs.choices import MembershipKind, OrgKind, UnitKind

PASSWORD = "Test@Pass2026"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Argon2 is the production hasher (asserted in access tests); MD5 keeps the suite fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The manifest needs `collectstatic`, which the production profile runs; tests use the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


_serial = iter(range(1, 10**6))


def make_id_number(birth: date, gender: str = "M") -> str:
    seq = next(_serial) % 499 * 2 + (1 if gender == "M" else 0)
    body = f"110105{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_person(name: str, unit, *, birth=date(1985, 6, 1), gender="M", phone=""):
    return orgs.create_person(
        actor=None,
        name=name,
        gender=gender,
        ethnicity="汉族",
        birth_date=birth,
        id_number=make_id_number(birth, gender),
        phone=phone,
        education="bachelor",
        unit=unit,
        job_title="科员",
        rank="一级科员",
    )


def make_member(name: str, unit, org, *, kind=MembershipKind.FULL, phone="", **person_kwargs):
    person = make_person(name, unit, phone=phone, **person_kwargs)
    orgs.create_membership(
        actor=None,
        person=person,
        org=org,
        kind=kind,
        joined_on=date(2010, 7, 1),
        confirmed_on=date(2011, 7, 1) if kind == MembershipKind.FULL else None,
    )
    return person


def make_user(username: str, person=None, *roles):
    user = access.create_user(
        actor=None, username=username, password=PASSWORD, person=person, temporary=False
    )
    for role, scope in roles:
        kwargs = {}
        if scope is not None:
            kwargs["unit" if scope.__class__.__name__ == "Unit" else "org"] = scope
        access.grant_role(user, actor=None, role=role, **kwargs)
    return user


@pytest.fixture
def world(db):
    root = orgs.create_org(
        actor=None,
        parent=None,
        kind=OrgKind.COMMITTEE,
        code="R",
        name="中共测试委员会",
        short_name="测试党委",
    )
    organ = orgs.create_org(
        actor=None, parent=root, kind=OrgKind.ORGAN_COMMITTEE, code="O", name="中共测试机关委员会"
    )
    branch_a = orgs.create_org(
        actor=None, parent=organ, kind=OrgKind.BRANCH, code="A", name="第一党支部"
    )
    branch_b = orgs.create_org(
        actor=None, parent=organ, kind=OrgKind.BRANCH, code="B", name="第二党支部"
    )
    group_a = orgs.create_org(
        actor=None, parent=branch_a, kind=OrgKind.GROUP, code="A1", name="第一党支部第一党小组"
    )
    unit_root = orgs.create_unit(
        actor=None, parent=None, kind=UnitKind.ORGAN, code="U", name="测试部"
    )
    unit_a = orgs.create_unit(
        actor=None, parent=unit_root, kind=UnitKind.DEPARTMENT, code="UA", name="办公厅"
    )
    unit_b = orgs.create_unit(
        actor=None, parent=unit_root, kind=UnitKind.DEPARTMENT, code="UB", name="人事司"
    )
    for org in (root, organ, branch_a, branch_b, group_a):
        org.refresh_from_db()

    alice_p = make_member("张三", unit_a, branch_a, phone="13900000001")
    amy_p = make_member("李四", unit_a, branch_a, gender="F", birth=date(1990, 2, 3))
    bob_p = make_member("王五", unit_b, branch_b)
    carol_p = make_member("赵六", unit_b, branch_b)
    sam_p = make_member("孙七", unit_b, branch_b)
    una_p = make_person("周八", unit_b)
    outsider_p = make_member("吴九", unit_b, branch_b, kind=MembershipKind.PROBATIONARY)

    return SimpleNamespace(
        root=root,
        organ=organ,
        branch_a=branch_a,
        branch_b=branch_b,
        group_a=group_a,
        unit_root=unit_root,
        unit_a=unit_a,
        unit_b=unit_b,
        alice_p=alice_p,
        amy_p=amy_p,
        bob_p=bob_p,
        carol_p=carol_p,
        sam_p=sam_p,
        una_p=una_p,
        outsider_p=outsider_p,
        alice=make_user(
            "alice", alice_p, (Role.BRANCH_SECRETARY, branch_a), (Role.MEMBER, branch_a)
        ),
        amy=make_user("amy", amy_p, (Role.MEMBER, branch_a)),
        bob=make_user("bob", bob_p, (Role.BRANCH_SECRETARY, branch_b)),
        carol=make_user("carol", carol_p, (Role.ORG_ADMIN, organ)),
        sam=make_user("sam", sam_p, (Role.SUPERVISOR, root)),
        una=make_user("una", una_p, (Role.LEADER, unit_b)),
        sysadmin=make_user("sysadmin", None, (Role.SYSADMIN, None)),
        secadmin=make_user("secadmin", None, (Role.SECADMIN, None)),
        auditor=make_user("auditor", None, (Role.AUDITOR, None)),
    )


@pytest.fixture
def login(client):
    """Log a user in with a verified second factor where their role needs one."""

    def _login(user):
        client.force_login(user)
        if access.requires_second_factor(user):
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.create(user=user, name="测试", confirmed=True)
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
        return client

    return _login


# --- races: threads or processes on committed data (PostgreSQL only)


@pytest.fixture
def race_db(transactional_db):
    """A database whose rows are committed, so that several threads or processes see and race on
    them; emptied after the test (the flush puts back what the migrations put there)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("races need PostgreSQL: SQLite runs one writer at a time")
    from mofan.meetings.models import MeetingRule
    from mofan.meetings.rules_national import ensure_national_rules

    ensure_national_rules(MeetingRule)  # an earlier transactional test's flush removed them
    yield


# --- browser tests (pytest -m browser): Playwright driving Debian's chromium, never a downloaded one

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(os.environ.get("MOFAN_SCREENSHOTS", "screenshots"))


def browser_login(browser, url: str, username: str, **context):
    """A new browser context (Chinese locale; viewport and the like from `context`), signed in
    through the login page; returns its page, on the home page."""
    page = browser.new_context(locale="zh-CN", **context).new_page()
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.w-100")
    page.wait_for_url(f"{url}/")
    return page


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _flush_lifts_audit_guard():
    """Transactional and live-server tests end with a flush of every table, which the audit
    tables' append-only triggers refuse: the test flush lifts them, and afterwards puts back what
    the migrations put there (the guards, the national meeting rules) for the tests after it."""
    from django.core.management.commands import flush
    from django.db import connections

    from mofan.audit import dbguard

    original = flush.Command.handle

    def handle(self, **options):
        connection = connections[options["database"]]
        dbguard.remove(connection)
        try:
            return original(self, **options)
        finally:
            from mofan.meetings.models import MeetingRule
            from mofan.meetings.rules_national import ensure_national_rules

            dbguard.install(connection)
            ensure_national_rules(MeetingRule)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


# The audit chain's checkpoints go to a file outside the database. Test databases must never
# write to the developer's own file (settings are loaded before this module, so set it here).
from django.conf import settings as _settings  # noqa: E402

_settings.AUDIT_CHECKPOINT_FILE = (
    Path(tempfile.mkdtemp(prefix="mofan-test-audit-")) / "checkpoints.log"
)


@pytest.fixture(autouse=True)
def _audit_checkpoints(settings, tmp_path):
    """Each test keeps its own checkpoint file and starts as a newly started process."""
    from mofan.audit import checkpoints

    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.log"
    checkpoints.forget_process_state()
    yield
    checkpoints.forget_process_state()
