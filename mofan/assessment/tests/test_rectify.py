"""结果运用 — lost points to rectify: those who assess mark them; once published, one step makes
each a finding of a rectification ledger they supervise, once; the assessed do not see the marks
before publication."""

import pytest

from mofan.assessment import rectify, services
from mofan.assessment.models import Score
from mofan.core.errors import InvalidInput
from mofan.ledger.models import Finding


@pytest.fixture
def scored(running):
    """The round in scoring: A's judgement 30 of 40 with the team's comment, B's 40 of 40; a
    rectification ledger 孙七 (sam, on the team) supervises."""
    from mofan.ledger import services as ledgers

    w = running
    services.start_scoring(w.round, actor=w.carol)
    w.a_duty = Score.objects.get(target=w.a, indicator=w.s.duty)
    w.b_duty = Score.objects.get(target=w.b, indicator=w.s.duty)
    services.score_indicator(w.a_duty, actor=w.sam, points="30", comment="责任清单未逐项落实")
    services.score_indicator(w.b_duty, actor=w.sam, points="40")
    w.ledger = ledgers.create_ledger(actor=w.sam, name="2026年度党建考核反馈问题整改台账",
                                     kind="rectification", year=2026, unit=w.unit_a)  # fmt: skip
    return w


def test_only_a_lost_point_can_be_marked_and_not_before_scoring(running):
    w = running
    duty = Score.objects.get(target=w.a, indicator=w.s.duty)
    with pytest.raises(InvalidInput, match="评审开始后"):
        rectify.mark(duty, actor=w.sam, on=True)


def test_marked_points_become_findings_once_after_publication(scored, client, login):
    w = scored
    with pytest.raises(InvalidInput, match="没有失分"):
        rectify.mark(w.b_duty, actor=w.sam, on=True)
    assert rectify.lost(Score.objects.get(pk=w.a_duty.pk)) == "失10分"
    rectify.mark(w.a_duty, actor=w.sam, on=True)
    with pytest.raises(InvalidInput, match="公布后"):
        rectify.open_findings(w.round, actor=w.sam, ledger=w.ledger)
    services.publish(w.round, actor=w.carol)
    login(w.carol)  # runs the round but supervises no ledger
    page = client.get(f"/assessment/rounds/{w.round.pk}/").content.decode()
    assert "您没有督办的整改台账" in page
    refused = client.post(f"/assessment/rounds/{w.round.pk}/",
                          {"op": "findings", "ledger": w.ledger.pk})  # fmt: skip
    assert refused.status_code == 400 and not Finding.objects.exists()
    login(w.sam)
    moved = client.post(
        f"/assessment/rounds/{w.round.pk}/", {"op": "findings", "ledger": w.ledger.pk}
    )
    assert moved.status_code == 302
    finding = Finding.objects.get()
    assert finding.ledger == w.ledger
    assert finding.description == (
        "第一党支部在2026年度党支部党建工作考核中“落实全面从严治党主体责任”失10分：责任清单未逐项落实"
    )
    assert Score.objects.get(pk=w.a_duty.pk).finding == finding
    again = client.post(
        f"/assessment/rounds/{w.round.pk}/", {"op": "findings", "ledger": w.ledger.pk}
    )
    assert again.status_code == 400 and "没有待移交的失分项" in again.content.decode()
    assert Finding.objects.count() == 1
    with pytest.raises(InvalidInput, match="已移交整改台账"):
        rectify.mark(w.a_duty, actor=w.sam, on=False)
    target_page = client.get(f"/assessment/targets/{w.a.pk}/").content.decode()
    assert f"/ledger/findings/{finding.pk}/" in target_page


