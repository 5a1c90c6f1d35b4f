"""`mofan decompose`: the JSON contract of the issue, the text report, and Chinese refusals."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from mofan.docparse.tests.builders import numbered_docx

DOCUMENTS = Path(__file__).resolve().parents[2] / "docparse" / "corpus"


def _run(*args) -> str:
    out = io.StringIO()
    call_command("decompose", *args, stdout=out)
    return out.getvalue()


def test_json_follows_the_contract():
    result = json.loads(_run(str(DOCUMENTS / "suite_work_points.txt"), "--format", "json"))
    assert set(result) == {"title", "date", "outline", "items"}
    assert result["title"] == "2026年机关党建工作要点"
    assert result["date"] == "2026-01-15"
    first = result["outline"][0]
    assert set(first) == {"number", "level", "title", "path", "children"}
    assert (first["number"], first["level"], first["path"]) == ("一、", 1, "一")
    assert first["children"][0]["path"] == "一/（一）"
    text = (DOCUMENTS / "suite_work_points.txt").read_text(encoding="utf-8")
    for item in result["items"]:
        assert set(item) == {
            "path", "text", "kind", "lead_units", "co_units", "owners", "deadline",
            "deadline_text", "recurrence", "confidence", "reason",
        }  # fmt: skip
        assert item["text"] in text
        assert item["kind"] in ("task", "rule")
    second = result["items"][1]
    assert second["path"] == "一/（一）/2"
    assert (second["lead_units"], second["deadline"]) == (["机关团委"], "2026-06-30")
    recurring = next(item for item in result["items"] if item["recurrence"])
    assert recurring["recurrence"] == "每月25日" and recurring["deadline"] is None


def test_the_date_option_anchors_relative_deadlines(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("一、任务\n1．建立工作台账，3个月内完成。\n", encoding="utf-8")
    result = json.loads(_run(str(source), "--date", "2026-03-05"))
    assert result["date"] == "2026-03-05"
    assert result["items"][0]["deadline"] == "2026-06-05"


def test_units_file_matches_short_names_to_full_names(tmp_path):
    units = tmp_path / "units.txt"
    units.write_text("# 单位清单\n办公厅|厅办\n机关党委|党委办公室\n", encoding="utf-8")
    source = tmp_path / "a.txt"
    source.write_text(
        "一、任务\n1．建立工作台账。（牵头单位：厅办；配合单位：党委办公室）\n", encoding="utf-8"
    )
    item = json.loads(_run(str(source), "--units", str(units)))["items"][0]
    assert (item["lead_units"], item["co_units"]) == (["办公厅"], ["机关党委"])


def test_word_file_and_text_format(tmp_path):
    source = tmp_path / "通知.docx"
    source.write_bytes(
        numbered_docx(
            [
                (None, "关于开展调研的通知"),
                (0, "调研安排"),
                (2, "深入基层开展调研，6月底前形成报告。"),
            ]
        )
    )
    report = _run(str(source), "--format", "text", "--date", "2026-03-01")
    assert "标题：关于开展调研的通知" in report
    assert "时限：2026年6月30日（6月底前）" in report


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"", (), "文件是空的"),
        (b"PK\x03\x04 broken", (), "已损坏"),
        ("一、任务".encode(), ("--date", "2026/13/01"), "日期“2026/13/01”无法识别"),
    ],
)
def test_bad_input_exits_non_zero_with_a_chinese_message(tmp_path, capsys, content, args, message):
    source = tmp_path / "x.docx"
    source.write_bytes(content)
    with pytest.raises(SystemExit) as exit_:
        _run(str(source), *args)
    assert exit_.value.code == 1
    assert message in capsys.readouterr().err


def test_a_missing_file(capsys):
    with pytest.raises(SystemExit):
        _run("/nonexistent/a.docx")
    assert "无法读取文件" in capsys.readouterr().err
