"""Restore drill: seed → `mofan backup` → `mofan restore` into a NEW PostgreSQL database →
`mofan audit verify` → the same pages and API answers, byte for byte, and the same files.

    python bench/restore_drill.py                         # CI: small demo data, fresh databases
    python bench/restore_drill.py --source-url postgres://…/hb --restore-url postgres://…/hb_restore
    python bench/restore_drill.py --scale large --reuse-source --source-url …/hb_large \\
        --restore-url …/hb_large_restore                  # the large data set, seeded beforehand

Everything runs through the `mofan` command as an operator would run it, each side with its own
MOFAN_VAR_DIR (so its own MEDIA_ROOT) and the same keys. Pages are fetched in a child process per
database with Django's test client, logged in through the login page as several demo users; the
source's pages are fetched right after the backup, so both sides start from the same state and
make the same writes (logins). CSRF tokens, nonces and the time kept figures were counted are
normalised; nothing else is. Exits 1 on any difference, naming it.
"""

import argparse
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
USERS = ["shuji_a", "dangyuan_a", "dangjian", "duban", "lingdao", "jijian"]
PASSWORD = "Mofan@2026!"
# Per-request values: the CSRF token (form field, meta tag, htmx header) and script nonces.
NORMALISE = [
    (re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+'), rb"\1CSRF"),
    (re.compile(rb'(name="csrf-token" content=")[^"]+'), rb"\1CSRF"),
    (re.compile(rb'("X-CSRFToken"\s*:\s*")[^"]+'), rb"\1CSRF"),
    (re.compile(rb'(nonce=")[^"]+'), rb"\1NONCE"),
    # When kept figures were counted (数据统计于…): with no worker, a read within two minutes of
    # a change counts again (ledger/board.py, COMMIT_MARGIN) and stamps its own time.
    (
        re.compile(rb'(data-testid="[a-z-]*as-of">' + "数据统计于".encode() + rb")[^<\xef]+"),
        rb"\1TIME",
    ),
]


_STARTED = time.monotonic()


def say(message: str) -> None:
    if message.startswith("=="):
        message = f"{message}（{time.monotonic() - _STARTED:.0f} s）"
    print(message, flush=True)


def run(args: list[str], env: dict, *, capture: bool = False) -> str:
    """A `mofan` (or drill) child process; its output goes through, or is returned."""
    result = subprocess.run(args, env=env, cwd=ROOT, text=True, capture_output=capture)
    if result.returncode != 0:
        if capture:
            sys.stdout.write(result.stdout + result.stderr)
        raise SystemExit(f"演练失败：{' '.join(args[1:4])} 退出码 {result.returncode}")
    return result.stdout if capture else ""


def mofan(*args: str) -> list[str]:
    return [sys.executable, "-m", "mofan", *args]


def recreate(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_size(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]


def media_checksums(root: Path) -> dict[str, str]:
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            found[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def size_text(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


# --- child steps (run with one side's environment) -------------------------------------------


def _setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mofan.settings")
    import django

    django.setup()
    from django.conf import settings

    # Pages render {% static %} from the finders, as the test suite does: no collectstatic needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def prepare() -> None:
    """Files under MEDIA_ROOT of every kind the views serve: a meeting photo (with its thumbnail)
    and a meeting file, and a document kept with a ledger source (beside the demo's evidence)."""
    import io

    _setup_django()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from mofan.access.models import User
    from mofan.ledger import services as ledger
    from mofan.ledger.models import Source
    from mofan.meetings import services as meetings
    from mofan.meetings.models import Meeting
    from mofan.orgs.models import PartyOrg

    secretary = User.objects.get(username="shuji_a")
    branch = PartyOrg.objects.get(code="DEMO-B00")
    meeting = (
        Meeting.objects.filter(org=branch).exclude(state="cancelled").order_by("-starts_at").first()
    )
    picture = io.BytesIO()
    Image.new("RGB", (1200, 800), (180, 40, 40)).save(picture, "JPEG", quality=90)
    meetings.attach_file(
        meeting, actor=secretary, upload=SimpleUploadedFile("会场照片.jpg", picture.getvalue())
    )
    meetings.attach_file(
        meeting,
        actor=secretary,
        upload=SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 drill " + os.urandom(2048)),
    )
    supervisor = User.objects.get(username="duban")
    source = Source.objects.filter(ledger__supervisors=supervisor).order_by("pk").first()
    ledger.attach_to_source(
        source,
        actor=supervisor,
        upload=SimpleUploadedFile("批示件.pdf", b"%PDF-1.4 directive " + os.urandom(4096)),
    )
    print(f"已添加附件：会议 {meeting.pk} 的照片和文件，来源 {source.pk} 的原件。")


def _urls() -> list[str]:
    """The pages and API answers compared: lists, and the first object of each kind, found in the
    data itself (the same primary keys on both sides)."""
    from django.urls import reverse

    from mofan.ledger.models import Attachment, Decomposition, Item, Ledger, Source
    from mofan.meetings.models import Meeting, MeetingFile
    from mofan.orgs.models import PartyOrg, Person, Unit

    urls = [
        "/",
        "/orgs/tree/",
        "/orgs/units/",
        "/orgs/roster/",
        "/orgs/people/",
        "/ledger/",
        "/ledger/mine/",
        "/ledger/items/",
        "/meetings/",
        "/meetings/hours/",
        "/meetings/calendar/",
        "/meetings/compliance/",
        "/meetings/rules/",
        "/notifications/",
        "/api/party-orgs/",
        "/api/units/",
        "/api/people/",
        "/api/memberships/",
        "/api/ledgers/",
        "/api/ledger-items/",
        "/api/meetings/",
    ]
    branch = (
        PartyOrg.objects.filter(code="DEMO-B00").first() or PartyOrg.objects.order_by("pk").first()
    )
    urls += [
        reverse("orgs:org_detail", args=[branch.pk]),
        reverse("meetings:org", args=[branch.pk]),
    ]
    unit = Unit.objects.order_by("pk").first()
    urls.append(reverse("orgs:unit_detail", args=[unit.pk]))
    person = Person.objects.order_by("pk").first()
    urls += [reverse("orgs:person_detail", args=[person.pk]), f"/api/people/{person.pk}/"]
    ledger = Ledger.objects.order_by("pk").first()
    urls += [reverse("ledger:detail", args=[ledger.pk]), f"/api/ledgers/{ledger.pk}/"]
    for attachment in Attachment.objects.order_by("pk")[:4]:
        urls.append(reverse("ledger:attachment", args=[attachment.pk]))
        if attachment.item_id:
            urls += [
                reverse("ledger:item", args=[attachment.item_id]),
                f"/api/ledger-items/{attachment.item_id}/",
                f"/api/ledger-items/{attachment.item_id}/attachments/",
            ]
    item = Item.objects.order_by("pk").first()
    urls.append(reverse("ledger:item", args=[item.pk]))
    source = Source.objects.filter(attachments__isnull=False).order_by("pk").first()
    if source:
        urls.append(reverse("ledger:source", args=[source.pk]))
    decomposition = Decomposition.objects.order_by("pk").first()
    if decomposition:
        urls.append(reverse("ledger:decomposition", args=[decomposition.pk]))
    for stored in MeetingFile.objects.order_by("pk")[:4]:
        urls.append(reverse("meetings:meeting", args=[stored.meeting_id]))
        urls.append(f"/api/meetings/{stored.meeting_id}/")
        for variant in ("view", "thumb", "download"):
            urls.append(reverse("meetings:file", args=[stored.meeting_id, stored.pk, variant]))
    meeting = Meeting.objects.filter(org=branch).order_by("pk").first()
    if meeting:
        urls += [reverse("meetings:meeting", args=[meeting.pk]), f"/api/meetings/{meeting.pk}/"]
    return list(dict.fromkeys(urls))


def pages(out: str, users: list[str], force_login: bool) -> None:
    """Every URL as every user: status, content type and the normalised body."""
    _setup_django()
    import logging

    from django.test import Client

    logging.getLogger("django.request").setLevel(logging.ERROR)  # 404s out of scope are expected

    from mofan.access.models import User

    urls = _urls()
    answers = {}
    for username in users:
        client = Client()
        if force_login:  # the large data set's accounts have no usable password
            client.force_login(User.objects.get(username=username))
        else:
            login = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
            if login.status_code != 302:
                raise SystemExit(f"{username} 无法登录（{login.status_code}）")
        for url in urls:
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            for pattern, replacement in NORMALISE:
                body = pattern.sub(replacement, body)
            answers[f"{username} {url}"] = {
                "status": response.status_code,
                "type": response.get("Content-Type", ""),
                "sha256": hashlib.sha256(body).hexdigest(),
                "body": body.decode("utf-8", "replace")
                if response.get("Content-Type", "").startswith(("text/", "application/json"))
                else f"<{len(body)} bytes>",
            }
    Path(out).write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    print(f"已取得 {len(answers)} 个页面和接口应答（{len(users)} 个用户 × {len(urls)} 个地址）。")


# --- the drill --------------------------------------------------------------------------------


def _differences(before: dict, after: dict) -> list[str]:
    import difflib

    found = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if a is None or b is None:
            found.append(f"{key}：只在{'恢复后' if a is None else '原库'}出现")
        elif (a["status"], a["type"], a["sha256"]) != (b["status"], b["type"], b["sha256"]):
            diff = "\n".join(
                list(
                    difflib.unified_diff(
                        a["body"].splitlines(), b["body"].splitlines(), "原库", "恢复后", n=1,
                        lineterm="",
                    )
                )[:20]
            )  # fmt: skip
            found.append(f"{key}：{a['status']} → {b['status']}\n{diff}")
    return found


def drill(args) -> int:
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="mofan-drill-"))
    source_var, restore_var = work / "source", work / "restored"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL"))}
    base.update(
        SECRET_KEY=os.environ.get("DRILL_SECRET_KEY", "drill-" + secrets.token_urlsafe(48)),
        MOFAN_FIELD_KEY=os.environ.get("DRILL_FIELD_KEY", secrets.token_hex(16)),
        MOFAN_HASH_KEY=os.environ.get("DRILL_HASH_KEY", secrets.token_hex(32)),
        MOFAN_AUDIT_KEY=os.environ.get("DRILL_AUDIT_KEY", secrets.token_hex(32)),
        MOFAN_BACKUP_KEY=secrets.token_hex(32),
        ALLOWED_HOSTS="testserver,127.0.0.1",
        MOFAN_DEBUG="0",
        MOFAN_HTTPS="0",
        DJANGO_SETTINGS_MODULE="mofan.settings",
    )
    source = {**base, "DATABASE_URL": args.source_url, "MOFAN_VAR_DIR": str(source_var)}
    restored = {**base, "DATABASE_URL": args.restore_url, "MOFAN_VAR_DIR": str(restore_var)}
    me = [sys.executable, str(Path(__file__).resolve())]
    who = ["--users", args.users] + (["--force-login"] if args.force_login else [])
    figures = {}

    if args.reuse_source:
        say(f"== 使用已有的源数据库 {args.source_url}")
        if args.media_from:
            shutil.copytree(args.media_from, source_var / "media")
    else:
        say(f"== 新建源数据库并生成演示数据（{args.scale}）：{args.source_url}")
        recreate(args.source_url)
        run(mofan("migrate", "--noinput", "-v0"), source)
        run(mofan("seed-demo", "--scale", args.scale, "--quiet"), source)
        run(me + ["prepare"], source)
    figures["database_bytes"] = database_size(args.source_url)

    say("== 备份（mofan backup）")
    clock = time.monotonic()
    run(mofan("backup", "--output", str(work / "backups")), source)
    figures["backup_seconds"] = time.monotonic() - clock
    (archive,) = (work / "backups").glob("*.mfbk")
    figures["archive_bytes"] = archive.stat().st_size

    say("== 原库的页面和接口（备份之后）")
    run(me + ["pages", str(work / "source.json"), *who], source)

    say(f"== 恢复到新数据库（mofan restore）：{args.restore_url}")
    recreate(args.restore_url)
    clock = time.monotonic()
    run(
        mofan(
            "restore", str(archive), "--database-url", args.restore_url,
            "--media-root", str(restore_var / "media"),
        ),
        source,
    )  # fmt: skip
    figures["restore_seconds"] = time.monotonic() - clock

    say("== 恢复后的库：mofan audit verify")
    clock = time.monotonic()
    run(mofan("audit", "verify"), restored)
    figures["verify_seconds"] = time.monotonic() - clock

    say("== 恢复后的页面和接口")
    run(me + ["pages", str(work / "restored.json"), *who], restored)

    failures = _differences(
        json.loads((work / "source.json").read_text(encoding="utf-8")),
        json.loads((work / "restored.json").read_text(encoding="utf-8")),
    )
    original_media = media_checksums(source_var / "media")
    restored_media = media_checksums(restore_var / "media")
    if original_media != restored_media:
        for name in sorted(set(original_media) | set(restored_media)):
            if original_media.get(name) != restored_media.get(name):
                failures.append(
                    f"附件 {name}：{original_media.get(name)} → {restored_media.get(name)}"
                )
    compared = len(json.loads((work / "source.json").read_text(encoding="utf-8")))
    figures["total_seconds"] = time.monotonic() - started
    say(
        f"\n数据库 {size_text(figures['database_bytes'])}；归档 {size_text(figures['archive_bytes'])}；"
        f"备份 {figures['backup_seconds']:.1f} s；恢复（含校验与 audit verify）"
        f"{figures['restore_seconds']:.1f} s；再次 audit verify {figures['verify_seconds']:.1f} s；"
        f"全程 {figures['total_seconds']:.1f} s。"
    )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
        drop(args.restore_url)
        if not args.reuse_source:
            drop(args.source_url)
    if failures:
        say(f"演练失败：{len(failures)} 处不同：")
        for failure in failures[:30]:
            say(f"- {failure}")
        return 1
    if not original_media and not args.reuse_source:
        say("演练失败：源库没有附件，无法比对附件。")
        return 1
    say(
        f"演练通过：{compared} 个页面和接口应答逐字节一致（CSRF 令牌、nonce 与统计时间已归一），"
        f"{len(original_media)} 个附件的 SHA-256 一致。"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="step")
    sub.add_parser("prepare")
    pages_parser = sub.add_parser("pages")
    pages_parser.add_argument("out")
    pages_parser.add_argument("--users", default=",".join(USERS))
    pages_parser.add_argument("--force-login", action="store_true")
    parser.add_argument("--source-url", default=f"{PG}/mofan_drill")
    parser.add_argument("--restore-url", default=f"{PG}/mofan_restore")
    parser.add_argument("--scale", choices=["small", "large"], default="small")
    parser.add_argument(
        "--reuse-source", action="store_true", help="the source database is already seeded"
    )
    parser.add_argument("--media-from", type=Path, help="with --reuse-source: its MEDIA_ROOT")
    parser.add_argument("--keep", action="store_true", help="keep the work folder and databases")
    parser.add_argument("--users", default=",".join(USERS), help="comma-separated usernames")
    parser.add_argument(
        "--force-login", action="store_true", help="log in without a password (large data set)"
    )
    args = parser.parse_args()
    if args.step == "prepare":
        prepare()
        return 0
    if args.step == "pages":
        pages(args.out, args.users.split(","), args.force_login)
        return 0
    return drill(args)


if __name__ == "__main__":
    sys.exit(main())