def test_a_team_member_marks_from_the_target_page_and_others_cannot(scored, client, login):
    w = scored
    url = f"/assessment/scores/{w.a_duty.pk}/rectify/"
    login(w.bob)  # branch B's secretary
    assert client.post(url, {"on": "1"}).status_code == 404
    login(w.alice)  # the assessed
    assert client.post(url, {"on": "1"}).status_code == 404
    assert not Score.objects.get(pk=w.a_duty.pk).to_rectify
    login(w.sam)
    page = client.get(f"/assessment/targets/{w.a.pk}/").content.decode()
    assert "失10分" in page and "列入整改" in page
    assert client.post(url, {"on": "1"}).status_code == 302
    assert Score.objects.get(pk=w.a_duty.pk).to_rectify
    login(w.alice)  # the assessed see neither the mark nor the team's score before publication
    seen = client.get("/api/assessment-scores/", {"target": w.a.pk}).json()["results"]
    duty = next(s for s in seen if s["id"] == w.a_duty.pk)
    assert duty["to_rectify"] is None and duty["points"] is None
    assert (
        'data-testid="rectify-' not in client.get(f"/assessment/targets/{w.a.pk}/").content.decode()
    )


def test_the_api_marks_and_hands_over(scored, client, login):
    w = scored
    login(w.sam)
    marked = client.post(f"/api/assessment-scores/{w.a_duty.pk}/rectify/", {"to_rectify": True},
                         content_type="application/json")  # fmt: skip
    assert marked.status_code == 200 and marked.json()["to_rectify"] is True
    login(w.carol)
    services.publish(w.round, actor=w.carol)
    refused = client.post(f"/api/assessment-rounds/{w.round.pk}/findings/", {"ledger": w.ledger.pk},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 400
    login(w.sam)
    done = client.post(f"/api/assessment-rounds/{w.round.pk}/findings/", {"ledger": w.ledger.pk},
                       content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json() == {"ledger": w.ledger.pk, "opened": 1}
    assert Finding.objects.filter(ledger=w.ledger).count() == 1


def test_the_bulletin_is_generated_from_the_round_in_official_layout(scored, client, login):
    import io

    from docx import Document

    w = scored
    rectify.mark(w.a_duty, actor=w.sam, on=True)
    url = f"/assessment/rounds/{w.round.pk}/bulletin.docx"
    login(w.carol)
    assert client.get(url).status_code == 302  # not before publication
    services.publish(w.round, actor=w.carol)
    login(w.sam)  # the team scores; the organisation that runs the round issues the 通报
    assert client.get(url).status_code == 404
    login(w.carol)
    answer = client.get(url)
    assert answer.status_code == 200
    document = Document(io.BytesIO(b"".join(answer.streaming_content)))
    text = [p.text for p in document.paragraphs]
    assert text[0] == "中共测试机关委员会关于2026年度党支部党建工作考核结果的通报"
    assert text[1] == "各党支部："
    result = next(t for t in text if t.startswith("2个党支部中"))
    w.a.refresh_from_db()
    w.b.refresh_from_db()
    grades = {w.a.get_grade_display(), w.b.get_grade_display()}
    assert all(f"{g}" in result for g in grades)
    rows = [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert rows[0] == ["排名", "党组织", "基本分", "扣分", "加分", "总分", "等次"]
    assert [r[1] for r in rows[1:]] == ["第二党支部", "第一党支部"]  # by rank
    assert any("“落实全面从严治党主体责任”：1个组织失分，合计失10分" in t for t in text)
    assert any("需整改的失分项1项，其中0项已移交整改台账" in t for t in text)
    section = document.sections[0]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.cm, 1) for m in margins] == [3.7, 3.5, 2.8, 2.6]  # 版心 156 × 225 mm
    assert "PAGE" in section.footer.paragraphs[0]._p.xml
    title_run = document.paragraphs[0].runs[0]
    assert title_run.font.size.pt == 22 and title_run.font.name == "方正小标宋简体"
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    fonts = document.part.part_related_by(RT.FONT_TABLE).blob.decode()
    assert 'w:name="仿宋_GB2312"' in fonts and 'w:altName w:val="仿宋"' in fonts
