"""Strict reading of settings from the environment: a bad value stops start-up with a clear message."""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    """The value of NAME, or the contents of the file named by NAME_FILE (for secrets)."""
    value = os.environ.get(name)
    file_name = os.environ.get(f"{name}_FILE")
    if value is not None and file_name:
        raise ImproperlyConfigured(f"环境变量 {name} 与 {name}_FILE 不能同时设置。")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"无法读取 {name}_FILE 指向的文件 {file_name}：{exc}"
            ) from exc
    return value


def env_str(name: str, default: str | None = None) -> str | None:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"环境变量 {name}={value!r} 不是布尔值，请使用 1/0、true/false、yes/no 或 on/off。"
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"环境变量 {name}={value!r} 不是整数。") from exc
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"环境变量 {name}={number} 小于允许的最小值 {minimum}。")
    return number


def env_choice(name: str, default: str, choices: tuple[str, ...], *, upper: bool = False) -> str:
    """One of a fixed set of words (compared in upper case when `upper`)."""
    value = _raw(name)
    if value is None:
        return default
    word = value.strip().upper() if upper else value.strip()
    if word not in choices:
        raise ImproperlyConfigured(
            f"环境变量 {name}={value!r} 无效，可选值为：{'、'.join(choices)}。"
        )
    return word


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"环境变量 {name} 已设置但为空。")
    return items


def env_hex_key(name: str, *, nbytes: int, fallback_file: Path | None) -> bytes:
    """A binary key given as hex; on the embedded default it is generated once under var/."""
    value = _raw(name)
    if value is None:
        if fallback_file is None:
            raise ImproperlyConfigured(
                f"生产环境必须设置环境变量 {name}（{nbytes * 2} 位十六进制）。"
            )
        value = _generated(fallback_file, secrets.token_hex(nbytes))
    try:
        key = bytes.fromhex(value.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"环境变量 {name} 必须是十六进制字符串。") from exc
    if len(key) != nbytes:
        raise ImproperlyConfigured(
            f"环境变量 {name} 必须是 {nbytes * 2} 位十六进制（{nbytes} 字节）。"
        )
    return key


def env_hex_keys(name: str, *, nbytes: int) -> list[bytes]:
    """Zero or more keys, comma-separated hex (previous keys kept to check older data)."""
    value = _raw(name)
    if value is None or not value.strip():
        return []
    keys = []
    for number, part in enumerate(value.split(","), start=1):
        try:
            key = bytes.fromhex(part.strip())
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"环境变量 {name} 的第 {number} 个密钥不是十六进制字符串。"
            ) from exc
        if len(key) != nbytes:
            raise ImproperlyConfigured(
                f"环境变量 {name} 的第 {number} 个密钥必须是 {nbytes * 2} 位十六进制。"
            )
        keys.append(key)
    return keys


def env_syslog_address(name: str) -> str | None:
    """A syslog destination: a socket path (/dev/log) or host:port (UDP)."""
    value = _raw(name)
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.startswith("/"):
        return value
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdecimal() or not 0 < int(port) < 65536:
        raise ImproperlyConfigured(
            f"环境变量 {name}={value!r} 应为套接字路径（如 /dev/log）或 主机:端口（如 10.0.0.5:514）。"
        )
    return value


def env_networks(name: str) -> list:
    """IP networks, comma-separated (10.1.0.0/16,192.168.8.5); empty means no restriction."""
    import ipaddress

    value = _raw(name)
    if value is None or not value.strip():
        return []
    networks = []
    for part in value.split(","):
        try:
            networks.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"环境变量 {name} 中的“{part.strip()}”不是有效的地址或网段（如 10.1.0.0/16）。"
            ) from exc
    return networks


def env_secret(name: str, *, fallback_file: Path | None) -> str:
    value = _raw(name)
    if value:
        return value
    if fallback_file is None:
        raise ImproperlyConfigured(f"生产环境必须设置环境变量 {name}（或 {name}_FILE）。")
    return _generated(fallback_file, secrets.token_urlsafe(50))


def _generated(path: Path, new_value: str) -> str:
    """Read a value generated on an earlier start, or write a new one readable only by us."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(new_value)
    return new_value
