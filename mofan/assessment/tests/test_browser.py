"""Browser walk-through of 考核评价 (make test-browser): the organ committee's admin copies last
year's scheme and starts a round over its three branches; branch A's secretary writes the
self-assessment with a file and a link to a meeting, opens the records behind a record-based score
and submits; the team member scores; the admin publishes and the branch reads its total, grade and
rank — the total shown before publication to no one but those who assess."""

from datetime import date

import pytest
from time_machine import travel

from conftest import browser_login, make_member, pick, shot
from mofan.assessment import services
from mofan.assessment.models import Round, Score, Target
from mofan.assessment.tests.conftest import build_scheme
from mofan.orgs import services as orgs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESK = {"viewport": {"width": 1366, "height": 900}}


def test_a_round_from_a_copied_scheme_to_published_results(assess_world, live_server, browser,
                                                            tmp_path):  # fmt: skip
    w, url = assess_world, live_server.url
    with travel("2026-11-20 09:00:00+08:00", tick=True):
        branch_c = orgs.create_org(actor=None, parent=w.organ, kind="branch", code="C",
                                   name="第三党支部")  # fmt: skip
        for n in range(3):
            make_member(f"丙{n}", w.unit_b, branch_c)
        last_year = build_scheme(w, w.carol, year=2025).scheme
        carol = browser_login(browser, url, "carol", **DESK)
        carol.goto(f"{url}/assessment/schemes/{last_year.pk}/")
        carol.fill("[data-testid=copy-form] #id_year", "2026")
        carol.fill("[data-testid=copy-form] #id_name", "党支部党建工作考核（修订）")
        carol.click("[data-testid=copy-form] button")
        assert "已复制为2026年党支部党建工作考核（修订）" in carol.inner_text(".alert-success")
        shot(carol, "assess-1-copied-scheme")
        carol.click("[data-testid=start]")
        pick(carol, "#id_team", "孙七", "孙七")
        carol.click(".page-body button[type=submit]")
        assert "共3个组织" in carol.inner_text(".alert-success")
        assert carol.inner_text("[data-testid=targets]").count("党支部") == 3
        shot(carol, "assess-2-round-started")
        round_ = Round.objects.get(scheme__year=2026)
        target = Target.objects.get(round=round_, org=w.branch_a)

        alice = browser_login(browser, url, "alice", **DESK)
        alice.goto(f"{url}/assessment/")
        alice.click("[data-testid=mine] a")
        duty = Score.objects.get(target=target, indicator__name="落实全面从严治党主体责任")
        alice.fill(f"#self-{duty.pk}", "年初制定党建工作要点，书记履行第一责任人职责。")
        alice.click(f"#s{duty.pk} >> text=保存自评")
        assert "已保存自评" in alice.inner_text(".alert-success")
        material = tmp_path / "责任清单.pdf"
        material.write_bytes(b"%PDF-1.4 materials")
        alice.set_input_files(f"#file-{duty.pk}", str(material))
        alice.click(f"#s{duty.pk} >> text=添加材料")
        alice.select_option(f"#meeting-{duty.pk}", str(w.talk.pk))
        alice.click(f"#s{duty.pk} >> text=添加材料")
        assert "责任清单.pdf" in alice.inner_text(f"#s{duty.pk}")
        assert "9月谈心谈话" in alice.inner_text(f"#s{duty.pk}")
        talks = Score.objects.get(target=target, indicator__formula="heart_to_heart")
        alice.click(f"#s{talks.pk} summary")
        alice.wait_for_selector(f"#drill-{talks.pk} [data-testid=drill-rows]")
        assert "9月谈心谈话" in alice.inner_text(f"#drill-{talks.pk}")
        assert "公布后显示" in alice.inner_text("body")
        assert alice.locator("[data-testid=total]").count() == 0
        alice.click("[data-testid=submit-self]")
        assert "已提交自评" in alice.inner_text(".alert-success")
        shot(alice, "assess-3-self-assessment")

        carol.goto(f"{url}/assessment/rounds/{round_.pk}/")
        carol.once("dialog", lambda dialog: dialog.accept())  # 结束自评 asks first
        carol.click("[data-testid=to-scoring]")
        assert "评审中" in carol.inner_text("[data-testid=state]")

        sam = browser_login(browser, url, "sam", **DESK)
        sam.goto(f"{url}/assessment/targets/{target.pk}/")
        form = f"[data-testid=score-form-{duty.indicator_id}]"
        sam.fill(f"{form} input[name=points]", "50")
        sam.click(f"{form} button")
        assert "得分须在0至40之间" in sam.inner_text(".alert-danger")
        sam.fill(f"{form} input[name=points]", "36")
        sam.fill(f"{form} input[name=comment]", "责任落实较好")
        sam.click(f"{form} button")
        assert "已保存评分" in sam.inner_text(".alert-success")
        shot(sam, "assess-4-team-scores")
        for other in Target.objects.filter(round=round_).exclude(pk=target.pk):
            score = other.scores.get(indicator=duty.indicator)
            services.score_indicator(score, actor=w.sam, points="30", version=score.version)

        carol.goto(f"{url}/assessment/rounds/{round_.pk}/")
        carol.once("dialog", lambda dialog: dialog.accept())  # so does 公布结果
        carol.click("[data-testid=publish]")
        assert "已公布" in carol.inner_text("[data-testid=state]")
        shot(carol, "assess-5-published")
        alice.goto(f"{url}/assessment/targets/{target.pk}/")
        target.refresh_from_db()
        assert alice.inner_text("[data-testid=total]") == f"{target.total.normalize():f}"
        assert f"同类组织第{target.rank}名（共3个）" in alice.inner_text("body")
        shot(alice, "assess-6-branch-reads-its-result")
    round_.refresh_from_db()
    assert (round_.self_due_on, round_.state) == (date(2026, 12, 4), "published")
    assert round_.scheme.frozen_at is not None and target.self_done_at is not None
