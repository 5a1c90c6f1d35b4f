"""Shared test fixtures: a small world of two branches and the named personas used everywhere.

alice  secretary of branch A (and a member there)     amy    ordinary member of branch A
bob    secretary of branch B                          carol  org admin (党建管理员) of the organ committee
sam    supervisor over the whole tree                 una    unit-scoped leader of department B
sysadmin / secadmin / auditor: the three separated admin roles
"""

import os
import re
import tempfile
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from stdnum.cn import ric

from mofan.access import services as access
from mofan.access.roles import Role
from mofan.orgs import services as orgs
from mofan.orgs.choices import MembershipKind, OrgKind, UnitKind

PASSWORD = "Test@Pass2026"
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Argon2 is the production hasher (asserted in access tests); MD5 keeps the suite fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The manifest needs `collectstatic`, which the production profile runs; tests use the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # No beat runs in a test: pages count the kept figures that are due before reading them,
    # on both profiles; the tests of the worker's part say KEPT_BY_WORKER themselves.
    settings.KEPT_BY_WORKER = False


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


def png_bytes() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def site_world(world, settings, tmp_path):
    """The world with one of everything a URL names: a ledger with a source, an item in progress
    (owned by amy, with a report, a milestone and an attachment), a rectification ledger with a
    finding, a decomposition, branch A's held meeting with minutes and a photo, the organ
    committee's meeting (a leading group's), a plan, a position. For tests that walk every URL."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from time_machine import travel

    from mofan.ledger import decomposition as decomposing
    from mofan.ledger import services as ledger
    from mofan.ledger.choices import LedgerKind
    from mofan.meetings import services as meetings
    from mofan.meetings.choices import MeetingKind
    from mofan.orgs.choices import PositionTitle

    settings.MEDIA_ROOT = tmp_path / "media"
    w = world
    w.position = orgs.appoint(
        actor=None, person=w.alice_p, org=w.branch_a, title=PositionTitle.SECRETARY,
        started_on=date(2020, 1, 1),
    )  # fmt: skip
    orgs.appoint(
        actor=None, person=w.carol_p, org=w.organ, title=PositionTitle.SECRETARY,
        started_on=date(2020, 1, 1),
    )  # fmt: skip
    w.ledger = ledger.create_ledger(
        actor=w.sam, name="2026年重要指示批示落实台账", kind=LedgerKind.GENERAL, year=2026,
        unit=w.unit_root,
    )  # fmt: skip
    w.source = ledger.add_source(
        w.ledger, actor=w.sam, kind="directive", title="关于加强机关党建的批示",
        reference="批〔2026〕1号",
    )  # fmt: skip
    w.item = ledger.add_item(
        w.ledger, actor=w.sam, source=w.source, content="制定机关党建工作要点",
        lead_unit=w.unit_a, deadline=date(2026, 12, 31), report_cycle="monthly",
        co_units=[w.unit_b], owners=[w.amy_p], tags=["党建"],
    )  # fmt: skip
    for step, actor in (("assign", w.sam), ("accept", w.amy), ("start", w.amy)):
        ledger.transition(w.item, step, actor=actor)
    ledger.submit_report(w.item, actor=w.amy, text="已起草。", percent=30, submission_key="k1")
    w.milestone = ledger.add_milestone(
        w.item, actor=w.sam, title="形成初稿", due_on=date(2026, 12, 1)
    )
    w.attachment = ledger.attach(
        w.item, actor=w.amy, upload=SimpleUploadedFile("初稿.txt", "工作要点初稿".encode())
    )
    w.rectification = ledger.create_ledger(
        actor=w.sam, name="巡视整改台账", kind=LedgerKind.RECTIFICATION, year=2026,
        unit=w.unit_root,
    )  # fmt: skip
    w.finding = ledger.add_finding(w.rectification, actor=w.sam, description="学习不够深入")
    w.decomposition = decomposing.start(
        w.ledger, actor=w.sam, pasted="一、压实责任。各单位要在6月底前制定方案。\n二、加强督办。"
    )
    w.candidate = w.decomposition.candidates.first()
    from mofan.ledger.models import Handover

    # An item handed to a unit's own ledger (层层分解), waiting to be taken over.
    w.handover = Handover.objects.create(item=w.item, to_unit=w.unit_b, created_by=w.sam)
    with travel("2026-11-20 10:00:00+08:00", tick=False):
        w.meeting = meetings.plan_meeting(
            w.branch_a, actor=w.alice, kind=MeetingKind.BRANCH_ASSEMBLY, title="支部党员大会",
            starts_at=datetime(2026, 11, 19, 14, tzinfo=TZ),
            ends_at=datetime(2026, 11, 19, 16, tzinfo=TZ),
            agenda=[{"title": "学习讲话精神", "is_first_topic": True}],
        )  # fmt: skip
        meetings.record_minutes(
            w.meeting, actor=w.alice, version=w.meeting.version, summary="学习了讲话精神。",
            agenda={w.meeting.agenda.get().pk: {"discussion": "讨论", "decision": "决定"}},
        )  # fmt: skip
        w.meeting_file = meetings.attach_file(
            w.meeting, actor=w.alice, upload=SimpleUploadedFile("会场.png", png_bytes())
        )
        w.committee_meeting = meetings.plan_meeting(
            w.organ, actor=w.carol, kind=MeetingKind.COMMITTEE_MEETING, title="机关党委会议",
            starts_at=datetime(2026, 11, 18, 9, tzinfo=TZ),
            ends_at=datetime(2026, 11, 18, 11, tzinfo=TZ),
            agenda=[{"title": "学习讲话精神", "is_first_topic": True}],
        )  # fmt: skip
        w.plan = meetings.save_plan(
            w.branch_a, actor=w.alice, year=2026, month=11, content="学习讲话精神", version=None
        )
    w.sign_in_token = meetings.sign_in_token(w.meeting)
    # A dues base and a payment of amy's (the brackets: a flush may have emptied the migration's).
    from mofan.dues import services as dues
    from mofan.dues.models import DuesRule
    from mofan.dues.rules_national import ensure_national_brackets

    ensure_national_brackets(DuesRule)
    w.dues_base = dues.record_base(
        w.amy_p, actor=None, starts_on=date(2026, 1, 1), category="salaried", monthly_income="5000"
    )
    w.dues_payment = dues.record_payment(
        w.amy_p, actor=None, month=date(2026, 1, 1), paid_on=date(2026, 1, 20), method="cash",
        today=date(2026, 12, 2),
    )  # fmt: skip
    # A letter of alice's on its way to branch B, and a member of branch B out of contact.
    from mofan.members import services as members
    from mofan.orgs.models import Membership

    with travel("2026-11-20 10:00:00+08:00", tick=False):
        w.transfer = members.issue_transfer(
            Membership.objects.get(person=w.alice_p), actor=w.alice, to_org=w.branch_b,
            issued_on=date(2026, 11, 18), reason="job",
        )  # fmt: skip
        from mofan.recruitment import services as recruitment

        w.applicant = recruitment.open_file(
            actor=w.bob, person=w.una_p, org=w.branch_b, applied_on=date(2026, 10, 20)
        )
        w.applicant_step = recruitment.record_step(
            w.applicant, actor=w.bob, kind="talk", done_on=date(2026, 11, 2), person_a=w.bob_p,
            note="了解入党动机",
        )  # fmt: skip
        w.applicant_document = recruitment.attach_document(
            w.applicant, actor=w.bob, kind="application",
            upload=SimpleUploadedFile("入党申请书.pdf", b"%PDF-1.4 x"),
        )  # fmt: skip
        w.standing_change = members.mark_lost(
            Membership.objects.get(person=w.outsider_p), actor=w.bob, since=date(2026, 5, 1),
            note="多方查找未果",
        )  # fmt: skip
        from mofan.assessment import services as assessment
        from mofan.assessment.models import Score
        from mofan.assessment.tests.conftest import build_scheme

        built = build_scheme(w, w.carol)
        w.assessment_scheme, w.indicator = built.scheme, built.duty
        w.assessment_round = assessment.start_round(
            built.scheme, actor=w.carol, title="2026年度考核", self_due_on=date(2026, 12, 10),
            targets=[w.branch_a, w.branch_b], team=[w.sam],
        )  # fmt: skip
        w.target = w.assessment_round.targets.get(org=w.branch_a)
        w.score = Score.objects.get(target=w.target, indicator=built.duty)
        w.record_score = Score.objects.get(target=w.target, indicator=built.talks)
        w.evidence = assessment.add_evidence(
            w.score, actor=w.alice, upload=SimpleUploadedFile("自评材料.pdf", b"%PDF-1.4 x")
        )
        from mofan.assessment import duties

        w.duty_template = duties.issue_template(
            w.organ, actor=w.carol, kind="first", target_kind="branch", title="", year=2026,
            text="履行第一责任人职责",
        )  # fmt: skip
        w.duty_list = duties.create_list(
            w.branch_a, actor=w.carol, year=2026, kind="first", person=w.alice_p,
            template=w.duty_template, text="抓好班子自身建设",
        )  # fmt: skip
        from mofan.assessment import debriefs

        w.debrief = debriefs.create_debrief(
            actor=w.carol, org=w.organ, year=2026, title="述职评议", held_on=date(2026, 11, 20),
            voters=3,
        )  # fmt: skip
        w.debriefer = debriefs.add_debriefer(
            w.debrief, actor=w.carol, org=w.branch_a, person=w.alice_p
        )
        w.debrief = debriefs.open_vote(w.debrief, actor=w.carol)
        w.slip_code = debriefs.slip_codes(w.debrief)[0]
        from mofan.assessment import registry

        w.check_entry = registry.register(
            w.organ, actor=w.carol, year=2026, title="党建专项检查", kind="check",
            starts_on=date(2026, 11, 23), ends_on=date(2026, 11, 24), targets=[w.branch_a],
        )  # fmt: skip
        from mofan.assessment import annual
        from mofan.assessment.models import Award, Candidate

        w.annual_report = annual.start_report(w.organ, actor=w.carol, year=2026)
        # Made directly: an evaluation's basis must be a published round, which this world's is
        # not; the pages only read it.
        w.award = Award.objects.create(
            org=w.organ, year=2026, kind="strong_branch", title="“四强”党支部评选",
            round=w.assessment_round, places=1, min_total=0, apply_due_on=date(2026, 12, 31),
        )  # fmt: skip
        w.candidate = Candidate.objects.create(
            award=w.award, org=w.target.org, target=w.target, position=1
        )
        from mofan.inspection import services as inspection

        # 巡视巡察: the organ committee's discipline officer, a plan, and a round stationed at
        # branch B (人事司) by a team 张三 of 办公厅 leads, with a finding.
        w.qian = make_user("qian", make_person("钱纪检", w.unit_root),
                           (Role.DISCIPLINE_OFFICER, w.organ))  # fmt: skip
        w.inspection_plan = inspection.create_plan(
            w.organ, actor=w.qian, title="巡察规划", first_year=2026, last_year=2030
        )
        w.inspection_round = inspection.create_round(
            w.organ, actor=w.qian, kind="regular", title="第一轮巡察", year=2026,
            plan=w.inspection_plan,
        )  # fmt: skip
        team = inspection.add_team(w.inspection_round, actor=w.qian, name="第一巡察组")
        inspection.add_member(team, actor=w.qian, person=w.alice_p, role="leader")
        w.inspection_target = inspection.add_target(
            w.inspection_round, actor=w.qian, org=w.branch_b, team=team
        )
        inspection.advance(w.inspection_round, actor=w.qian)
        w.inspection_finding = inspection.add_finding(
            w.inspection_target, actor=w.qian, category="conduct", title="会风不严",
            facts="支部委员会会议多次无故缺席。",
        )  # fmt: skip
        from django.core.files.uploadedfile import SimpleUploadedFile as _Upload

        w.inspection_evidence = inspection.add_evidence(
            w.inspection_finding, actor=w.qian, upload=_Upload("会议记录.pdf", b"%PDF-1.4")
        )
        w.inspection_interview = inspection.add_interview(
            w.inspection_target, actor=w.qian, held_on=date.today(), interviewee="王五",
            summary="谈了支部会议的情况。",
        )  # fmt: skip
        w.inspection_letter = inspection.register_letter(
            w.inspection_round, actor=w.qian, channel="letter", received_on=date.today(),
            content="反映支部会议不规范。",
        )  # fmt: skip
        # A second round at branch A (办公厅) handed over at its feedback: its rectification
        # with the plan sent, and a draft disclosure.
        from django.core.files.uploadedfile import SimpleUploadedFile

        from mofan.inspection import rectify
        from mofan.orgs.models import PartyOrg

        PartyOrg.objects.filter(pk=w.branch_a.pk).update(unit=w.unit_a)
        w.branch_a.refresh_from_db()
        w.inspection_round2 = inspection.create_round(
            w.organ, actor=w.qian, kind="special", title="专项巡察", year=2026
        )
        team2 = inspection.add_team(w.inspection_round2, actor=w.qian, name="第二巡察组")
        inspection.add_member(team2, actor=w.qian, person=w.bob_p, role="leader")
        w.inspection_target2 = inspection.add_target(
            w.inspection_round2, actor=w.qian, org=w.branch_a, team=team2
        )
        inspection.advance(w.inspection_round2, actor=w.qian)
        inspection.add_finding(w.inspection_target2, actor=w.qian, category="cadres",
                               title="选人用人不规范", facts="干部选拔任用程序缺少民主推荐环节。")  # fmt: skip
        for _ in range(3):
            inspection.advance(w.inspection_round2, actor=w.qian)
        (w.inspection_rect,) = rectify.hand_over(w.inspection_round2, actor=w.qian)
        rectify.send_paper(w.inspection_rect, actor=w.alice, paper="plan",
                           upload=SimpleUploadedFile("整改方案.pdf", b"%PDF-1.4"))  # fmt: skip
        w.inspection_disclosure = rectify.draft_disclosure(w.inspection_rect, actor=w.qian)
        # 监督执纪: a lead about 王五 reviewed for a talk, a talk record, a duty report, a round of
        # personal-matters reports with 张三's submitted and checked.
        from mofan.discipline import records as discipline_records
        from mofan.discipline import reports as discipline_reports
        from mofan.discipline import services as discipline
        from mofan.discipline.choices import REPORT_ITEMS
        from mofan.orgs.models import Person

        PartyOrg.objects.filter(pk=w.organ.pk).update(unit=w.unit_root)
        w.organ.refresh_from_db()
        w.lead = discipline.register(
            w.organ, actor=w.qian, source="petition", received_on=date.today(), subject=w.bob_p,
            allegation="反映其违规收受购物卡。",
        )  # fmt: skip
        w.talk = discipline_records.record_talk(
            w.organ, actor=w.qian, kind="integrity", person=w.alice_p, talker=w.bob_p,
            held_on=date.today(), record="任前廉政谈话，提出要求。",
        )  # fmt: skip
        w.duty_report = discipline_records.record_duty_report(
            w.organ, actor=w.qian, person=w.bob_p, year=date.today().year,
            text="本年度认真履行全面从严治党主体责任，落实一岗双责。",
        )  # fmt: skip
        Person.objects.filter(pk=w.alice_p.pk).update(rank="二级调研员")
        w.report_round = discipline_reports.open_round(
            w.organ, actor=w.qian, year=2026, ranks=["二级调研员"]
        )
        w.personal_report = discipline_reports.submit(
            w.report_round.reports.get(), actor=w.alice,
            items={key: "无" for key, _ in REPORT_ITEMS},
        )  # fmt: skip
        w.check = discipline_reports.key_check(w.personal_report, actor=w.qian, reason="提拔前查核")
    return w


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


def open_picker(wrapper) -> None:
    """Click a searchable picker (its .ts-wrapper) and wait until it has taken the focus. Tom
    Select takes it in a timer after the click and then asks for the list it offers on focus;
    words a test types before that would have their search cancelled by that request, as both
    share one throttle (a person cannot type that fast; CI failed on it)."""
    from playwright.sync_api import expect

    wrapper.locator(".ts-control").click()
    expect(wrapper).to_have_class(re.compile(r"\bfocus\b"))


def pick(page, select: str, typed: str, choose: str) -> None:
    """Choose in a searchable picker as a user does: click it, type part of a name or its pinyin
    initials, and click the match the server sent."""
    wrapper = page.locator(select).locator(
        "xpath=following-sibling::div[contains(@class,'ts-wrapper')][1]"
    )
    open_picker(wrapper)
    wrapper.locator("input").first.fill(typed)
    wrapper.locator(".ts-dropdown .option", has_text=choose).first.click()
    page.keyboard.press("Escape")
    # The live server shares one in-memory SQLite connection among its threads: let the picker's
    # searches finish before the next request, as they would long have on a real server.
    page.wait_for_load_state("networkidle")


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
        watched = WatchedBrowser(browser)
        yield watched
        browser.close()
    assert not watched.problems, "the pages reported errors:\n" + "\n".join(watched.problems)


# Reported to the console by every page, before any of its own scripts run (Playwright's init
# scripts are not subject to the page's CSP).
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => console.error(
  `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`));
"""
# A page the test expects to be refused (404, a 4xx htmx swap) logs this; it is not a fault.
_EXPECTED = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d")


