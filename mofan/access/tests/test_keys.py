"""A wrong or lost key is caught before it can misread or miswrite data, and keys rotate while
the data stays readable (hardening issue, item 4)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from conftest import make_person
from mofan.access import crypto
from mofan.access import keys as access_keys
from mofan.core import keys
from mofan.core.errors import InvalidInput
from mofan.core.models import KeyCheck
from mofan.orgs import services as orgs
from mofan.orgs.models import Person

pytestmark = pytest.mark.django_db

OTHER_FIELD_KEY = bytes.fromhex("99" * 16)
OTHER_HASH_KEY = bytes.fromhex("77" * 32)


def _raw(person: Person, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM orgs_person WHERE id = %s", [person.pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_check_values_of_every_key_are_stored_when_the_database_is_created(settings):
    stored = dict(KeyCheck.objects.values_list("name", "check_value"))
    assert stored == {
        "MOFAN_FIELD_KEY": keys.check_value("MOFAN_FIELD_KEY", settings.FIELD_ENCRYPTION_KEY),
        "MOFAN_HASH_KEY": keys.check_value("MOFAN_HASH_KEY", settings.FIELD_HASH_KEY),
        "MOFAN_AUDIT_KEY": keys.check_value("MOFAN_AUDIT_KEY", settings.AUDIT_KEY),
    }
    # A check value is a MAC of a fixed text: it does not contain the key.
    assert settings.FIELD_ENCRYPTION_KEY.hex() not in str(stored)


@pytest.mark.parametrize(
    ("setting", "env", "value"),
    [
        ("FIELD_ENCRYPTION_KEY", "MOFAN_FIELD_KEY", OTHER_FIELD_KEY),
        ("FIELD_HASH_KEY", "MOFAN_HASH_KEY", OTHER_HASH_KEY),
        ("AUDIT_KEY", "MOFAN_AUDIT_KEY", OTHER_HASH_KEY),
    ],
)
def test_a_wrong_key_stops_start_up_naming_the_variable(settings, setting, env, value):
    setattr(settings, setting, value)
    with pytest.raises(ImproperlyConfigured) as caught:
        keys.verify_at_start()
    message = str(caught.value)
    assert env in message and "不符" in message
    assert [e.id for e in _system_check_errors()] == ["mofan.E001"]


def _system_check_errors():
    from mofan.core.checks import keys_belong_to_this_database

    return keys_belong_to_this_database()


def test_the_first_start_of_an_existing_database_with_a_wrong_key_is_refused(world, settings):
    # A database from before check values: the stored data is the witness.
    KeyCheck.objects.all().delete()
    settings.FIELD_ENCRYPTION_KEY = OTHER_FIELD_KEY
    with pytest.raises(ImproperlyConfigured, match="MOFAN_FIELD_KEY 与数据库中已有的数据不符"):
        keys.verify_at_start()
    assert not KeyCheck.objects.filter(name="MOFAN_FIELD_KEY").exists()


def test_a_wrong_hash_key_on_an_existing_database_is_refused(world, settings):
    KeyCheck.objects.all().delete()
    settings.FIELD_HASH_KEY = OTHER_HASH_KEY
    with pytest.raises(ImproperlyConfigured, match="MOFAN_HASH_KEY 与数据库中已有的数据不符"):
        keys.verify_at_start()


def test_the_first_start_of_an_existing_database_with_the_right_keys_stores_them(world):
    KeyCheck.objects.all().delete()
    keys.verify_at_start()
    assert KeyCheck.objects.count() == 3


def test_a_value_that_no_configured_key_opens_is_a_clear_error_not_a_crash(world, settings):
    settings.FIELD_ENCRYPTION_KEY = OTHER_FIELD_KEY
    with pytest.raises(crypto.WrongKeyError, match="MOFAN_FIELD_KEY"):
        Person.objects.get(pk=world.alice_p.pk)


def _start(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("MOFAN_", "DATABASE_URL"))
    }
    environment.update(MOFAN_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="mofan.settings", **env)
    return subprocess.run(
        [sys.executable, *args], env=environment, capture_output=True, text=True, check=False
    )


def test_a_process_started_with_a_wrong_key_stops_with_a_chinese_message(tmp_path):
    """The real start-up paths on the embedded profile: `check --deploy` and the WSGI app."""
    migrated = _start(tmp_path, "-m", "mofan", "migrate", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    (tmp_path / "field_key").write_text("99" * 16)  # someone restored the wrong key file
    checked = _start(tmp_path, "-m", "mofan", "check", "--deploy")
    assert checked.returncode != 0
    assert "MOFAN_FIELD_KEY" in checked.stderr and "不符" in checked.stderr
    wsgi = _start(tmp_path, "-c", "import mofan.wsgi")
    assert wsgi.returncode != 0
    assert "密钥校验失败" in wsgi.stderr and "MOFAN_FIELD_KEY" in wsgi.stderr


def test_field_key_rotation_keeps_data_readable_and_moves_every_value(world, settings, capsys):
    before = {p.pk: p.id_number for p in Person.objects.all()}
    old = settings.FIELD_ENCRYPTION_KEY
    settings.FIELD_ENCRYPTION_KEY = OTHER_FIELD_KEY
    settings.FIELD_PREVIOUS_KEYS = [old]
    assert keys.state(keys._REGISTRY["MOFAN_FIELD_KEY"]).status == "rotating"
    keys.verify_at_start()  # a rotation in progress may start
    # Readable and writable during the rotation: new values go under the new key.
    assert {p.pk: p.id_number for p in Person.objects.all()} == before
    newcomer = make_person("钱十", world.unit_a)
    assert _raw(newcomer, "id_number").startswith(crypto.current_prefix())

    call_command("rotate_keys")
    assert "MOFAN_FIELD_KEY：已迁移" in capsys.readouterr().out
    prefix = crypto.current_prefix()
    assert all(_raw(p, "id_number").startswith(prefix) for p in Person.objects.all())
    assert all(_raw(p, "phone").startswith(prefix) for p in Person.objects.exclude(phone_hash=""))
    settings.FIELD_PREVIOUS_KEYS = []
    assert {p.pk: p.id_number for p in Person.objects.exclude(pk=newcomer.pk)} == before
    assert keys.state(keys._REGISTRY["MOFAN_FIELD_KEY"]).status == "ok"


def test_an_interrupted_rotation_goes_on_from_where_it_stopped(world, settings, monkeypatch):
    old = settings.FIELD_HASH_KEY
    settings.FIELD_HASH_KEY = OTHER_HASH_KEY
    settings.HASH_PREVIOUS_KEYS = [old]
    monkeypatch.setattr(access_keys, "BATCH", 3)
    calls = []

    def interrupt(progress):
        calls.append(progress)
        raise KeyboardInterrupt

    spec = keys._REGISTRY["MOFAN_HASH_KEY"]
    with pytest.raises(KeyboardInterrupt):
        spec.rotate({}, interrupt)
    assert calls == [{"orgs.person": sorted(Person.objects.values_list("pk", flat=True))[2]}]
    KeyCheck.objects.filter(name="MOFAN_HASH_KEY").update(progress=calls[0])

    call_command("rotate_keys")
    settings.HASH_PREVIOUS_KEYS = []
    for person in Person.objects.all():
        assert person.id_number_hash == crypto.keyed_hash(person.id_number)


def test_duplicate_id_numbers_are_caught_while_the_hash_key_rotates(world, settings):
    old = settings.FIELD_HASH_KEY
    settings.FIELD_HASH_KEY = OTHER_HASH_KEY
    settings.HASH_PREVIOUS_KEYS = [old]
    alice = Person.objects.get(pk=world.alice_p.pk)
    with pytest.raises(InvalidInput, match="已登记"):
        orgs.create_person(
            actor=None,
            name="冒名",
            gender=alice.gender,
            ethnicity="汉族",
            birth_date=alice.birth_date,
            id_number=alice.id_number,
            phone="",
            education="bachelor",
            unit=world.unit_a,
            job_title="",
            rank="",
        )
