"""The field key and the hash key of personal data, registered with the key check
(`mofan.core.keys`): witnesses that tell whether data already stored agrees with a key, and the
resumable rotation of every encrypted value and every keyed hash to the current keys."""

from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from mofan.access import crypto
from mofan.core import keys

SAMPLE = 5
BATCH = 1000


def _encrypted_columns() -> list[tuple[type, str]]:
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, crypto.EncryptedCharField)
    ]


def _raw_values(model, field_name: str, limit: int) -> list[str]:
    column = connection.ops.quote_name(model._meta.get_field(field_name).column)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE {column} <> '' ORDER BY 1 LIMIT %s",  # noqa: S608 (names from the model)  # nosec B608
            [limit],
        )
        return [row[0] for row in cursor.fetchall()]


def field_key_witness(key: bytes) -> bool | None:
    """True if stored ciphertext opens under `key`, False if none does, None if there is none."""
    tried = False
    for model, field_name in _encrypted_columns():
        for token in _raw_values(model, field_name, SAMPLE):
            tried = True
            try:
                kid, raw = crypto.split(token)
                if kid is not None and kid != crypto.key_id(key):
                    continue
                crypto.decrypt_with(key, raw)
                return True
            except Exception:  # noqa: S112 (a value this key does not open: try the next)  # nosec B112
                continue
    return False if tried else None


def _hashed_models():
    # Models declare which keyed-hash column belongs to which encrypted field.
    return [m for m in apps.get_models() if getattr(m, "KEYED_HASHES", None)]


def hash_key_witness(key: bytes) -> bool | None:
    tried = False
    for model in _hashed_models():
        for source, target in model.KEYED_HASHES.items():
            try:
                rows = list(model.objects.exclude(**{target: ""}).order_by("pk")[:SAMPLE])
            except crypto.WrongKeyError:
                return None  # the field key is wrong: its own check says so
            for row in rows:
                tried = True
                if crypto.keyed_hash_with(key, getattr(row, source)) == getattr(row, target):
                    return True
    return False if tried else None


def rotate_field_values(progress: dict, save: Callable[[dict], None]) -> int:
    """Re-encrypt every value not yet under the current field key, a batch per transaction.
    Resumable by construction: a value says which key made it."""
    prefix = crypto.current_prefix()
    moved = 0
    for model, field_name in _encrypted_columns():
        # Compared as stored text: a lookup on the field itself would encrypt the prefix.
        stored = model.objects.annotate(_raw=Cast(field_name, output_field=TextField()))
        while True:
            with transaction.atomic():
                pks = list(
                    stored.exclude(_raw="")
                    .exclude(_raw__startswith=prefix)
                    .order_by("pk")
                    .values_list("pk", flat=True)[:BATCH]
                )
                if not pks:
                    break
                for row in model.objects.select_for_update().filter(pk__in=pks):
                    # Reading decrypts with whichever key made the value; saving re-encrypts.
                    model.objects.filter(pk=row.pk).update(**{field_name: getattr(row, field_name)})
                moved += len(pks)
            save({"field_values_moved": progress.get("field_values_moved", 0) + moved})
    return moved


def rotate_hashes(progress: dict, save: Callable[[dict], None]) -> int:
    """Recompute every keyed hash under the current hash key, in primary-key order; the last key
    done is saved after each batch so an interrupted run goes on from there."""
    moved = 0
    for model in _hashed_models():
        label = model._meta.label_lower
        last = progress.get(label, 0)
        while True:
            with transaction.atomic():
                rows = list(
                    model.objects.select_for_update().filter(pk__gt=last).order_by("pk")[:BATCH]
                )
                if not rows:
                    break
                for row in rows:
                    changes = {
                        target: crypto.keyed_hash(getattr(row, source))
                        if getattr(row, source)
                        else ""
                        for source, target in model.KEYED_HASHES.items()
                    }
                    model.objects.filter(pk=row.pk).update(**changes)
                last = rows[-1].pk
                moved += len(rows)
            progress = {**progress, label: last}
            save(progress)
    return moved


def register() -> None:
    keys.register(
        keys.KeySpec(
            env="MOFAN_FIELD_KEY",
            current=lambda: settings.FIELD_ENCRYPTION_KEY,
            previous=lambda: list(settings.FIELD_PREVIOUS_KEYS),
            witness=field_key_witness,
            rotate=rotate_field_values,
        )
    )
    keys.register(
        keys.KeySpec(
            env="MOFAN_HASH_KEY",
            current=lambda: settings.FIELD_HASH_KEY,
            previous=lambda: list(settings.HASH_PREVIOUS_KEYS),
            witness=hash_key_witness,
            rotate=rotate_hashes,
        )
    )
