"""The admin roles' second factor as services: enrolment (started, a wrong code, confirmed) and
removal by the system administrator, each audited; the views only call them."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mofan.access import services
from mofan.audit.models import AuditEvent
from mofan.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def _code(device) -> str:
    device.refresh_from_db()
    device.throttle_reset()  # a failure throttles the next try for a second; tests do not wait
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _actions(user):
    return list(
        AuditEvent.objects.filter(action__startswith="access.otp.", object_id=str(user.pk))
        .order_by("pk")
        .values_list("action", "actor_name")
    )


def test_enrolment_is_started_once_then_confirmed_by_the_first_good_code(world):
    auditor = world.auditor
    device, enrolling = services.second_factor_device(auditor, actor=auditor)
    again, _ = services.second_factor_device(auditor, actor=auditor)
    assert enrolling and again == device and not device.confirmed
    assert services.verify_second_factor(auditor, actor=auditor, token="000000") is None
    assert services.verify_second_factor(auditor, actor=auditor, token=_code(device)) == device
    device.refresh_from_db()
    assert device.confirmed
    assert services.second_factor_device(auditor, actor=auditor) == (device, False)
    assert _actions(auditor) == [
        ("access.otp.enrolment_started", "auditor"),
        ("access.otp.failed", "auditor"),
        ("access.otp.enrolled", "auditor"),
    ]


def test_the_system_administrator_resets_a_lost_authenticator(world, login):
    device, _ = services.second_factor_device(world.auditor, actor=world.auditor)
    services.verify_second_factor(world.auditor, actor=world.auditor, token=_code(device))
    client = login(world.sysadmin)
    page = client.get(reverse("console:accounts"), {"q": "auditor"}).content.decode()
    assert "重置动态口令" in page
    response = client.post(
        reverse("console:accounts"), {"action": "reset_otp", "user": world.auditor.pk}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.auditor).exists()
    assert _actions(world.auditor)[-1] == ("access.otp.removed", "sysadmin")
    # At the next login the auditor enrols a new authenticator.
    client.force_login(world.auditor)
    assert "<svg" in client.get(reverse("access:otp")).content.decode()


def test_nobody_resets_their_own_second_factor_or_one_that_is_not_there(world):
    with pytest.raises(InvalidInput, match="不能重置自己的动态口令"):
        services.remove_second_factor(world.sysadmin, actor=world.sysadmin)
    with pytest.raises(InvalidInput, match="尚未绑定动态口令"):
        services.remove_second_factor(world.secadmin, actor=world.sysadmin)
    assert not AuditEvent.objects.filter(action="access.otp.removed").exists()


def test_the_reset_button_refuses_in_chinese_on_the_page(world, login):
    client = login(world.sysadmin)  # enrols a device for sysadmin
    response = client.post(
        reverse("console:accounts"), {"action": "reset_otp", "user": world.sysadmin.pk}, follow=True
    )
    assert "不能重置自己的动态口令" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.sysadmin).exists()
