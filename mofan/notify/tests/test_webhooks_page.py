import pytest
from django.urls import reverse

from mofan.audit.models import AuditEvent
from mofan.notify.models import Webhook

pytestmark = pytest.mark.django_db


def test_sysadmin_configures_group_robots(world, login):
    client = login(world.sysadmin)
    response = client.post(
        reverse("notify:webhooks"),
        {
            "name": "办公厅群",
            "kind": "wecom",
            "url": "http://10.1.1.1/robot?key=x",
            "unit": world.unit_a.pk,
        },
    )
    assert response.status_code == 302
    hook = Webhook.objects.get()
    assert hook.unit == world.unit_a
    client.post(reverse("notify:webhooks"), {"action": "toggle", "hook": hook.pk})
    hook.refresh_from_db()
    assert not hook.active
    response = client.post(
        reverse("notify:webhooks"),
        {"name": "x", "kind": "wecom", "url": "not a url", "unit": 999999},
    )
    assert response.status_code == 400 and "不在您可选择的范围内" in response.content.decode()


@pytest.mark.parametrize("persona", ["secadmin", "auditor", "carol", "sam"])
def test_only_the_system_administrator_keeps_robots(world, login, persona):
    assert login(getattr(world, persona)).get(reverse("notify:webhooks")).status_code == 404


def _hook(world, **kwargs):
    from mofan.notify import services as notify

    return notify.create_webhook(
        actor=world.sysadmin,
        **{
            "name": "办公厅群",
            "kind": "wecom",
            "url": "http://10.1.1.1/robot/send?key=secret-robot-key",
            "unit": world.unit_a,
        }
        | kwargs,
    )


def test_robot_changes_are_audited_without_the_robots_key(world, login):
    hook = _hook(world)
    client = login(world.sysadmin)
    response = client.post(
        reverse("notify:webhooks"),
        {
            "action": "edit",
            "hook": hook.pk,
            "name": "办公厅值班群",
            "kind": "dingtalk",
            "url": "http://10.1.1.2/robot/send?access_token=other-secret",
            "unit": world.unit_b.pk,
        },
    )
    assert response.status_code == 302
    hook.refresh_from_db()
    assert (hook.name, hook.kind, hook.unit) == ("办公厅值班群", "dingtalk", world.unit_b)
    client.post(reverse("notify:webhooks"), {"action": "delete", "hook": hook.pk})
    assert not Webhook.objects.exists()
    events = AuditEvent.objects.filter(action__startswith="notify.webhook.").order_by("pk")
    assert [e.action for e in events] == [
        "notify.webhook.created",
        "notify.webhook.updated",
        "notify.webhook.deleted",
    ]
    assert all(e.actor_id == world.sysadmin.pk for e in events)
    assert events[0].payload["url"] == "http://10.1.1.1/robot/send?…"
    assert events[1].changes == {
        "name": ["办公厅群", "办公厅值班群"],
        "kind": ["wecom", "dingtalk"],
        "url": ["http://10.1.1.1/robot/send?…", "http://10.1.1.2/robot/send?…"],
        "unit": ["UA", "UB"],
    }
    assert "secret" not in str(list(events.values("payload", "changes")))


def test_the_edit_form_shows_the_robot(world, login):
    hook = _hook(world)
    page = login(world.sysadmin).get(reverse("notify:webhooks"), {"edit": hook.pk})
    assert page.status_code == 200
    assert "编辑“办公厅群”" in page.content.decode() and (
        f'<option value="{world.unit_a.pk}" selected>办公厅</option>' in page.content.decode()
    )


def test_the_service_refuses_bad_robots_and_changes_nothing(world):
    from mofan.core.errors import InvalidInput
    from mofan.notify import services as notify

    hook = _hook(world)
    with pytest.raises(InvalidInput, match="http:// 或 https://"):
        notify.update_webhook(hook, actor=world.sysadmin, url="ftp://10.1.1.1/x")
    with pytest.raises(InvalidInput, match="类型无效"):
        _hook(world, kind="slack")
    with pytest.raises(InvalidInput, match="不能修改"):
        notify.update_webhook(hook, actor=world.sysadmin, id=99)
    hook.refresh_from_db()
    assert hook.url.startswith("http://10.1.1.1") and Webhook.objects.count() == 1
    assert not AuditEvent.objects.filter(action="notify.webhook.updated").exists()


def test_the_administrator_sees_deliveries_that_failed_for_good(world, login):
    from mofan.notify.models import DeliveryState, WebhookDelivery

    hook = _hook(world)
    WebhookDelivery.objects.create(
        webhook=hook, dedupe_key="k", text="t", state=DeliveryState.FAILED, error="timed out"
    )
    page = login(world.sysadmin).get(reverse("notify:webhooks")).content.decode()
    assert "邮件 0 封，群机器人消息 1 条" in page
