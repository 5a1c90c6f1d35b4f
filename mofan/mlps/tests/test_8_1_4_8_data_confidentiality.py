"""GB/T 22239-2019 8.1.4.8 数据保密性 (data confidentiality), level 3.

a) in transit: HTTPS with secure cookies; b) in storage: personal numbers SM4-encrypted, passwords
hashed, keys outside the database (only check values in it), backups encrypted."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from mofan.core.models import KeyCheck
from mofan.mlps.tests.support import production_settings
from mofan.ops.tests.test_backup_restore import _backup, source, target  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_8_1_4_8_a_cookies_travel_only_over_https_in_production():
    values = production_settings(MOFAN_HTTPS="1")
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]


def test_8_1_4_8_b_id_and_phone_numbers_are_stored_sm4_encrypted(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM orgs_person WHERE id = %s", [world.alice_p.pk])
        stored_id, stored_phone = cursor.fetchone()
    assert stored_id.startswith("sm4gcm2:") and world.alice_p.id_number not in stored_id
    assert stored_phone.startswith("sm4gcm2:") and "13900000001" not in stored_phone


def test_8_1_4_8_b_no_key_is_stored_in_the_database(world):
    keys = [settings.FIELD_ENCRYPTION_KEY, settings.FIELD_HASH_KEY, settings.AUDIT_KEY]
    check_values = list(KeyCheck.objects.values_list("check_value", flat=True))
    assert len(check_values) == 3
    for key in keys:
        assert key.hex() not in " ".join(check_values)
    # Nothing in any text column holds a key either.
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.get_internal_type() in ("CharField", "TextField"):
                for key in keys:
                    assert not model._base_manager.filter(
                        **{f"{field.attname}__contains": key.hex()}
                    ).exists(), f"{model._meta.label}.{field.name}"


@pytest.mark.django_db(transaction=True)
def test_8_1_4_8_b_backups_are_encrypted(source, tmp_path):  # noqa: F811
    archive = _backup(tmp_path)
    data = archive.read_bytes()
    assert b"%PDF-1.4 plan" not in data and "备份测试台账".encode() not in data
    assert source.alice_p.name.encode() not in data
