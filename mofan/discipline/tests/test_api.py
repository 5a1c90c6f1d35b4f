"""监督执纪 over REST: the same reach as the pages, every read audited, bad input refused."""

from datetime import date

import pytest

from mofan.audit.models import AuditEvent
from mofan.discipline import reports, services
from mofan.discipline.choices import REPORT_ITEMS
from mofan.orgs.models import Person

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_the_api_runs_a_lead_to_its_result_within_the_same_reach(dworld, client, login):
    w = dworld
    login(w.qian)
    made = client.post("/api/discipline-leads/", {
        "org": w.organ.pk, "source": "petition", "received_on": "2026-11-02",
        "subject": w.alice_p.pk, "allegation": "反映其违规收受下属单位购物卡。"}, content_type=JSON)  # fmt: skip
    assert made.status_code == 201, made.content
    lead = made.json()
    assert lead["code"] == "2026-0001" and lead["subject_name"] == "张三"
    url = f"/api/discipline-leads/{lead['id']}/"
    wrong = client.post(f"{url}conclude/", {"version": 1, "measure": "criticism", "result": "批评教育。",
                                            "on": "2026-11-20"}, content_type=JSON)  # fmt: skip
    assert wrong.status_code == 400 and "不能登记办理结果" in wrong.json()["detail"]
    reviewed = client.post(f"{url}review/", {
        "version": 1, "held_on": "2026-11-06", "participants": [w.qian_p.pk, w.sun_p.pk],
        "disposition": "talk", "talk_way": "letter", "reason": "经集体排查决定函询。"}, content_type=JSON)  # fmt: skip
    assert reviewed.json()["state"] == "talking"
    sent = client.post(f"{url}step/", {"version": 2, "kind": "letter_sent", "on": "2026-11-09",
                                       "text": "发出函询通知书。"}, content_type=JSON)  # fmt: skip
    assert sent.json()["due_on"] == "2026-11-30"
    client.post(f"{url}step/", {"version": 3, "kind": "reply", "on": "2026-11-16",
                                "text": "本人书面回复说明。"}, content_type=JSON)  # fmt: skip
    done = client.post(f"{url}conclude/", {"version": 4, "measure": "self_check", "on": "2026-11-20",
                                           "result": "责令作出书面检查。"}, content_type=JSON)  # fmt: skip
    assert (done.json()["form"], done.json()["state"]) == (1, "concluded")
    stats = client.get(
        "/api/discipline-leads/statistics/", {"org": w.organ.pk, "year": 2026}
    ).json()
    assert stats["forms"]["第一种形态"] == 1 and stats["shares"]["第一种形态"] == 100.0
    listed = client.get(
        "/api/discipline-leads/", {"source": "petition", "state": "concluded"}
    ).json()
    assert [row["id"] for row in listed["results"]] == [lead["id"]]
    assert AuditEvent.objects.filter(
        action="discipline.lead.viewed", object_id=str(lead["id"])
    ).exists()
    # The person concerned, the root's officer, others: nothing.
    from mofan.access.models import RoleAssignment

    RoleAssignment.objects.create(user=w.alice, role="discipline_officer", org=w.organ)
    for user in (w.alice, w.feng, w.carol, w.amy):
        login(user)
        assert client.get(url).status_code == 404
        assert client.get("/api/discipline-leads/").json()["results"] == []
        assert client.post(f"{url}step/", {"version": 5, "kind": "reply", "on": "2026-11-16",
                                           "text": "回复内容内容。"}, content_type=JSON).status_code == 404  # fmt: skip
    login(w.amy)
    assert client.get("/api/discipline-leads/statistics/").status_code == 404


def test_the_api_keeps_reports_to_their_owner_and_the_officers(dworld, client, login):
    w = dworld
    Person.objects.filter(pk__in=[w.alice_p.pk, w.bob_p.pk]).update(rank="二级调研员")
    round_ = reports.open_round(w.organ, actor=w.qian, year=2026, ranks=["二级调研员"])
    mine = round_.reports.get(person=w.alice_p)
    login(w.alice)
    assert [r["id"] for r in client.get("/api/discipline-reports/").json()["results"]] == [mine.pk]
    answers = {key: "无" for key, _ in REPORT_ITEMS}
    bad = client.post(f"/api/discipline-reports/{mine.pk}/submit/", {"version": 1, "items": {"x": "1"}},
                      content_type=JSON)  # fmt: skip
    assert bad.status_code == 400 and "不认识" in bad.json()["detail"]
    ok = client.post(f"/api/discipline-reports/{mine.pk}/submit/", {"version": 1, "items": answers},
                     content_type=JSON)  # fmt: skip
    assert ok.status_code == 200 and ok.json()["items"]["marriage"] == "无"
    other = round_.reports.get(person=w.bob_p)
    assert client.get(f"/api/discipline-reports/{other.pk}/").status_code == 404
    login(w.qian)
    drawn = client.post(f"/api/discipline-report-rounds/{round_.pk}/draw/", {"share": 100, "seed": "s1"},
                        content_type=JSON).json()  # fmt: skip
    assert drawn["drawn"] == [mine.pk] and drawn["reproduced"] is True
    (check,) = client.get("/api/discipline-checks/").json()["results"]
    result = client.post(f"/api/discipline-checks/{check['id']}/conclude/",
                         {"outcome": "true", "on": "2026-11-20"}, content_type=JSON)  # fmt: skip
    assert result.json()["outcome"] == "true"
    login(w.feng)
    assert client.get(f"/api/discipline-report-rounds/{round_.pk}/").status_code == 404
    assert client.get(f"/api/discipline-reports/{mine.pk}/").status_code == 404
    assert services.is_officer(w.qian, w.organ.pk) and not services.is_officer(w.feng, w.organ.pk)
    assert date(2027, 1, 31) == round_.due_on
