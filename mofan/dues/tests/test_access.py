"""Need-to-know for 党费: persona × page/endpoint × expected status over branch A's dues. Amounts
are for the member, the collector, the secretary and the org admins — not for leaders,
supervisors or another branch — and a refused write changes nothing."""

from datetime import date

import pytest
from django.urls import reverse
from time_machine import travel

from mofan.dues import services
from mofan.dues.models import DuesBase, DuesPayment


@pytest.fixture
def paid(dues_world):
    return services.record_payment(
        dues_world.amy_p, actor=None, month=date(2026, 11, 1), paid_on=date(2026, 11, 20),
        method="cash", today=date(2026, 12, 2),
    )  # fmt: skip


def _pages(w):
    a, amy = w.branch_a.pk, w.amy_p.pk
    return {
        "org": reverse("dues:org", args=[a]),
        "export": reverse("dues:org_export", args=[a, 2026, 11]),
        "member": reverse("dues:member", args=[amy]),
        "api_payments": f"/api/dues-payments/?person={amy}",
        "api_payment": None,  # filled in with the payment's id
        "api_statement": f"/api/dues-statement/?org={a}&month=2026-11",
    }


EXPECTED = {
    # persona: org, export, member, api payments (rows seen), api payment, api statement
    "alice": (200, 200, 200, 1, 200, 200),  # secretary of branch A
    "cora": (200, 200, 200, 1, 200, 200),  # its 党费收缴员
    "carol": (200, 200, 200, 1, 200, 200),  # org admin of the organ committee above
    "amy": (404, 404, 404, 1, 200, 404),  # the member: her own payments, through the API too
    "bob": (404, 404, 404, 0, 404, 404),  # secretary of branch B
    "sam": (404, 404, 404, 0, 404, 404),  # supervisor over the tree: reads records, not dues
    "una": (404, 404, 404, 0, 404, 404),  # leader of a unit
    "auditor": (404, 404, 404, 0, 404, 404),
    "sysadmin": (404, 404, 404, 0, 404, 404),
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_permission_matrix(dues_world, paid, login, persona):
    client = login(getattr(dues_world, persona))
    pages = _pages(dues_world)
    pages["api_payment"] = f"/api/dues-payments/{paid.pk}/"
    got = []
    with travel("2026-12-02 10:00:00+08:00", tick=False):
        for key, url in pages.items():
            response = client.get(url)
            if key == "api_payments":
                assert response.status_code == 200
                got.append(response.json()["count"])
            else:
                got.append(response.status_code)
    assert tuple(got) == EXPECTED[persona]


@pytest.mark.parametrize("persona", ["bob", "sam", "amy", "una"])
def test_others_cannot_record_or_correct_branch_a_dues(dues_world, paid, login, persona):
    client = login(getattr(dues_world, persona))
    amy = dues_world.amy_p.pk
    with travel("2026-12-02 10:00:00+08:00", tick=False):
        responses = [
            client.post(
                reverse("dues:org", args=[dues_world.branch_a.pk]),
                {"person": amy, "month": "2026-10", "paid_on": "2026-12-01", "method": "cash"},
            ),
            client.post(
                reverse("dues:member", args=[amy]),
                {
                    "action": "base",
                    "starts_on": "2026-01",
                    "category": "salaried",
                    "monthly_income": "100",
                },
            ),  # fmt: skip
            client.post(
                reverse("dues:member", args=[amy]),
                {"action": "cancel", "payment": paid.pk, "reason": "试图撤销"},
            ),
            client.post(
                "/api/dues-payments/",
                {"person": amy, "month": "2026-10", "paid_on": "2026-12-01", "method": "cash"},
                content_type="application/json",
            ),
        ]
    assert [r.status_code for r in responses[:3]] == [404, 404, 404]
    assert responses[3].status_code in (400, 403, 404)
    assert list(DuesPayment.objects.values_list("month", flat=True)) == [date(2026, 11, 1)]
    assert DuesBase.objects.get(person_id=amy).monthly_income == 5000


def test_a_collector_cannot_pay_for_a_member_of_another_branch_through_her_own_page(
    dues_world, login
):
    client = login(dues_world.cora)
    with travel("2026-12-02 10:00:00+08:00", tick=False):
        response = client.post(
            reverse("dues:org", args=[dues_world.branch_a.pk]),
            {"person": dues_world.bob_p.pk, "month": "2026-11", "amount": "10",
             "paid_on": "2026-12-01", "method": "cash"},
        )  # fmt: skip
    assert response.status_code == 404
    assert not DuesPayment.objects.exists()
