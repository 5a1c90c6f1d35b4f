"""督查检查考核 registry over REST: the same gate and services as the pages (check_views.py) —
registered by the organisation that runs it, counted against each target's yearly cap, beyond it
only with the reason and then decided by the cap's organisation; caps kept by the admins of the
organisation that sets them; bad input a Chinese 4xx that changes nothing; another organisation
reads and changes nothing."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mofan.assessment import registry
from mofan.assessment.models import CheckCap, CheckEntry

pytestmark = pytest.mark.django_db

ENTRIES, CAPS = "/api/check-entries/", "/api/check-caps/"


def _body(w, title, targets, **extra):
    return {
        "org": w.organ.pk, "title": title, "kind": "check", "starts_on": "2026-11-23",
        "ends_on": "2026-11-27", "targets": [t.pk for t in targets], **extra,
    }  # fmt: skip


def _register(w, title, targets, reason=""):
    return registry.register(
        w.organ, actor=w.carol, year=2026, title=title, kind="check",
        starts_on=date(2026, 11, 23), ends_on=date(2026, 11, 27), targets=targets, reason=reason,
    )  # fmt: skip


def _stored():
    """Every registry row as it is stored: what a refused request must leave as it was."""
    return (
        list(
            CheckEntry.objects.values_list("pk", "state", "title", "decision_note").order_by("pk")
        ),
        list(CheckEntry.targets.through.objects.values_list("checkentry_id", "partyorg_id")),
        list(CheckCap.objects.values_list("pk", "org_id", "year", "cap").order_by("pk")),
    )


def _has_chinese(answer) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(answer.json()))


def test_registering_counts_against_the_cap_and_beyond_it_needs_the_reason(capped, login):
    w = capped
    carol = login(w.carol)
    first = carol.post(ENTRIES, _body(w, "党建专项检查", [w.branch_a, w.branch_b]),
                       content_type="application/json")  # fmt: skip
    assert first.status_code == 201, first.json()
    made = first.json()
    assert (made["org"], made["org_name"], made["year"], made["kind"]) == (
        w.organ.pk, "中共测试机关委员会", 2026, "check",
    )  # fmt: skip
    assert (made["state"], made["approver"], made["approver_name"]) == ("registered", None, "")
    assert made["targets"] == [
        {"id": w.branch_a.pk, "name": "第一党支部", "received": 1, "cap": 2},
        {"id": w.branch_b.pk, "name": "第二党支部", "received": 1, "cap": 2},
    ]
    second = carol.post(ENTRIES, _body(w, "意识形态工作督查", [w.branch_a]),
                        content_type="application/json")  # fmt: skip
    assert second.status_code == 201 and second.json()["targets"][0]["received"] == 2
    before = _stored()
    refused = carol.post(
        ENTRIES, _body(w, "保密检查", [w.branch_a]), content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json()["detail"] == (
        "超出年度总量：第一党支部今年已2次，中共测试委员会规定不超过2次。确需开展的，请填写理由报批。"
    )
    assert _stored() == before
    over = carol.post(ENTRIES, _body(w, "保密检查", [w.branch_a], reason="上级部署的保密专项检查"),
                      content_type="application/json")  # fmt: skip
    assert over.status_code == 201
    waiting = over.json()
    assert (waiting["state"], waiting["reason"]) == ("pending", "上级部署的保密专项检查")
    assert (waiting["approver"], waiting["approver_name"]) == (w.root.pk, "中共测试委员会")
    assert waiting["to_decide"] is False  # the runner does not approve its own registration
    # The waiting entry holds its place.
    assert waiting["targets"] == [
        {"id": w.branch_a.pk, "name": "第一党支部", "received": 3, "cap": 2}
    ]
    assert CheckEntry.objects.get(pk=waiting["id"]).created_by == w.carol


def test_the_cap_organisation_approves_or_refuses_and_a_decision_is_final(capped, login):
    w = capped
    _register(w, "党建专项检查", [w.branch_a])
    _register(w, "意识形态工作督查", [w.branch_a])
    over = _register(w, "保密检查", [w.branch_a], reason="上级部署")
    later = _register(w, "档案检查", [w.branch_a], reason="档案专项")
    # The runner sees the entry but does not decide it: 404, as on the page.
    carol = login(w.carol)
    assert carol.get(f"{ENTRIES}{over.pk}/").status_code == 200
    assert carol.post(f"{ENTRIES}{over.pk}/approve/").status_code == 404
    assert CheckEntry.objects.get(pk=over.pk).state == "pending"
    rooter = login(w.rooter)
    mine = rooter.get(ENTRIES, {"to_decide": "true"}).json()
    assert [e["id"] for e in mine["results"]] == [later.pk, over.pk]
    assert all(e["to_decide"] for e in mine["results"])
    assert rooter.get(ENTRIES, {"to_decide": "false"}).json()["count"] == 2
    before = _stored()
    bare = rooter.post(
        f"{ENTRIES}{over.pk}/refuse/", {"note": " "}, content_type="application/json"
    )
    assert bare.status_code == 400 and bare.json()["detail"] == "请填写审批意见。"
    assert _stored() == before
    refused = rooter.post(f"{ENTRIES}{over.pk}/refuse/", {"note": "与年底考核合并开展"},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 200
    body = refused.json()
    assert (body["state"], body["decision_note"], body["decided_by"]) == (
        "refused", "与年底考核合并开展", str(w.rooter),
    )  # fmt: skip
    assert body["decided_at"] is not None and body["to_decide"] is False
    # A refusal frees the place: A has 2 registered and 1 waiting.
    assert body["targets"][0]["received"] == 3
    again = rooter.post(f"{ENTRIES}{over.pk}/approve/")
    assert again.status_code == 409 and again.json()["detail"] == "该事项已审批，或无需审批。"
    assert CheckEntry.objects.get(pk=over.pk).state == "refused"
    approved = rooter.post(f"{ENTRIES}{later.pk}/approve/")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert approved.json()["decision_note"] == ""
    assert registry.received([w.branch_a.pk], 2026) == {w.branch_a.pk: 3}
    # Registered within the cap: nothing to decide.
    within = CheckEntry.objects.get(title="党建专项检查")
    assert rooter.post(f"{ENTRIES}{within.pk}/approve/").status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_on": "2026-11-20"}, "结束日期不能早于开始日期。"),
        ({"starts_on": "2030-01-02", "ends_on": "2030-01-03"}, "年度须在2025至2027年之间。"),
        ({"title": "   "}, None),  # DRF's own refusal, in Chinese
        ({"kind": "audit"}, None),
        ({"targets": []}, "请选择督查检查考核的对象。"),
        ({"targets": "own"}, "对象须为本组织的下级组织。"),
        ({"targets": "root"}, "所选对象不存在，或不在您的管理范围内。"),
        ({"targets": [999_999]}, "所选对象不存在，或不在您的管理范围内。"),
        ({"reason": "理" * 2001}, None),
    ],
)
def test_a_bad_registration_is_a_chinese_400_and_changes_nothing(capped, login, change, message):
    w = capped
    _register(w, "党建专项检查", [w.branch_a])
    targets = {"own": [w.organ.pk], "root": [w.root.pk]}
    if isinstance(change.get("targets"), str):
        change = {**change, "targets": targets[change["targets"]]}
    before = _stored()
    answer = login(w.carol).post(ENTRIES, {**_body(w, "保密检查", [w.branch_a]), **change},
                                 content_type="application/json")  # fmt: skip
    assert answer.status_code == 400 and _has_chinese(answer)
    if message:
        assert answer.json()["detail"] == message
    assert _stored() == before


def test_caps_are_set_and_read_by_the_admins_of_the_organisation_that_sets_them(capped, login):
    w = capped
    carol = login(w.carol)
    made = carol.post(CAPS, {"org": w.organ.pk, "year": 2026, "cap": 1},
                      content_type="application/json")  # fmt: skip
    assert made.status_code == 201
    assert {k: made.json()[k] for k in ("org", "org_name", "year", "cap")} == {
        "org": w.organ.pk, "org_name": "中共测试机关委员会", "year": 2026, "cap": 1,
    }  # fmt: skip
    # The root committee's cap is not hers to read; the nearest cap above a branch applies.
    listed = carol.get(CAPS).json()["results"]
    assert [(c["org"], c["cap"]) for c in listed] == [(w.organ.pk, 1)]
    rooter = login(w.rooter)
    assert [(c["org"], c["cap"]) for c in rooter.get(CAPS, {"year": 2026}).json()["results"]] == [
        (w.root.pk, 2), (w.organ.pk, 1),
    ]  # fmt: skip
    assert rooter.get(CAPS, {"org": w.organ.pk}).json()["count"] == 1
    assert rooter.get(CAPS, {"year": 2025}).json()["count"] == 0
    carol = login(w.carol)
    first = carol.post(
        ENTRIES, _body(w, "党建专项检查", [w.branch_a]), content_type="application/json"
    )
    assert first.json()["targets"][0]["cap"] == 1
    over = carol.post(ENTRIES, _body(w, "保密检查", [w.branch_a], reason="上级部署"),
                      content_type="application/json")  # fmt: skip
    assert (over.json()["state"], over.json()["approver"]) == ("pending", w.organ.pk)
    # A second cap for the same organisation and year replaces the first.
    changed = carol.post(CAPS, {"org": w.organ.pk, "year": 2026, "cap": 3},
                         content_type="application/json")  # fmt: skip
    assert changed.status_code == 200 and changed.json()["cap"] == 3
    assert CheckCap.objects.filter(org=w.organ, year=2026).get().cap == 3


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"year": 2026, "cap": 0}, "年度总量须为1至100之间的整数。"),
        ({"year": 2026, "cap": 101}, "年度总量须为1至100之间的整数。"),
        ({"year": 2026, "cap": -1}, "年度总量须为1至100之间的整数。"),
        ({"year": 2030, "cap": 3}, "年度须在2025至2027年之间。"),
        ({"year": "明年", "cap": 3}, None),
        ({"year": 2026}, None),
    ],
)
def test_a_bad_cap_is_a_chinese_400_and_changes_nothing(capped, login, body, message):
    w = capped
    before = _stored()
    answer = login(w.carol).post(CAPS, {"org": w.organ.pk, **body},
                                 content_type="application/json")  # fmt: skip
    assert answer.status_code == 400 and _has_chinese(answer)
    if message:
        assert answer.json()["detail"] == message
    assert _stored() == before


def test_another_organisation_neither_reads_nor_changes_entries_and_caps(capped, login):
    w = capped
    entry = _register(w, "党建专项检查", [w.branch_a])
    _register(w, "意识形态工作督查", [w.branch_a])
    over = _register(w, "保密检查", [w.branch_a], reason="上级部署")
    before = _stored()
    bob = login(w.bob)  # branch B's secretary: nothing is aimed at B
    assert bob.get(ENTRIES).json()["count"] == 0
    assert bob.get(f"{ENTRIES}{entry.pk}/").status_code == 404
    assert bob.get(f"{ENTRIES}{entry.pk}/").json() == bob.get(f"{ENTRIES}999999/").json()
    assert bob.get(f"{ENTRIES}received/", {"year": 2026}).json()["results"] == []
    assert bob.get(CAPS).json()["count"] == 0
    # A filter on another organisation answers as one on a missing one.
    assert bob.get(ENTRIES, {"org": w.organ.pk}).json() == bob.get(ENTRIES, {"org": 999_999}).json()
    assert bob.get(ENTRIES, {"target": w.branch_a.pk}).json()["count"] == 0
    assert bob.post(f"{ENTRIES}{over.pk}/approve/").status_code == 404
    assert bob.post(f"{ENTRIES}{over.pk}/refuse/", {"note": "不同意"},
                    content_type="application/json").status_code == 404  # fmt: skip
    for org in (w.organ, w.branch_b):  # a secretary assesses nobody, not even their own branch
        assert bob.post(CAPS, {"org": org.pk, "year": 2026, "cap": 9},
                        content_type="application/json").status_code == 404  # fmt: skip
    assert bob.post(ENTRIES, _body(w, "检查", [w.branch_a]),
                    content_type="application/json").status_code == 404  # fmt: skip
    # Carol (the organ committee) neither reads nor changes the root committee's cap, and
    # registers nothing in its name.
    carol = login(w.carol)
    assert carol.post(CAPS, {"org": w.root.pk, "year": 2026, "cap": 9},
                      content_type="application/json").status_code == 404  # fmt: skip
    assert carol.post(ENTRIES, {**_body(w, "检查", [w.branch_a]), "org": w.root.pk},
                      content_type="application/json").status_code == 404  # fmt: skip
    # Branch A's secretary reads what is aimed at A, and decides and sets nothing.
    alice = login(w.alice)
    assert alice.get(f"{ENTRIES}{entry.pk}/").status_code == 200
    assert alice.post(f"{ENTRIES}{over.pk}/approve/").status_code == 404
    assert alice.post(CAPS, {"org": w.branch_a.pk, "year": 2026, "cap": 9},
                      content_type="application/json").status_code == 404  # fmt: skip
    assert _stored() == before


def test_the_list_filters_by_year_state_kind_organisation_and_target(capped, login):
    w = capped
    a = _register(w, "党建专项检查", [w.branch_a])
    b = registry.register(
        w.organ, actor=w.carol, year=2026, title="意识形态工作督查", kind="supervision",
        starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 2), targets=[w.branch_b],
    )  # fmt: skip
    registry.set_cap(w.organ, actor=w.carol, year=2026, cap="1")  # A is full now
    c = _register(w, "保密检查", [w.branch_a, w.branch_b], reason="上级部署")
    carol = login(w.carol)

    def ids(**query):
        answer = carol.get(ENTRIES, query)
        assert answer.status_code == 200, answer.json()
        return [e["id"] for e in answer.json()["results"]]

    assert ids() == [b.pk, c.pk, a.pk]  # the latest start first
    assert ids(year=2026) == [b.pk, c.pk, a.pk] and ids(year=2025) == []
    assert ids(state="pending") == [c.pk] and ids(state="registered") == [b.pk, a.pk]
    assert ids(kind="supervision") == [b.pk]
    assert ids(org=w.organ.pk) == [b.pk, c.pk, a.pk] and ids(org=w.branch_a.pk) == []
    assert ids(target=w.branch_a.pk) == [c.pk, a.pk]
    assert ids(target=w.branch_b.pk, kind="check") == [c.pk]
    for bad in ({"state": "done"}, {"year": "1999"}, {"to_decide": "yes"}, {"org": "x"}):
        answer = carol.get(ENTRIES, bad)
        assert answer.status_code == 400 and _has_chinese(answer), bad


def test_received_gives_each_organisation_s_figures_as_the_page_does(capped, login):
    w = capped
    _register(w, "党建专项检查", [w.branch_a, w.branch_b])
    _register(w, "意识形态工作督查", [w.branch_a])
    over = _register(w, "保密检查", [w.branch_a], reason="上级部署")
    registry.decide(over, actor=w.rooter, approve=False, note="不开展")
    url = f"{ENTRIES}received/"
    root_cap = {"cap": 2, "cap_org": w.root.pk, "cap_org_name": "中共测试委员会"}
    carol = login(w.carol).get(url, {"year": 2026}).json()
    assert carol["count"] == 2
    assert carol["results"] == [
        {"org": w.branch_a.pk, "org_name": "第一党支部", "received": 2, **root_cap},
        {"org": w.branch_b.pk, "org_name": "第二党支部", "received": 1, **root_cap},
    ]
    # Branch A's secretary: her own branch only; this year by default.
    alice = login(w.alice).get(url).json()["results"]
    assert alice == [{"org": w.branch_a.pk, "org_name": "第一党支部", "received": 2, **root_cap}]
    # The page shows the same figures.
    page = login(w.alice).get("/assessment/checks/").content.decode()
    assert "第一党支部" in page and "2次" in page
    assert login(w.alice).get(url, {"year": 2025}).json()["results"] == []
    for bad in ("1999", "abc", "２０２６", "²"):
        answer = login(w.alice).get(url, {"year": bad})
        assert answer.status_code == 400
        assert answer.json()["detail"] == "年度须为2000至2027年之间的年份。"


def test_the_list_reads_as_many_queries_for_twenty_entries_as_for_two(capped, login):
    w = capped
    registry.set_cap(w.root, actor=w.rooter, year=2026, cap="50")
    client = login(w.carol)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            answer = client.get(ENTRIES)
        assert answer.status_code == 200
        return len(ctx.captured_queries)

    for n in range(2):
        _register(w, f"检查{n}", [w.branch_a, w.branch_b])
    few = queries()
    for n in range(2, 20):
        _register(w, f"检查{n}", [w.branch_a] if n % 2 else [w.branch_b])
    assert queries() == few