class WatchedBrowser:
    """The browser, with every page it opens watched: an uncaught script error, a console error
    or a Content-Security-Policy violation on any page fails the test."""

    def __init__(self, browser):
        self._browser = browser
        self.problems: list[str] = []

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        context.add_init_script(_REPORT_CSP_VIOLATIONS)
        context.on("page", self._watch)
        return context

    def new_page(self, **kwargs):
        return self.new_context(**kwargs).new_page()

    def _watch(self, page) -> None:
        def console(message):
            if message.type == "error" and not _EXPECTED.match(message.text):
                self.problems.append(f"{page.url}: {message.text}")

        page.on("console", console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: {error}"))


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
# Nor may they write to (or clean up) the developer's var/: uploads, imports, exports, backups.
_settings.VAR_DIR = Path(tempfile.mkdtemp(prefix="mofan-test-var-"))
_settings.MEDIA_ROOT = _settings.VAR_DIR / "media"
_settings.BACKUP_DIR = _settings.VAR_DIR / "backups"
# Tests chain audit records in-process, whether or not REDIS_URL names a broker (no worker runs).
_settings.AUDIT_LINK_IN_WORKER = False


@pytest.fixture(autouse=True)
def _audit_checkpoints(settings, tmp_path):
    """Each test keeps its own checkpoint file and starts as a newly started process."""
    from mofan.audit import checkpoints

    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.log"
    checkpoints.forget_process_state()
    yield
    checkpoints.forget_process_state()
