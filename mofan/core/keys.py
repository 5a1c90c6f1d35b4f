"""The keys in settings, checked against the database before anything reads or writes with them.

A wrong MOFAN_FIELD_KEY would let the application start, answer 500 on every page that decrypts,
and encrypt new rows under the wrong key; a wrong MOFAN_HASH_KEY would let duplicate ID numbers
through. So each key's check value is stored at first start and compared at every start (the WSGI
application, the Celery worker, and every management command through the system check, which
`check --deploy` runs too). The apps that own the keys register them here (the ground floor
imports no app): how to read the current and previous keys, how to tell whether data already in
the database agrees with a key (for the first start of an existing database), and how to move
data to a new key (`mofan rotate-keys`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection


@dataclass(frozen=True)
class KeySpec:
    env: str  # the environment variable, named in every message
    current: Callable[[], bytes]
    previous: Callable[[], list[bytes]]
    # Does data already in the database agree with this key? None when there is nothing to tell.
    witness: Callable[[bytes], bool | None]
    # Move every value to the current key, resumably; gets and saves its progress dict.
    rotate: Callable[[dict, Callable[[dict], None]], int] | None = None


_REGISTRY: dict[str, KeySpec] = {}


def register(spec: KeySpec) -> None:
    _REGISTRY[spec.env] = spec


def registered() -> list[KeySpec]:
    return list(_REGISTRY.values())


def check_value(env: str, key: bytes) -> str:
    mac = crypto_hmac.HMAC(key, hashes.SHA256())
    mac.update(f"mofan key check value: {env}".encode())
    return mac.finalize().hex()[:32]


def _table_ready() -> bool:
    from mofan.core.models import KeyCheck

    try:
        with connection.cursor() as cursor:
            return KeyCheck._meta.db_table in connection.introspection.table_names(cursor)
    except DatabaseError:
        return False  # no database yet: nothing to compare with


@dataclass
class KeyState:
    spec: KeySpec
    status: str  # "ok", "rotating", "new", "wrong", "contradicted"
    message: str = ""


def state(spec: KeySpec) -> KeyState:
    from mofan.core.models import KeyCheck

    stored = KeyCheck.objects.filter(name=spec.env).values_list("check_value", flat=True).first()
    current = spec.current()
    if stored is None:
        if spec.witness(current) is False:
            return KeyState(
                spec,
                "contradicted",
                f"环境变量 {spec.env} 与数据库中已有的数据不符（无法用该密钥核对已有数据）。"
                f"请设置原来使用的密钥。",
            )
        return KeyState(spec, "new")
    if stored == check_value(spec.env, current):
        return KeyState(spec, "ok")
    if any(stored == check_value(spec.env, old) for old in spec.previous()):
        return KeyState(
            spec, "rotating", f"{spec.env} 正在轮换：请运行 mofan rotate-keys 完成迁移。"
        )
    return KeyState(
        spec,
        "wrong",
        f"环境变量 {spec.env} 与本数据库首次启动时使用的密钥不符（密钥校验值不一致）。"
        f"请设置正确的密钥；如需更换密钥，请把旧密钥放入 {previous_env(spec.env)} "
        f"并运行 mofan rotate-keys。",
    )


def previous_env(env: str) -> str:
    return env.replace("_KEY", "_PREVIOUS_KEYS")


def store(spec: KeySpec) -> None:
    from mofan.core.models import KeyCheck

    KeyCheck.objects.update_or_create(
        name=spec.env,
        defaults={"check_value": check_value(spec.env, spec.current()), "progress": {}},
    )


def check_all(*, store_new: bool) -> list[str]:
    """Chinese messages for every key that must stop start-up; stores new keys' check values."""
    if not _table_ready():
        return []
    problems = []
    for spec in registered():
        found = state(spec)
        if found.status in ("wrong", "contradicted"):
            problems.append(found.message)
        elif found.status == "new" and store_new:
            store(spec)
    return problems


def verify_at_start() -> None:
    """Stop the process when a key does not belong to this database."""
    problems = check_all(store_new=True)
    if problems:
        raise ImproperlyConfigured("密钥校验失败：" + "；".join(problems))
