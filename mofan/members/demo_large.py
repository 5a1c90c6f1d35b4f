"""The transfers of `seed-demo --scale large`: 5,000 letters among the national tree's branches
over the last three years — most accepted (the record moved on that day, its history written),
some waiting (a few past their validity), some returned or withdrawn, some out of the system —
and a few hundred members out of contact or stopped. Bulk-written, deterministic."""

import random
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from mofan.members.choices import StandingKind, TransferKind, TransferState
from mofan.members.models import StandingChange, Transfer
from mofan.orgs.choices import MembershipStatus, OrgKind, TransferDirection
from mofan.orgs.models import Membership, MembershipTransfer, PartyOrg

SEED = 20261203
PREFIX = "NAT-"
TRANSFERS = 5_000
LOST = 300


class LargeTransferSeeder:
    total_steps = TRANSFERS + LOST

    def __init__(self, progress: Callable[[int], None] | None = None):
        self.rng = random.Random(f"{SEED}-transfers")  # nosec B311
        self.progress = progress or (lambda n: None)

    def already_seeded(self) -> bool:
        return Transfer.objects.filter(from_org__code__startswith=PREFIX).exists()

    def run(self) -> dict:
        rng, today = self.rng, timezone.localdate()
        branches = list(
            PartyOrg.objects.filter(code__startswith=PREFIX, kind=OrgKind.BRANCH)
            .active()
            .values_list("pk", flat=True)
        )
        members = list(
            Membership.objects.filter(org__code__startswith=PREFIX, status=MembershipStatus.NORMAL)
            .order_by("pk")
            .values_list("pk", "person_id", "org_id", "joined_on")
        )
        chosen = rng.sample(members, min(len(members), TRANSFERS + LOST))
        moving, losing = chosen[:TRANSFERS], chosen[TRANSFERS:]
        transfers, lines, moves, outs = [], [], {}, []
        for n, (membership_id, person_id, org_id, joined) in enumerate(moving):
            roll = rng.random()
            to_org = rng.choice(branches)
            while to_org == org_id:
                to_org = rng.choice(branches)
            if roll < 0.08:  # waiting, a few past their validity
                issued = today - timedelta(days=rng.randint(0, 40))
                state, decided = TransferState.PENDING, None
            else:
                issued = today - timedelta(days=rng.randint(30, 3 * 365))
                decided = issued + timedelta(days=rng.randint(0, 20))
                state = (
                    TransferState.RETURNED if roll < 0.11
                    else TransferState.WITHDRAWN if roll < 0.12
                    else TransferState.DONE if roll < 0.15
                    else TransferState.ACCEPTED
                )  # fmt: skip
            issued = max(issued, joined)
            out = state == TransferState.DONE
            transfers.append(Transfer(
                kind=TransferKind.OUT if out else TransferKind.WITHIN, state=state,
                person_id=person_id, from_org_id=org_id, to_org_id=None if out else to_org,
                other_org_name="中共某省直机关工作委员会" if out else "",
                letter_number=f"〔{issued.year}〕第{n + 1:06d}号", reason="job",
                issued_on=issued, valid_until=None if out else issued + timedelta(days=30),
                decided_on=decided,
                return_reason="非本单位人员" if state == TransferState.RETURNED else
                ("调动取消" if state == TransferState.WITHDRAWN else ""),
            ))  # fmt: skip
            if state == TransferState.ACCEPTED:
                moves[membership_id] = to_org
                for direction in (TransferDirection.OUT, TransferDirection.IN):
                    lines.append(MembershipTransfer(
                        membership_id=membership_id, direction=direction, happened_on=decided,
                        from_org_id=org_id, to_org_id=to_org,
                    ))  # fmt: skip
            elif out:
                outs.append(membership_id)
                lines.append(MembershipTransfer(
                    membership_id=membership_id, direction=TransferDirection.OUT,
                    happened_on=decided, from_org_id=org_id,
                    other_org_name="中共某省直机关工作委员会",
                ))  # fmt: skip
            if n % 500 == 499:
                self.progress(500)
        changes = []
        for _membership_id, person_id, org_id, _joined in losing:
            since = today - timedelta(days=rng.randint(60, 4 * 365))
            changes.append(StandingChange(
                person_id=person_id, org_id=org_id, kind=StandingKind.LOST, effective_on=since,
                note="多方查找未果",
            ))  # fmt: skip
        with transaction.atomic():
            Transfer.objects.bulk_create(transfers, batch_size=2000)
            MembershipTransfer.objects.bulk_create(lines, batch_size=2000)
            by_target: dict[int, list[int]] = {}
            for membership_id, to_org in moves.items():
                by_target.setdefault(to_org, []).append(membership_id)
            for to_org, ids in by_target.items():
                Membership.objects.filter(pk__in=ids).update(org_id=to_org)
            Membership.objects.filter(pk__in=outs).update(status=MembershipStatus.TRANSFERRED_OUT)
            StandingChange.objects.bulk_create(changes, batch_size=2000)
            Membership.objects.filter(pk__in=[m[0] for m in losing]).update(
                status=MembershipStatus.LOST_CONTACT
            )
        self.progress(LOST)
        return {"transfers": len(transfers), "lost": len(changes)}
