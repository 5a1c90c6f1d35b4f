"""Demo transfers for the small demo: a letter from 办公厅第二支部 (DEMO-B4) waiting for
办公厅第一党支部 (DEMO-B00) to accept — shuji_a's to do —, one of DEMO-B00's on its way to DEMO-B4,
one accepted last month, and a member of DEMO-B4 out of contact since spring. Through the
services, so the audit trail and notices are as real ones; idempotent."""

from datetime import timedelta

from django.utils import timezone

from mofan.members import services
from mofan.members.models import StandingChange, Transfer
from mofan.orgs.choices import MembershipKind, MembershipStatus
from mofan.orgs.models import Membership, PartyOrg


def _members(org, skip_taken=True):
    found = Membership.objects.filter(
        org=org, status=MembershipStatus.NORMAL, kind=MembershipKind.FULL
    ).select_related("person", "org")
    if skip_taken:
        found = found.filter(person__user__isnull=True)
    return list(found.order_by("-pk")[:6])


def seed_small() -> int:
    branch_a = PartyOrg.objects.filter(code="DEMO-B00").first()
    branch_b = PartyOrg.objects.filter(code="DEMO-B4").first()
    if branch_a is None or branch_b is None or Transfer.objects.exists():
        return 0
    today = timezone.localdate()
    from_b, from_a = _members(branch_b), _members(branch_a)
    if len(from_b) < 3 or len(from_a) < 2:
        return 0
    services.issue_transfer(
        from_b[0], actor=None, to_org=branch_a, issued_on=today - timedelta(days=3), reason="job",
        note="因工作调动，转入办公厅第一党支部。",
    )  # fmt: skip
    services.issue_transfer(
        from_a[0], actor=None, to_org=branch_b, issued_on=today - timedelta(days=5), reason="job"
    )
    settled = services.issue_transfer(
        from_b[1], actor=None, to_org=branch_a, issued_on=today - timedelta(days=25), reason="job"
    )
    services.accept_transfer(settled, actor=None, accepted_on=today - timedelta(days=20))
    lost = from_b[2]
    if not StandingChange.objects.filter(person_id=lost.person_id).exists():
        services.mark_lost(
            lost, actor=None, since=today - timedelta(days=230),
            note="外出务工，手机停机；多次联系其家属未果。",
        )  # fmt: skip
    return Transfer.objects.count()
