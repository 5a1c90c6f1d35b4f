"""The notice inbox: opening one marks it read; someone else's notice or a malformed id changes
nothing and is never a 500 (found by the cross-organisation probe)."""

import pytest
from django.urls import reverse

from mofan.notify import services as notify
from mofan.notify.models import Notification

pytestmark = pytest.mark.django_db


def test_a_malformed_or_foreign_id_marks_nothing(world, login):
    notify.create(
        [
            notify.Notice(world.amy.pk, "meeting", "开会通知", "", "", "inbox-1"),
            notify.Notice(world.bob.pk, "meeting", "别人的通知", "", "", "inbox-2"),
        ]
    )
    client = login(world.amy)
    foreign = Notification.objects.get(user=world.bob)
    for key in ("abc", "", "1.5", str(foreign.pk)):
        response = client.post(reverse("notify:inbox"), {"id": key})
        assert response.status_code == 302
    assert not Notification.objects.filter(read_at__isnull=False).exists()
    mine = Notification.objects.get(user=world.amy)
    client.post(reverse("notify:inbox"), {"id": str(mine.pk)})
    mine.refresh_from_db()
    assert mine.read_at is not None
