"""The 三项制度's and the registry's files over REST: a 述职报告, an annual report and a 创建
application uploaded (multipart) beside their text, downloaded by those who read them, and the
generated documents (述职数据表, 数据附件, 命名决定, an inspection's data sheet) — each refused to
another organisation."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook

from mofan.assessment import awards, registry
from mofan.assessment.models import Candidate

WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _docx(text: str) -> SimpleUploadedFile:
    document = Document()
    document.add_paragraph(text)
    body = io.BytesIO()
    document.save(body)
    return SimpleUploadedFile("材料.docx", body.getvalue(), content_type=WORD)


def _words(response) -> str:
    body = b"".join(response.streaming_content)
    document = Document(io.BytesIO(body))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_debrief_report_is_sent_with_its_file_and_read_by_its_organiser(
    debrief_world, client, login
):
    w = debrief_world
    login(w.alice)
    mine = client.get("/api/debrief-reports/").json()["results"]
    assert [(r["id"], r["version"], r["text"]) for r in mine] == [(w.da.pk, 0, "")]
    url = f"/api/debrief-reports/{w.da.pk}/"
    sent = client.post(url + "submit/", {"version": 0, "text": "一年来，支部……",
                                         "file": _docx("张三的述职报告")})  # fmt: skip
    assert sent.status_code == 200, sent.content
    report = sent.json()
    assert report["text"] == "一年来，支部……" and report["file_name"] == "材料.docx"
    # A second client that read version 0 does not overwrite it.
    stale = client.post(url + "submit/", {"version": 0, "text": "旧稿"},
                        content_type="application/json")  # fmt: skip
    assert stale.status_code == 409
    # JSON alone keeps the file.
    again = client.post(url + "submit/", {"version": report["version"], "text": "修改稿"},
                        content_type="application/json")  # fmt: skip
    assert again.status_code == 200 and again.json()["file_name"] == "材料.docx"
    got = client.get(url + "file/", HTTP_ACCEPT=WORD)
    assert got.status_code == 200 and "张三的述职报告" in _words(got)
    sheet = client.get(url + "sheet/")
    assert sheet.status_code == 200 and sheet["Content-Type"] == WORD
    assert "第一党支部2026年度抓党建工作述职数据表" in _words(sheet)
    # Another branch's secretary: neither the list, the report, its file nor a submission.
    login(w.bob)
    assert [r["id"] for r in client.get("/api/debrief-reports/").json()["results"]] == [w.db.pk]
    for path in ("", "file/", "sheet/"):
        assert client.get(url + path).status_code == 404
    assert client.post(url + "submit/", {"version": 0, "text": "篡改"},
                       content_type="application/json").status_code == 404  # fmt: skip
    # The organiser reads both.
    login(w.carol)
    assert {r["id"] for r in client.get("/api/debrief-reports/").json()["results"]} == {
        w.da.pk, w.db.pk
    }  # fmt: skip
    assert client.get(url).json()["text"] == "修改稿"
    assert client.get(url + "file/").status_code == 200
    # A file of the wrong kind is refused in Chinese and changes nothing.
    login(w.alice)
    bad = SimpleUploadedFile("报告.docx", b"not a zip at all", content_type=WORD)
    refused = client.post(url + "submit/", {"version": again.json()["version"], "file": bad})
    assert refused.status_code == 400 and "文件内容与扩展名" in refused.json()["detail"]
    assert client.get(url).json()["text"] == "修改稿"


def test_an_annual_report_file_and_its_appendix_over_rest(assess_world, client, login):
    w = assess_world
    login(w.carol)
    made = client.post("/api/annual-reports/", {"org": w.organ.pk, "year": 2026},
                       content_type="application/json").json()  # fmt: skip
    url = f"/api/annual-reports/{made['id']}/"
    assert client.get(url + "file/").status_code == 404  # none yet
    saved = client.post(url + "save/", {"version": made["version"], "title": made["title"],
                                        "text": "", "file": _docx("机关党委年度报告")})  # fmt: skip
    assert saved.status_code == 200 and saved.json()["has_file"] is True
    assert "机关党委年度报告" in _words(client.get(url + "file/"))
    appendix = client.get(url + "appendix/")
    assert appendix.status_code == 200
    assert "中共测试机关委员会2026年度党建工作报告数据附件" in _words(appendix)
    login(w.bob)
    for path in ("file/", "appendix/"):
        assert client.get(url + path).status_code == 404


def test_an_application_file_is_the_evaluators_and_the_applicants_only(published, client, login):
    w = published
    award = awards.create_award(
        w.organ, actor=w.carol, kind="strong_branch", title="2026年度“四强”党支部评选",
        round_=w.round, places=2, min_total="0", apply_due_on=date(2026, 11, 30),
    )  # fmt: skip
    a = Candidate.objects.get(award=award, org=w.branch_a)
    b = Candidate.objects.get(award=award, org=w.branch_b)
    login(w.alice)
    applied = client.post(f"/api/award-candidates/{a.pk}/apply/", {
        "version": a.version, "statement": "支部坚持政治引领，作用发挥突出。",
        "file": _docx("第一党支部事迹材料")})  # fmt: skip
    assert applied.status_code == 200 and applied.json()["file_name"] == "材料.docx"
    login(w.bob)
    awards.apply(b, actor=w.bob, version=b.version, statement="第二党支部的申报材料。")
    assert client.get(f"/api/award-candidates/{a.pk}/file/").status_code == 404
    login(w.carol)
    got = client.get(f"/api/award-candidates/{a.pk}/file/")
    assert got.status_code == 200 and "第一党支部事迹材料" in _words(got)
    early = client.get(f"/api/awards/{award.pk}/decision/")
    assert early.status_code == 400 and "公布后" in early.json()["detail"]
    award = awards.close_applications(award, actor=w.carol)
    for candidate in (a, b):
        candidate.refresh_from_db()
        awards.decide(candidate, actor=w.carol, version=candidate.version, approve=True, note="")
    award.refresh_from_db()
    awards.publish_award(award, actor=w.carol, version=award.version)
    decision = client.get(f"/api/awards/{award.pk}/decision/")
    assert decision.status_code == 200 and "第一党支部" in _words(decision)
    # After publication B's secretary reads the approved list, still not A's material; the page's
    # download of it is refused the same way.
    login(w.bob)
    listed = client.get(f"/api/awards/{award.pk}/").json()["candidates"]
    assert {c["org"] for c in listed} == {w.branch_a.pk, w.branch_b.pk}
    assert [c["file_name"] for c in listed if c["org"] == w.branch_a.pk] == [""]
    assert client.get(f"/api/award-candidates/{a.pk}/file/").status_code == 404
    assert client.get(f"/assessment/awards/candidates/{a.pk}/file/").status_code == 404
    assert client.get(f"/api/awards/{award.pk}/decision/").status_code == 404


def test_an_inspections_data_sheet_over_rest(capped, client, login):
    w = capped
    entry = registry.register(
        w.organ, actor=w.carol, title="党建专项检查", kind="check",
        year=2026, starts_on=date(2026, 11, 23), ends_on=date(2026, 11, 27), targets=[w.branch_a],
    )  # fmt: skip
    url = f"/api/check-entries/{entry.pk}/sheet/{w.branch_a.pk}/"
    login(w.carol)
    sheet = client.get(url)
    assert sheet.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(sheet.streaming_content))).active.values)
    assert {r[0]: r[1] for r in rows if r and r[0]}["党组织"] == "第一党支部"
    # Not a target of the entry; a secretary of another branch.
    assert client.get(f"/api/check-entries/{entry.pk}/sheet/{w.branch_b.pk}/").status_code == 404
    login(w.bob)
    assert client.get(url).status_code == 404
    login(w.alice)
    assert client.get(url).status_code == 200
