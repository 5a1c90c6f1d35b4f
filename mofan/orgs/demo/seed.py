"""Deterministic demo data: one organ (small) or a national system (large), written in batches.

Everything comes from one seeded random generator, so two runs give the same data. The trees are
laid out in memory with their materialised paths and written with bulk_create, never a save per row.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection, transaction
from stdnum.cn import ric

from mofan.access import crypto
from mofan.access import services as access_services
from mofan.access.roles import Role
from mofan.audit import services as audit
from mofan.orgs import names
from mofan.orgs.choices import MembershipKind, MembershipStatus, OrgKind, PositionTitle, UnitKind
from mofan.orgs.demo import vocab
from mofan.orgs.models import Membership, OrgHistory, PartyOrg, Person, Position, Unit

SEED = 20261125
TODAY = date(2026, 11, 25)
DEMO_PASSWORD = "Mofan@2026!"  # noqa: S105 (published demo password, README)  # nosec B105
BATCH = 5000


@dataclass
class NodeSpec:
    code: str
    name: str
    kind: str
    parent: int | None
    short_name: str = ""
    department: int | None = None
    fields: dict = field(default_factory=dict)


@dataclass
class Layout:
    prefix: str
    units: list[NodeSpec]
    orgs: list[NodeSpec]
    people: int
    member_share: float


def _small_layout() -> Layout:
    units = [NodeSpec("DEMO-U0", "示范部", UnitKind.ORGAN, None, "示范部")]
    orgs = [
        NodeSpec("DEMO-P0", "中共示范部党组", OrgKind.LEADING_GROUP, None, "部党组"),
        NodeSpec("DEMO-P1", "中共示范部直属机关委员会", OrgKind.ORGAN_COMMITTEE, 0, "机关党委"),
    ]
    for d, dept in enumerate(vocab.DEPARTMENTS[:10]):
        units.append(NodeSpec(f"DEMO-U{d + 1:02d}", f"示范部{dept}", UnitKind.DEPARTMENT, 0, dept))
        dept_index = len(units) - 1
        for v, division in enumerate(vocab.DIVISIONS[d : d + 2]):
            units.append(
                NodeSpec(
                    f"DEMO-U{d + 1:02d}{v + 1}",
                    f"{dept}{division}",
                    UnitKind.DIVISION,
                    dept_index,
                    division,
                    d,
                )
            )
        units[dept_index].department = d
        if d < 2:  # the two largest departments have a general branch with three branches
            orgs.append(
                NodeSpec(
                    f"DEMO-G{d}",
                    f"中共示范部{dept}总支部委员会",
                    OrgKind.GENERAL_BRANCH,
                    1,
                    f"{dept}党总支",
                    d,
                )
            )
            gb = len(orgs) - 1
            for b, ordinal in enumerate("一二三"):
                orgs.append(
                    NodeSpec(
                        f"DEMO-B{d}{b}",
                        f"中共示范部{dept}第{ordinal}支部委员会",
                        OrgKind.BRANCH,
                        gb,
                        f"{dept}第{ordinal}党支部",
                        d,
                    )
                )
                if b == 0:
                    branch = len(orgs) - 1
                    for g, gname in enumerate(("第一党小组", "第二党小组")):
                        orgs.append(
                            NodeSpec(
                                f"DEMO-B{d}{b}G{g}",
                                f"{dept}第{ordinal}党支部{gname}",
                                OrgKind.GROUP,
                                branch,
                                gname,
                                d,
                            )
                        )
        else:
            orgs.append(
                NodeSpec(
                    f"DEMO-B{d}",
                    f"中共示范部{dept}支部委员会",
                    OrgKind.BRANCH,
                    1,
                    f"{dept}党支部",
                    d,
                )
            )
    return Layout("DEMO", units, orgs, people=300, member_share=0.9)


def _large_layout() -> Layout:
    """10,000 orgs, 2,000 units, 100,000 people. The first branch office is the big one (about a
    tenth of all members), so benchmarks have a realistic 10,000-member subtree to filter by."""
    units = [NodeSpec("NAT-U0", "全国示范系统", UnitKind.ORGAN, None, "示范系统")]
    orgs = [NodeSpec("NAT-P0", "中共全国示范系统委员会", OrgKind.COMMITTEE, None, "系统党委")]
    departments, divisions_total, org_total = 40, 1959, 10_000
    general_branches = [115] + [25] * (departments - 1)
    groups_left = org_total - 1 - departments - sum(general_branches) * 7
    for d in range(departments):
        office = f"第{d + 1}分局"
        units.append(
            NodeSpec(f"NAT-U{d:02d}", f"示范系统{office}", UnitKind.DEPARTMENT, 0, office, d)
        )
        dept_index = len(units) - 1
        count = divisions_total // departments + (1 if d < divisions_total % departments else 0)
        for v in range(count):
            division = vocab.DIVISIONS[v % len(vocab.DIVISIONS)]
            units.append(
                NodeSpec(
                    f"NAT-U{d:02d}-{v:03d}",
                    f"{office}{division}{v // len(vocab.DIVISIONS) + 1}",
                    UnitKind.DIVISION,
                    dept_index,
                    division,
                    d,
                )
            )
        orgs.append(
            NodeSpec(
                f"NAT-C{d:02d}",
                f"中共示范系统{office}机关委员会",
                OrgKind.ORGAN_COMMITTEE,
                0,
                f"{office}机关党委",
                d,
            )
        )
        committee = len(orgs) - 1
        for g in range(general_branches[d]):
            orgs.append(
                NodeSpec(
                    f"NAT-G{d:02d}{g:03d}",
                    f"{office}第{g + 1}党总支",
                    OrgKind.GENERAL_BRANCH,
                    committee,
                    f"第{g + 1}党总支",
                    d,
                )
            )
            gb = len(orgs) - 1
            for b in range(6):
                orgs.append(
                    NodeSpec(
                        f"NAT-B{d:02d}{g:03d}{b}",
                        f"{office}第{g + 1}党总支第{b + 1}党支部",
                        OrgKind.BRANCH,
                        gb,
                        f"第{b + 1}党支部",
                        d,
                    )
                )
                if groups_left > 0 and b % 2 == 0:
                    groups_left -= 1
                    branch = len(orgs) - 1
                    orgs.append(
                        NodeSpec(
                            f"NAT-B{d:02d}{g:03d}{b}G",
                            f"{office}第{g + 1}党总支第{b + 1}党支部第一党小组",
                            OrgKind.GROUP,
                            branch,
                            "第一党小组",
                            d,
                        )
                    )
    return Layout("NAT", units, orgs, people=100_000, member_share=0.96)


LAYOUTS: dict[str, Callable[[], Layout]] = {"small": _small_layout, "large": _large_layout}


def _assign_paths(model, specs: list[NodeSpec]) -> list[tuple[str, int]]:
    """Materialised path and number of children of each spec (parents precede their children)."""
    paths: list[str] = []
    children = [0] * len(specs)
    roots = 0
    for spec in specs:
        if spec.parent is None:
            roots += 1
            paths.append(model._get_path(None, 1, roots))
        else:
            children[spec.parent] += 1
            parent_path = paths[spec.parent]
            paths.append(
                model._get_path(
                    parent_path, len(parent_path) // model.steplen + 1, children[spec.parent]
                )
            )
    return list(zip(paths, children, strict=True))


class Seeder:
    def __init__(self, scale: str, progress: Callable[[int], None] | None = None):
        self.scale = scale
        self.layout = LAYOUTS[scale]()
        self.rng = random.Random(f"{SEED}-{scale}")  # nosec B311
        self.progress = progress or (lambda n: None)
        self.used_ids: set[str] = set()

    @property
    def total_steps(self) -> int:
        return len(self.layout.units) + len(self.layout.orgs) + self.layout.people * 2

    def already_seeded(self) -> bool:
        return PartyOrg.objects.filter(code=f"{self.layout.prefix}-P0").exists()

    # -- generators ---------------------------------------------------------------------------

    def _name(self) -> str:
        rng = self.rng
        surname = (
            rng.choice(vocab.COMPOUND_SURNAMES)
            if rng.random() < 0.01
            else vocab.SURNAMES[min(int(rng.expovariate(1 / 25)), len(vocab.SURNAMES) - 1)]
        )
        given = "".join(
            rng.choice(vocab.GIVEN_CHARS) for _ in range(1 if rng.random() < 0.3 else 2)
        )
        return surname + given

    def _id_number(self, birth: date, gender: str) -> str:
        while True:
            sequence = self.rng.randrange(0, 500) * 2 + (1 if gender == "M" else 0)
            body = f"{self.rng.choice(vocab.REGION_CODES)}{birth:%Y%m%d}{sequence:03d}"
            number = body + ric.calc_check_digit(
                body + "0"
            )  # the function expects a placeholder check digit
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def _date_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange(max((end - start).days, 1)))

    # -- writing -------------------------------------------------------------------------------

    def _write_tree(
        self, model, specs: list[NodeSpec], extra: Callable[[int, NodeSpec], dict]
    ) -> list:
        objects = []
        for index, ((path, numchild), spec) in enumerate(
            zip(_assign_paths(model, specs), specs, strict=True)
        ):
            objects.append(
                model(
                    path=path,
                    depth=len(path) // model.steplen,
                    numchild=numchild,
                    code=spec.code,
                    name=spec.name,
                    short_name=spec.short_name,
                    search_keys=names.search_keys(spec.name, spec.short_name),
                    kind=spec.kind,
                    order=index,
                    **extra(index, spec),  # nosec B610
                )
            )
        for start in range(0, len(objects), BATCH):
            model.objects.bulk_create(objects[start : start + BATCH])
            self.progress(len(objects[start : start + BATCH]))
        by_code = {
            o.code: o.pk
            for o in model.objects.filter(code__startswith=f"{self.layout.prefix}-").only(
                "pk", "code"
            )
        }
        for obj in objects:
            obj.pk = by_code[obj.code]
        return objects

    @transaction.atomic
    def run(self) -> dict:
        layout, rng = self.layout, self.rng
        units = self._write_tree(Unit, layout.units, lambda i, s: {"founded_on": date(1998, 3, 10)})
        divisions_by_dept: dict[int | None, list[Unit]] = {}
        # Each department's organisations are set up in the department; the top ones in the organ.
        unit_of_dept: dict[int | None, Unit] = {None: units[0]}
        for unit, spec in zip(units, layout.units, strict=True):
            if spec.kind == UnitKind.DIVISION:
                divisions_by_dept.setdefault(spec.department, []).append(unit)
            elif spec.kind == UnitKind.DEPARTMENT:
                unit_of_dept[spec.department] = unit

        # Decide who belongs where before writing the orgs, so committee flags follow the members.
        branch_indexes = [i for i, s in enumerate(layout.orgs) if s.kind == OrgKind.BRANCH]
        member_total = int(layout.people * layout.member_share)
        assignment = [rng.choice(branch_indexes) for _ in range(member_total)]
        if self.scale == "small":
            # Realistic gaps for the compliance views: one branch too small, one term expired.
            small_branch = branch_indexes[-1]
            assignment = [b if b != small_branch else branch_indexes[-2] for b in assignment]
            assignment[:2] = [small_branch, small_branch]
        kinds = [
            MembershipKind.PROBATIONARY if rng.random() < 0.05 else MembershipKind.FULL
            for _ in assignment
        ]
        full_by_branch: dict[int, int] = {}
        for branch, kind in zip(assignment, kinds, strict=True):
            if kind == MembershipKind.FULL:
                full_by_branch[branch] = full_by_branch.get(branch, 0) + 1

        expired_branch = branch_indexes[0] if self.scale == "small" else None

        def org_extra(index: int, spec: NodeSpec) -> dict:
            term = self._date_between(date(2024, 1, 1), date(2026, 6, 30))
            if index == expired_branch or (self.scale == "large" and rng.random() < 0.04):
                term = self._date_between(date(2021, 1, 1), date(2023, 6, 30))
            return {
                "founded_on": self._date_between(date(1985, 1, 1), date(2015, 12, 31)),
                "term_started_on": term
                if spec.kind != OrgKind.GROUP and spec.kind != OrgKind.LEADING_GROUP
                else None,
                "has_committee": spec.kind != OrgKind.BRANCH or full_by_branch.get(index, 0) >= 7,
                "unit_id": unit_of_dept.get(spec.department, units[0]).pk,
            }

        orgs = self._write_tree(PartyOrg, layout.orgs, org_extra)
        OrgHistory.objects.bulk_create(
            [
                OrgHistory(
                    party_org=o, kind="founded", happened_on=o.founded_on, after={"name": o.name}
                )
                for o in orgs
            ],
            batch_size=BATCH,
        )

        people = self._write_people(layout, divisions_by_dept, assignment)
        memberships = self._write_memberships(people, orgs, assignment, kinds)
        self._write_positions(orgs, memberships)
        counts = {
            "units": len(units),
            "orgs": len(orgs),
            "people": len(people),
            "members": len(memberships),
        }
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner guesses a few rows where there are a hundred thousand.
            with connection.cursor() as cursor:
                for model in (Unit, PartyOrg, Person, Membership, Position):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
        audit.record(
            None,
            "orgs.demo.seeded",
            payload={"scale": self.scale, **counts},
            actor_name="seed-demo",
        )
        return counts

    def _write_people(self, layout: Layout, divisions_by_dept, assignment) -> list[Person]:
        rng = self.rng
        branch_department = [spec.department for spec in layout.orgs]
        all_divisions = [u for units in divisions_by_dept.values() for u in units]
        people = []
        phone_base = 13800000000 if self.scale == "small" else 15000000000
        for i in range(layout.people):
            gender = "M" if rng.random() < 0.58 else "F"
            birth = self._date_between(date(1962, 1, 1), date(2002, 12, 31))
            department = branch_department[assignment[i]] if i < len(assignment) else None
            unit = rng.choice(divisions_by_dept.get(department) or all_divisions)
            name = self._name()
            id_number = self._id_number(birth, gender)
            phone = str(phone_base + i * 7 + 3)
            person = Person(
                name=name,
                gender=gender,
                birth_date=birth,
                ethnicity="汉族" if rng.random() < 0.92 else rng.choice(vocab.ETHNIC_MINORITIES),
                id_number=id_number,
                id_number_hash=crypto.keyed_hash(id_number),
                phone=phone,
                phone_hash=crypto.keyed_hash(phone),
                education=rng.choices(
                    [e for e, _ in vocab.EDUCATION_WEIGHTS], [w for _, w in vocab.EDUCATION_WEIGHTS]
                )[0],
                unit=unit,
                job_title=rng.choice(vocab.JOB_TITLES),
                rank=rng.choice(vocab.RANKS),
                name_pinyin=names.pinyin(name),
                name_initials=names.initials(name),
                name_stroke_key=names.stroke_key(name),
            )
            people.append(person)
        for start in range(0, len(people), BATCH):
            chunk = people[start : start + BATCH]
            Person.objects.bulk_create(chunk)
            self.progress(len(chunk))
        if people[0].pk is None:  # backends without RETURNING on bulk insert
            pks = list(Person.objects.order_by("-pk").values_list("pk", flat=True)[: len(people)])[
                ::-1
            ]
            for person, pk in zip(people, pks, strict=True):
                person.pk = pk
        return people

    def _write_memberships(self, people, orgs, assignment, kinds) -> list[Membership]:
        rng = self.rng
        memberships = []
        for person, branch, kind in zip(people, assignment, kinds, strict=False):
            adult = (
                person.birth_date.replace(year=person.birth_date.year + 18)
                if not (person.birth_date.month == 2 and person.birth_date.day == 29)
                else date(person.birth_date.year + 18, 3, 1)
            )
            if kind == MembershipKind.PROBATIONARY:
                joined = self._date_between(
                    max(adult, TODAY - timedelta(days=360)), TODAY - timedelta(days=5)
                )
                confirmed = None
            else:
                joined = self._date_between(
                    adult,
                    min(
                        TODAY - timedelta(days=400),
                        max(adult + timedelta(days=30), TODAY - timedelta(days=400)),
                    ),
                )
                confirmed = joined + timedelta(days=365 + rng.randrange(0, 20))
            roll = rng.random()
            status = (
                MembershipStatus.NORMAL
                if roll < 0.985
                else (
                    MembershipStatus.LOST_CONTACT
                    if roll < 0.992
                    else MembershipStatus.TRANSFERRED_OUT
                )
            )
            memberships.append(
                Membership(
                    person=person,
                    org=orgs[branch],
                    kind=kind,
                    joined_on=joined,
                    confirmed_on=confirmed,
                    status=status,
                )
            )
        for start in range(0, len(memberships), BATCH):
            chunk = memberships[start : start + BATCH]
            Membership.objects.bulk_create(chunk)
            self.progress(len(chunk))
        self.progress(len(people) - len(memberships))
        return memberships

    def _write_positions(self, orgs, memberships) -> None:
        by_org: dict[int, list[Membership]] = {}
        for m in memberships:
            if m.kind == MembershipKind.FULL and m.status == MembershipStatus.NORMAL:
                by_org.setdefault(m.org.pk, []).append(m)
        titles = [
            PositionTitle.SECRETARY,
            PositionTitle.ORGANISATION_MEMBER,
            PositionTitle.PUBLICITY_MEMBER,
            PositionTitle.DISCIPLINE_MEMBER,
        ]
        positions = []
        for index, org in enumerate(orgs):
            members = by_org.get(org.pk, [])
            if not members and org.kind != OrgKind.GROUP:
                # Upper organisations draw their officers from the first branch below them (the
                # list is in tree order); a later member of it, so branch officers stay distinct.
                below = next(
                    (
                        o
                        for o in orgs[index + 1 :]
                        if o.path.startswith(org.path) and by_org.get(o.pk)
                    ),
                    None,
                )
                members = by_org.get(below.pk, [])[4:] if below else []
            if not members:
                continue
            holders = titles if org.has_committee else titles[:1]
            for title, member in zip(holders, members, strict=False):
                positions.append(
                    Position(
                        person_id=member.person_id,
                        org=org,
                        title=title,
                        started_on=org.term_started_on or org.founded_on,
                    )
                )
        Position.objects.bulk_create(positions, batch_size=BATCH)


def create_liaisons() -> None:
    """A 督办联络员 for each department of the small demo (lianluo for 办公厅, lianluo_02 … for the
    others): items handed to a department without an owner reach them. Idempotent."""
    for number in range(1, 11):
        username = "lianluo" if number == 1 else f"lianluo_{number:02d}"
        if access_services.User.objects.filter(username=username).exists():
            continue
        unit = Unit.objects.filter(code=f"DEMO-U{number:02d}").first()
        if unit is None:
            return
        taken = access_services.User.objects.filter(person__isnull=False).values("person_id")
        person = Person.objects.in_units_of(unit).exclude(pk__in=taken).order_by("pk").first()
        user = access_services.create_user(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            person=person,
            temporary=False,
        )
        access_services.grant_role(user, actor=None, role=Role.LIAISON, unit=unit)


def create_personas() -> list[dict]:
    """One account per persona of the small demo (see README), all with the demo password."""
    if access_services.User.objects.filter(username="shuji_a").exists():
        create_liaisons()  # demo data seeded before there were liaisons gets them too
        return personas_table()
    branch_a = PartyOrg.objects.get(code="DEMO-B00")
    branch_b = PartyOrg.objects.get(code="DEMO-B4")
    organ_committee = PartyOrg.objects.get(code="DEMO-P1")
    root = PartyOrg.objects.get(code="DEMO-P0")

    def member_of(org, skip=0):
        return (
            Membership.objects.filter(
                org=org, kind=MembershipKind.FULL, status=MembershipStatus.NORMAL
            )
            .order_by("pk")[skip]
            .person
        )

    def make(username, person=None, display=""):
        return access_services.create_user(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            person=person,
            display_name=display,
            temporary=False,
        )

    shuji_a = make("shuji_a", member_of(branch_a))
    access_services.grant_role(shuji_a, actor=None, role=Role.BRANCH_SECRETARY, org=branch_a)
    access_services.grant_role(shuji_a, actor=None, role=Role.MEMBER, org=branch_a)
    dangyuan_a = make("dangyuan_a", member_of(branch_a, 5))
    access_services.grant_role(dangyuan_a, actor=None, role=Role.MEMBER, org=branch_a)
    shuji_b = make("shuji_b", member_of(branch_b))
    access_services.grant_role(shuji_b, actor=None, role=Role.BRANCH_SECRETARY, org=branch_b)
    dangjian = make("dangjian", member_of(branch_b, 3))
    access_services.grant_role(dangjian, actor=None, role=Role.ORG_ADMIN, org=organ_committee)
    for username, role in (
        ("duban", Role.SUPERVISOR),
        ("lingdao", Role.LEADER),
        ("jijian", Role.DISCIPLINE_OFFICER),
    ):
        user = make(
            username, member_of(branch_b, {"duban": 6, "lingdao": 7, "jijian": 8}[username])
        )
        access_services.grant_role(user, actor=None, role=role, org=root)
        if role in (Role.SUPERVISOR, Role.LEADER):
            # Supervision follows units: the same people also see the whole unit tree's tasks.
            access_services.grant_role(
                user, actor=None, role=role, unit=Unit.objects.get(code="DEMO-U0")
            )
    for username, role, display in (
        ("xitong", Role.SYSADMIN, "系统管理员"),
        ("anquan", Role.SECADMIN, "安全保密管理员"),
        ("shenji", Role.AUDITOR, "安全审计员"),
    ):
        user = make(username, display=display)
        access_services.grant_role(user, actor=None, role=role)
    create_liaisons()  # after the personas, so that no two accounts take one person
    create_cascade_personas()
    return personas_table()


def create_cascade_personas() -> None:
    """层层分解 in the small demo: 人事司's 司长 (splits what 人事司 receives among its 处),
    the head of its 督查处 (carries a part out) and its 督办员 (keeps 人事司's own ledger and
    签收 what the 部 hands down to it). Idempotent; after the liaisons."""
    department = Unit.objects.filter(code="DEMO-U05").first()
    division = Unit.objects.filter(code="DEMO-U051").first()
    if department is None or division is None:
        return
    for username, unit, title, role in (
        ("sizhang", department, "司长", Role.LEADER),
        ("chuzhang", division, "处长", Role.MEMBER),
        ("duban_rs", department, "", Role.SUPERVISOR),
    ):
        if access_services.User.objects.filter(username=username).exists():
            continue
        taken = access_services.User.objects.filter(person__isnull=False).values("person_id")
        person = Person.objects.in_units_of(unit).exclude(pk__in=taken).order_by("pk").first()
        if person is None:
            continue
        # The 司长 sits in the 司 itself, not in one of its 处: roles are matched in the unit.
        Person.objects.filter(pk=person.pk).update(unit=unit, job_title=title or person.job_title)
        user = access_services.create_user(
            actor=None, username=username, password=DEMO_PASSWORD, person=person, temporary=False
        )
        if role == Role.MEMBER:
            membership = Membership.objects.filter(person=person).first()
            if membership is not None:
                access_services.grant_role(user, actor=None, role=role, org=membership.org)
        else:
            access_services.grant_role(user, actor=None, role=role, unit=department)


PERSONAS = [
    ("shuji_a", "办公厅第一党支部书记（支部书记）"),
    ("dangyuan_a", "办公厅第一党支部党员（普通党员）"),
    ("shoujiao_a", "办公厅第一党支部党费收缴员"),
    ("shuji_b", "人事司党支部书记（支部书记）"),
    ("dangjian", "机关党委党建管理员（党建管理员）"),
    ("duban", "部党组范围督办员（督办员）"),
    ("lingdao", "部领导（只读总览）"),
    ("jijian", "部党组纪检干部（巡视巡察；监督执纪：问题线索、谈话、个人有关事项报告）"),
    ("lianluo", "办公厅督办联络员（交办本单位的事项由其指定责任人）"),
    ("sizhang", "人事司司长（把收到的事项分解给本司各处并督办）"),
    ("chuzhang", "人事司督查处处长（办理分解下来的子事项）"),
    ("duban_rs", "人事司督办员（签收部里交给本司台账的事项）"),
    ("xitong", "系统管理员（需绑定动态口令）"),
    ("anquan", "安全保密管理员（需绑定动态口令）"),
    ("shenji", "安全审计员（需绑定动态口令）"),
]


def personas_table() -> list[dict]:
    """The demo logins with the name the app shows for each (the person's, or the account's)."""
    shown = {
        user.username: (user.person.name if user.person_id else user.display_name)
        for user in access_services.User.objects.filter(
            username__in=[u for u, _ in PERSONAS]
        ).select_related("person")
    }
    return [
        {"username": u, "password": DEMO_PASSWORD, "who": who, "name": shown.get(u, "")}
        for u, who in PERSONAS
    ]
