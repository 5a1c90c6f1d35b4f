"""GB/T 22239-2019 8.1.4.10 剩余信息保护 (residual information), level 3.

a) the space holding authentication data cleared before it is released or reused; b) the same
for the space holding sensitive data."""

import os
import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from time_machine import travel

from conftest import PASSWORD
from mofan.access import services as access
from mofan.housekeeping import cleanup

pytestmark = pytest.mark.django_db


def test_8_1_4_10_a_signing_out_deletes_the_session_from_the_store(world, client):
    client.post(reverse("access:login"), {"username": "alice", "password": PASSWORD})
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("access:logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_8_1_4_10_a_a_typed_password_is_never_sent_back(world, client):
    answer = client.post(
        reverse("access:login"), {"username": "alice", "password": "Wrong@Typed26"}
    )
    assert answer.status_code == 200 and "Wrong@Typed26" not in answer.content.decode()
    client.force_login(world.alice)
    refused = client.post(
        reverse("access:password_change"),
        {"old_password": PASSWORD, "new_password1": "Short1!", "new_password2": "Short1!"},
    )
    assert refused.status_code == 200 and "Short1!" not in refused.content.decode()


def test_8_1_4_10_a_an_api_token_is_shown_once_and_kept_only_by_its_owner(world, login):
    client = login(world.alice)
    issued = client.post(reverse("access:api_token")).content.decode()
    key = access.current_token(world.alice).key
    assert key in issued
    assert key not in client.get(reverse("access:api_token")).content.decode()


def test_8_1_4_10_b_import_files_and_error_workbooks_are_deleted_after_a_day(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    folder = tmp_path / "imports" / "7"
    folder.mkdir(parents=True)
    with travel("2026-11-02 10:00:00+08:00", tick=False):
        workbook = folder / "errors-abc.xlsx"
        workbook.write_bytes(b"110105199001011234")
        os.utime(workbook, (time.time(), time.time()))  # written by the travelled clock
    with travel("2026-11-03 11:00:00+08:00", tick=False):
        cleanup.run()
    assert not workbook.exists()


def test_8_1_4_10_b_pages_with_personal_data_are_never_cached(world, login):
    answer = login(world.carol).get(
        reverse("orgs:person_detail", args=[world.amy_p.pk]), {"reveal": "1"}
    )
    assert world.amy_p.id_number in answer.content.decode()
    assert "no-store" in answer["Cache-Control"]
    assert "private" in answer["Cache-Control"]
