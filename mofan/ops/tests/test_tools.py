"""Which pg_dump / pg_restore: of the server's major version or newer, said plainly otherwise."""

import stat

import pytest

from mofan.ops import databases
from mofan.ops.errors import OpsError


def _fake_tool(folder, name: str, version: str):
    folder.mkdir(parents=True, exist_ok=True)
    tool = folder / name
    tool.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version} (Debian)'\n")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    return tool


@pytest.fixture
def tools(tmp_path, monkeypatch):
    """A PATH with only our fake tools, and Debian's versioned folders under tmp_path."""
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    versioned = tmp_path / "lib"
    monkeypatch.setattr(
        databases.glob,
        "glob",
        lambda pattern: sorted(
            str(p) for p in versioned.glob(f"*/bin/{pattern.rsplit('/', 1)[1]}")
        ),
    )
    return tmp_path


def test_an_older_pg_dump_than_the_server_is_refused_in_chinese(tools):
    _fake_tool(tools / "bin", "pg_dump", "14.9")
    with pytest.raises(OpsError) as refused:
        databases.pg_tool("pg_dump", at_least=15, prefer=15)
    assert refused.value.message == (
        "pg_dump 的版本（14）低于数据库服务器的版本（15），pg_dump 不能处理更新版本的服务器。"
        "请安装 postgresql-client-15（或更新版本）后重试。"
    )


def test_the_servers_own_version_is_preferred_among_several(tools):
    _fake_tool(tools / "bin", "pg_dump", "17.2")
    own = _fake_tool(tools / "lib" / "15" / "bin", "pg_dump", "15.20")
    _fake_tool(tools / "lib" / "16" / "bin", "pg_dump", "16.6")
    assert databases.pg_tool("pg_dump", at_least=15, prefer=15) == (str(own), 15)
    assert databases.pg_tool("pg_dump", at_least=16, prefer=16)[1] == 16


def test_a_newer_pg_dump_serves_an_older_server(tools):
    newer = _fake_tool(tools / "bin", "pg_dump", "16.6")
    assert databases.pg_tool("pg_dump", at_least=15, prefer=15) == (str(newer), 16)


def test_pg_restore_older_than_the_archives_pg_dump_is_refused(tools):
    _fake_tool(tools / "bin", "pg_restore", "15.20")
    with pytest.raises(
        OpsError, match="pg_restore 的版本（15）低于制作该备份的 pg_dump 的版本（16）"
    ):
        databases.pg_tool("pg_restore", at_least=16, prefer=15)


def test_no_postgresql_client_at_all_is_named(tools):
    with pytest.raises(OpsError, match="未找到 pg_dump：请安装 PostgreSQL 客户端"):
        databases.pg_tool("pg_dump", at_least=15)
