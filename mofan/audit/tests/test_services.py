def test_reads_recorded_in_bulk_are_sealed_and_chained_like_one_by_one(world):
    from mofan.audit import services as audit_services
    from mofan.audit.models import AuditEvent, PendingLink

    before = AuditEvent.objects.count()
    orgs = [world.branch_a, world.branch_b, world.organ]
    assert audit_services.record_reads(world.carol, "orgs.org.viewed", orgs) == 3
    events = list(AuditEvent.objects.order_by("-id")[:3])
    assert AuditEvent.objects.count() == before + 3
    assert sorted(e.object_id for e in events) == sorted(str(o.pk) for o in orgs)
    assert {e.actor_name for e in events} == {"carol"}
    assert audit_services.record_reads(world.carol, "orgs.org.viewed", []) == 0
    audit_services.link_pending()
    assert not PendingLink.objects.exists()
    assert audit_services.verify(write_checkpoint=False).ok
