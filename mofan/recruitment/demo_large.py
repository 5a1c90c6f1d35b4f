"""The files of `seed-demo --scale large`: 30,000 applicants across the national tree's branches
and the stages — new applications, activists in their year, nominees on their way, the members
on probation (each probationary member of the tree gets the file that admitted them), some ended
— each with the steps its stage implies, on dates that keep the rules, some of them overdue (a
talk not held, a half-year review missed). Bulk-written with a fixed seed; the applicants who
are not members yet are new people, generated like the tree's."""

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from mofan.access import crypto
from mofan.members.rules import add_months
from mofan.orgs import names
from mofan.orgs.choices import MembershipKind, OrgKind
from mofan.orgs.demo.seed import Seeder
from mofan.orgs.models import Membership, PartyOrg, Person, Unit
from mofan.recruitment import rules
from mofan.recruitment.choices import Stage, StepKind
from mofan.recruitment.models import Applicant, Step

SEED = 20261203
PREFIX = "NAT-"
FILES = 30_000
BATCH = 5_000
SHARES = ((Stage.APPLICANT, 0.30), (Stage.ACTIVIST, 0.40), (Stage.NOMINEE, 0.15),
          (Stage.ENDED, 0.05))  # fmt: skip  # the rest: the tree's probationary members


class LargeRecruitmentSeeder:
    total_steps = FILES

    def __init__(self, progress: Callable[[int], None] | None = None):
        self.rng = random.Random(f"{SEED}-recruitment")  # nosec B311
        self.progress = progress or (lambda n: None)

    def already_seeded(self) -> bool:
        return Applicant.objects.filter(org__code__startswith=PREFIX).exists()

    def run(self) -> dict:
        rng, today = self.rng, timezone.localdate()
        branches = list(
            PartyOrg.objects.filter(code__startswith=PREFIX, kind=OrgKind.BRANCH)
            .active()
            .values_list("pk", flat=True)
        )
        sponsors = list(
            Membership.objects.filter(
                org__code__startswith=PREFIX, kind=MembershipKind.FULL
            ).values_list("person_id", flat=True)[:5000]
        )
        probationary = list(
            Membership.objects.filter(
                org__code__startswith=PREFIX, kind=MembershipKind.PROBATIONARY
            ).values_list("person_id", "org_id", "joined_on")
        )[: int(FILES * 0.10)]
        counts = {stage: int(FILES * share) for stage, share in SHARES}
        counts[Stage.ACTIVIST] += FILES - sum(counts.values()) - len(probationary)
        people = self._people(sum(counts.values()), today)
        files, plans = [], []
        for stage, n in counts.items():
            for _ in range(n):
                person = people.pop()
                plans.append(self._plan(stage, person.pk, rng.choice(branches), today, None))
        for person_id, org_id, joined in probationary:
            plans.append(self._plan(Stage.PROBATIONARY, person_id, org_id, today, joined))
        with transaction.atomic():
            for start in range(0, len(plans), BATCH):
                chunk = plans[start : start + BATCH]
                files = Applicant.objects.bulk_create([applicant for applicant, _ in chunk])
                steps = []
                for applicant, planned in zip(files, [p for _, p in chunk], strict=True):
                    for kind, on, fields in planned:
                        sponsor = rng.choice(sponsors)
                        steps.append(Step(
                            applicant_id=applicant.pk, kind=kind, done_on=on, note="（演示数据）",
                            person_a_id=sponsor if kind in PEOPLE else None, **fields,
                        ))  # fmt: skip
                Step.objects.bulk_create(steps, batch_size=BATCH)
                self.progress(len(chunk))
        return {
            "files": len(plans),
            "steps": Step.objects.filter(applicant__org__code__startswith=PREFIX).count(),
        }

    def _people(self, count: int, today: date) -> list[Person]:
        """New people (not members) of the tree's units, generated as the tree's own."""
        names_of = Seeder("large")
        names_of.rng = random.Random(f"{SEED}-recruitment-people")  # nosec B311
        taken = set(Person.objects.values_list("id_number_hash", flat=True))
        units = list(Unit.objects.filter(code__startswith=PREFIX).values_list("pk", flat=True))
        people = []
        while len(people) < count:
            gender = "M" if names_of.rng.random() < 0.55 else "F"
            birth = names_of._date_between(date(1975, 1, 1), today.replace(year=today.year - 22))
            id_number = names_of._id_number(birth, gender)
            hashed = crypto.keyed_hash(id_number)
            if hashed in taken:
                continue
            taken.add(hashed)
            name = names_of._name()
            people.append(Person(
                name=name, gender=gender, birth_date=birth, ethnicity="汉族", id_number=id_number,
                id_number_hash=hashed, unit_id=names_of.rng.choice(units), education="bachelor",
                job_title="科员", rank="一级科员", name_pinyin=names.pinyin(name),
                name_initials=names.initials(name), name_stroke_key=names.stroke_key(name),
            ))  # fmt: skip
        created = []
        for start in range(0, len(people), BATCH):
            created += Person.objects.bulk_create(people[start : start + BATCH])
        return created

    def _plan(self, stage, person_id, org_id, today, joined):
        """The file and its steps: each date after the one before, by the time rules."""
        rng = self.rng
        days = timedelta
        steps = []
        if stage == Stage.PROBATIONARY:
            admitted = joined
            applied = admitted - days(rng.randint(620, 900))
        elif stage == Stage.APPLICANT:
            applied = today - days(rng.randint(0, 60))
        elif stage == Stage.ACTIVIST:
            applied = today - days(rng.randint(60, 800))
        else:
            applied = today - days(rng.randint(560, 900))
        file = Applicant(person_id=person_id, org_id=org_id, stage=stage, applied_on=applied,
                         front_line=rng.random() < 0.4)  # fmt: skip
        on = applied

        def take(kind, gap, **fields):
            nonlocal on
            on = min(on + days(gap), today)
            steps.append((kind, on, fields))
            return on

        if stage == Stage.APPLICANT:
            if rng.random() < 0.7 and applied + days(20) <= today:
                file.talked_on = take(StepKind.TALK, rng.randint(5, 20))
        else:
            file.talked_on = take(StepKind.TALK, rng.randint(5, 25))
            file.activist_on = take(
                StepKind.ACTIVIST, rng.randint(20, 60), recommendation="members"
            )
            reviews_until = (
                today if stage == Stage.ACTIVIST else min(today, file.activist_on + days(400))
            )
            review = file.activist_on
            # A current activist may have missed one (overdue); one who went on had them all.
            keeps_up = stage != Stage.ACTIVIST or rng.random() < 0.9
            while add_months(review, 6) <= reviews_until and (keeps_up or file.reviews == 0):
                review = add_months(review, 6) - days(rng.randint(0, 10))
                steps.append((StepKind.REVIEW, review, {}))
                file.reviews += 1
                file.last_review_on = review
            if stage in (Stage.NOMINEE, Stage.PROBATIONARY, Stage.ENDED):
                on = max(on, add_months(file.activist_on, 12), review)
                file.nominee_on = take(StepKind.NOMINEE, rng.randint(1, 20))
                file.reviews, file.last_review_on = 0, None
                if stage == Stage.NOMINEE and file.nominee_on + days(30) > today:
                    pass  # just nominated
                else:
                    file.political_on = take(StepKind.POLITICAL, rng.randint(10, 30))
                    file.trained_on = take(StepKind.TRAINING, rng.randint(5, 20), days=3)
            if stage == Stage.PROBATIONARY:
                starts = admitted - days(40)
                steps.append((StepKind.PUBLICITY, starts, {"ends_on": starts + days(9)}))
                steps.append((StepKind.PRE_REVIEW, starts + days(14), {}))
                steps.append((StepKind.ADMISSION, admitted, {
                    "entitled": 20, "present": 18, "votes_for": 18, "votes_against": 0,
                    "votes_abstain": 0, "passed": True,
                }))  # fmt: skip
                approved = min(admitted + days(rng.randint(10, 80)), today)
                steps.append((StepKind.APPROVAL, approved, {}))
                file.publicity_ends_on, file.pre_review_on = starts + days(9), starts + days(14)
                file.admitted_on, file.approved_on = admitted, approved
                file.probation_ends_on = add_months(admitted, 12)
            if stage == Stage.ENDED:
                file.ended_on = take(StepKind.END, rng.randint(10, 60))
        file.stage = stage
        if stage in rules.LIVE:
            facts = file.facts()
            file.next_due_on, file.next_due_kind = rules.next_due(facts, rules.done_from(facts))
        return file, steps


PEOPLE = {StepKind.TALK, StepKind.ACTIVIST, StepKind.NOMINEE}
