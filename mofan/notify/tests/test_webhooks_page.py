import pytest
from django.urls import reverse

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
            "unit_code": "UA",
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
        {"name": "x", "kind": "wecom", "url": "not a url", "unit_code": "NOPE"},
    )
    assert response.status_code == 400 and "单位编码不存在" in response.content.decode()


@pytest.mark.parametrize("persona", ["secadmin", "auditor", "carol", "sam"])
def test_only_the_system_administrator_keeps_robots(world, login, persona):
    assert login(getattr(world, persona)).get(reverse("notify:webhooks")).status_code == 404
