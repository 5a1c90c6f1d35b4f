"""Periodic work of the audit trail (Celery beat in production)."""

from celery import shared_task

from mofan.audit import checkpoints, services


@shared_task(name="mofan.audit.link", ignore_result=True)
def link() -> int:
    """Chain the records committed since (queued by every audited transaction)."""
    return services.link_pending()


@shared_task(name="mofan.audit.checkpoint")
def checkpoint() -> dict:
    """Chain what a crashed process left pending and anchor the chain's end outside the database."""
    linked = services.link_pending()
    seq, mac = services.chain_end()
    if seq:
        checkpoints.maybe_write(seq=seq, mac=mac, force=True)
    return {"linked": linked, "seq": seq}
