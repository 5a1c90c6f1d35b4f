"""督查检查考核 registry: registered by the organisation that runs it, counted against each
target's yearly cap; beyond the cap only with the reason and the cap's organisation's approval; a
refusal frees the place; each organisation sees what it received and the data sheet of it."""

import io
from datetime import date

import pytest

from mofan.assessment import registry
from mofan.assessment.models import CheckEntry
from mofan.core.errors import InvalidInput, StaleEdit


def _register(w, title, targets, reason=""):
    return registry.register(
        w.organ, actor=w.carol, year=2026, title=title, kind="check",
        starts_on=date(2026, 11, 23), ends_on=date(2026, 11, 27), targets=targets, reason=reason,
    )  # fmt: skip


def test_registrations_count_against_the_cap_and_beyond_it_wait_for_approval(capped):
    w = capped
    _register(w, "党建专项检查", [w.branch_a, w.branch_b])
    _register(w, "意识形态工作督查", [w.branch_a])
    assert registry.received([w.branch_a.pk, w.branch_b.pk], 2026) == {
        w.branch_a.pk: 2, w.branch_b.pk: 1,
    }  # fmt: skip
    with pytest.raises(InvalidInput, match="第一党支部今年已2次，中共测试委员会规定不超过2次"):
        _register(w, "保密检查", [w.branch_a, w.branch_b])
    assert CheckEntry.objects.count() == 2
    over = _register(w, "保密检查", [w.branch_a, w.branch_b], reason="上级部署的保密专项检查")
    assert over.state == "pending" and over.approver == w.root
    # The place is held while waiting: B (1 + 1 = 2) is now full too.
    with pytest.raises(InvalidInput, match="第二党支部今年已2次"):
        _register(w, "档案检查", [w.branch_b])
    with pytest.raises(InvalidInput, match="审批意见"):
        registry.decide(over, actor=w.rooter, approve=False, note="")
    registry.decide(over, actor=w.rooter, approve=False, note="与年底考核合并开展")
    assert registry.received([w.branch_b.pk], 2026) == {w.branch_b.pk: 1}  # a refusal frees it
    with pytest.raises(StaleEdit):
        registry.decide(over, actor=w.rooter, approve=True, note="")


def test_a_registration_refuses_bad_input_and_changes_nothing(capped):
    w = capped
    with pytest.raises(InvalidInput, match="下级组织"):
        _register(w, "检查", [w.root])
    with pytest.raises(InvalidInput, match="结束日期不能早于开始日期"):
        registry.register(w.organ, actor=w.carol, year=2026, title="检查", kind="check",
                          starts_on=date(2026, 11, 27), ends_on=date(2026, 11, 23),
                          targets=[w.branch_a])  # fmt: skip
    with pytest.raises(InvalidInput, match="类别"):
        registry.register(w.organ, actor=w.carol, year=2026, title="检查", kind="audit",
                          starts_on=date(2026, 11, 23), ends_on=date(2026, 11, 23),
                          targets=[w.branch_a])  # fmt: skip
    with pytest.raises(InvalidInput, match="年度总量须为1至100"):
        registry.set_cap(w.root, actor=w.rooter, year=2026, cap="0")
    assert not CheckEntry.objects.exists()


def test_the_nearest_cap_above_applies(capped):
    w = capped
    registry.set_cap(w.organ, actor=w.carol, year=2026, cap="1")
    caps = registry.caps_for([w.branch_a, w.organ], 2026)
    assert caps[w.branch_a.pk].org == w.organ and caps[w.organ.pk].org == w.root


def test_the_pages_register_approve_and_show_what_each_received(capped, client, login):
    w = capped
    _register(w, "党建专项检查", [w.branch_a])
    _register(w, "意识形态工作督查", [w.branch_a])
    login(w.carol)
    refused = client.post("/assessment/checks/new/", {
        "org": w.organ.pk, "title": "保密检查", "kind": "check", "starts_on": "2026-11-23",
        "ends_on": "2026-11-24", "targets": [w.branch_a.pk]})  # fmt: skip
    assert refused.status_code == 400 and "确需开展的，请填写理由报批" in refused.content.decode()
    made = client.post("/assessment/checks/new/", {
        "org": w.organ.pk, "title": "保密检查", "kind": "check", "starts_on": "2026-11-23",
        "ends_on": "2026-11-24", "targets": [w.branch_a.pk], "reason": "上级部署"})  # fmt: skip
    entry = CheckEntry.objects.get(title="保密检查")
    assert made.status_code == 302 and entry.state == "pending"
    assert client.post(f"/assessment/checks/{entry.pk}/", {"op": "approve"}).status_code == 404
    login(w.rooter)
    assert "保密检查" in client.get("/assessment/checks/").content.decode()
    assert client.post(f"/assessment/checks/{entry.pk}/", {"op": "approve"}).status_code == 302
    entry.refresh_from_db()
    assert entry.state == "approved"
    login(w.alice)  # branch A's secretary: what her branch received
    page = client.get("/assessment/checks/").content.decode()
    assert "第一党支部" in page and "3次" in page and "2次" in page
    sheet = client.get(f"/assessment/checks/{entry.pk}/sheet/{w.branch_a.pk}/")
    assert sheet.status_code == 200
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(b"".join(sheet.streaming_content))).active.values)
    cells = {r[0]: r[1] for r in rows if r and r[0]}
    assert cells["党组织"] == "第一党支部" and cells["党员人数"] == 2
    assert "组织生活：本年合计" in cells and "召开谈心谈话" in cells
    # The kept compliance of October and November: on 20 November, November's requirements are
    # not yet due, and are neither listed nor counted.
    from mofan.meetings.models import ComplianceMonth

    for month, required, met in ((9, 2, 1), (10, 3, 0)):
        ComplianceMonth.objects.create(
            org=w.branch_a, month_index=2026 * 12 + month, required=required, met=met
        )
    sheet = client.get(f"/assessment/checks/{entry.pk}/sheet/{w.branch_a.pk}/")
    rows = list(load_workbook(io.BytesIO(b"".join(sheet.streaming_content))).active.values)
    cells = {r[0]: r[1] for r in rows if r and r[0]}
    assert cells["组织生活：10月"] == "到期2项，完成1项" and "组织生活：11月" not in cells
    assert cells["组织生活：本年合计"] == "到期2项，完成1项"
    from mofan.dashboard import cockpit

    counted = cockpit.figures(w.alice, date(2026, 11, 20)).checks  # the leader's dashboard too
    assert counted == {"total": 3, "by_kind": {"检查": 3}, "pending": 0}


def test_another_organisation_reads_neither_the_entry_nor_its_sheet(capped, client, login):
    w = capped
    entry = _register(w, "党建专项检查", [w.branch_a])
    login(w.bob)  # branch B's secretary: not aimed at B
    assert client.get(f"/assessment/checks/{entry.pk}/").status_code == 404
    assert client.get(f"/assessment/checks/{entry.pk}/sheet/{w.branch_a.pk}/").status_code == 404
    assert client.get(f"/assessment/checks/{entry.pk}/sheet/{w.branch_b.pk}/").status_code == 404
    assert "党建专项检查" not in client.get("/assessment/checks/").content.decode()
