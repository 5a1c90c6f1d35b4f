"""The small demo's 巡视巡察: the 部党组 (DEMO-P0) keeps a five-year coverage plan of its
branches, a fifth planned each year, and this year's first regular round over three of them —
第一巡察组 led by 督办员 duban (told so), stationed, with two findings recorded — kept by its
discipline officer jijian. Team members are chosen among those who need not stand aside.
A 个别谈话 and two 来信来访, one handed to the team. A 专项巡察 of two other branches (whose
secretaries have accounts) fed back and handed over: their rectification ledgers are open, one
measure under way. Through the services; idempotent."""

from django.utils import timezone

from mofan.access.models import User
from mofan.inspection import rectify, services
from mofan.inspection.models import Plan
from mofan.orgs.models import PartyOrg, Person

FINDINGS = [
    ("party_building", "“三会一课”记录不规范",
     "部分支部委员会会议记录未载明议题和决定事项，个别月份主题党日未按计划开展。"),
    ("conduct", "督查检查考核过多过频",
     "本年度对下属处室开展各类检查九次，部分检查内容重复，基层反映负担较重。"),
]  # fmt: skip


def seed_small() -> int:
    root = PartyOrg.objects.filter(code="DEMO-P0").select_related("unit").first()
    officer = User.objects.filter(username="jijian").first()
    if root is None or officer is None or Plan.objects.exists():
        return 0
    today = timezone.localdate()
    plan = services.create_plan(
        root, actor=officer, title=f"{today.year}—{today.year + 4}年巡察工作规划",
        first_year=today.year, last_year=today.year + 4,
    )  # fmt: skip
    branches = list(
        PartyOrg.objects.subtree(root).filter(kind="branch", dissolved_on__isnull=True)
        .select_related("unit").order_by("path")
    )  # fmt: skip
    for n, year in enumerate(range(plan.first_year, plan.last_year + 1)):
        if branches[n::5]:
            services.plan_orgs(plan, actor=officer, orgs=branches[n::5], year=year)
    targets = branches[0::5][:3]
    round_ = services.create_round(root, actor=officer, kind="regular", year=today.year,
                                   title=f"{today.year}年第一轮巡察", plan=plan)  # fmt: skip
    team = services.add_team(round_, actor=officer, name="第一巡察组", phone="010-66001234",
                             mailbox="xuncha1@mofan.demo")  # fmt: skip
    chosen = _free_of(targets, 3)
    for person, role in zip(chosen, ("leader", "deputy", "member"), strict=False):
        services.add_member(team, actor=officer, person=person, role=role)
    for org in targets:
        services.add_target(round_, actor=officer, org=org, team=team)
    services.advance(round_, actor=officer)
    first = round_.targets.select_related("org").first()
    for category, title, facts in FINDINGS:
        services.add_finding(first, actor=officer, category=category, title=title, facts=facts)
    services.add_interview(first, actor=officer, held_on=today, interviewee="支部书记",
                           post="处长", summary="介绍了支部落实“三会一课”和主题党日的情况，"
                           "承认部分会议记录不完整。")  # fmt: skip
    handed = services.register_letter(round_, actor=officer, channel="phone", received_on=today,
                                      content=f"反映{first.org.name}所在单位年底突击花钱。")  # fmt: skip
    services.classify_letter(handed, actor=officer, version=handed.version, kind="accusation",
                             target=first)  # fmt: skip
    services.register_letter(round_, actor=officer, channel="letter", received_on=today,
                             sender="一名退休干部", content="建议巡察组关注离退休干部待遇落实情况。")  # fmt: skip
    return round_.targets.count() + _special(root, officer, branches, set(targets), today)


def _free_of(targets, n: int) -> list:
    """`n` people who need not stand aside from any of `targets`, 督办员 duban first."""
    leader = User.objects.filter(username="duban").select_related("person__unit").first()
    people = [leader.person] if leader is not None and leader.person_id else []
    people += list(Person.objects.select_related("unit").order_by("pk")[:400])
    chosen = []
    for person in people:
        if person not in chosen and all(services.recusal(person, org) is None for org in targets):
            chosen.append(person)
        if len(chosen) == n:
            break
    return chosen


SPECIAL_FINDINGS = [
    ("strict_governance", "落实全面从严治党主体责任不到位",
     "支部未按要求专题研究党风廉政建设工作，年度责任清单未逐项签认。"),
    ("cadres", "干部教育培训计划执行不严",
     "年度培训计划中三项专题培训未按期举办，培训档案记录不全。"),
    ("integrity", "办公用房管理不规范",
     "个别处室办公用房超出标准面积，未按要求及时整改腾退。"),
]  # fmt: skip


def _special(root, officer, branches, taken, today) -> int:
    """The 专项巡察 at 整改: branches whose secretaries have accounts (they answer for the
    rectification), with a team of people who need not stand aside from them."""
    targets = [b for b in branches if b not in taken and b.unit_id and rectify.answering(b)][:2]
    team_people = _free_of(targets, 2)
    if not targets or not team_people:
        return 0
    round_ = services.create_round(root, actor=officer, kind="special", year=today.year,
                                   title=f"{today.year}年党建工作专项巡察")  # fmt: skip
    team = services.add_team(round_, actor=officer, name="第二巡察组", phone="010-66001235",
                             mailbox="xuncha2@mofan.demo")  # fmt: skip
    for person, role in zip(team_people, ("leader", "member"), strict=False):
        services.add_member(team, actor=officer, person=person, role=role)
    for org in targets:
        services.add_target(round_, actor=officer, org=org, team=team)
    services.advance(round_, actor=officer)
    for n, target in enumerate(round_.targets.order_by("pk")):
        for category, title, facts in SPECIAL_FINDINGS[n:]:
            services.add_finding(target, actor=officer, category=category, title=title, facts=facts)
    for _ in range(3):  # 了解, 报告, 反馈
        round_ = services.advance(round_, actor=officer)
    rectify.hand_over(round_, actor=officer)
    for _ in range(2):  # 移交, 整改
        round_ = services.advance(round_, actor=officer)
    return len(targets)
