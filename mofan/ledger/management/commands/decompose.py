"""`mofan decompose FILE [--date YYYY-MM-DD] [--units UNITS.txt] --format json|text`: a document's
outline and items, as the review screen and the API see them."""

import json
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand

from mofan import docparse
from mofan.docparse.report import as_text


class Command(BaseCommand):
    help = "分解文件：输出提纲和可落实的条目（JSON 或文本）"
    requires_system_checks: list = []  # reads a file, touches no database

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="文件路径（.docx .pdf .txt .html .ofd .doc .wps），- 表示标准输入"
        )
        parser.add_argument("--date", help="文件日期 YYYY-MM-DD，用于换算“年内”“5年内”等时限")
        parser.add_argument("--units", help="单位清单文件：每行一个单位，“全称|简称|别名”")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def fail(self, message: str) -> None:
        sys.stderr.write(f"错误：{message}\n")
        raise SystemExit(1)

    def handle(self, *args, **options):
        # Chinese out whatever the terminal's locale says (a Latin-1 locale would refuse it).
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.reconfigure(encoding="utf-8")
            except (AttributeError, ValueError):
                pass  # not a text stream of the terminal (a test's capture, a pipe wrapper)
        on = None
        if options["date"]:
            try:
                on = date.fromisoformat(options["date"])
            except ValueError:
                self.fail(f"日期“{options['date']}”无法识别，请写成 2026-03-05 的形式。")
        units = None
        if options["units"]:
            try:
                units = docparse.Units.from_text(Path(options["units"]).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                self.fail(f"无法读取单位清单“{options['units']}”（须为 UTF-8 文本）。")
        name = options["file"]
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError:
            self.fail(f"无法读取文件“{name}”。")
        try:
            result = docparse.decompose_file(data, name, on=on, units=units)
        except docparse.DocumentError as error:
            self.fail(error.message)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(as_text(result), ending="")
