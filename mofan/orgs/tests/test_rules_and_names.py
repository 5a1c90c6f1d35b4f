from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mofan.orgs import names, rules, validation
from mofan.orgs.choices import OrgKind

TODAY = date(2026, 11, 25)


def _codes(**kwargs):
    defaults = {
        "kind": OrgKind.BRANCH,
        "has_committee": True,
        "term_started_on": date(2025, 1, 1),
        "full_members": 10,
        "subtree_members": 10,
        "today": TODAY,
    }
    return {flag.code for flag in rules.flags(**{**defaults, **kwargs})}


def test_branch_needs_three_full_members():
    assert "branch_too_small" in _codes(full_members=2, subtree_members=5)
    assert "branch_too_small" not in _codes(full_members=3, subtree_members=3)


def test_branch_of_seven_full_members_needs_a_committee():
    assert "committee_required" in _codes(full_members=7, has_committee=False)
    assert "committee_required" not in _codes(full_members=6, has_committee=False)
    assert "committee_required" not in _codes(full_members=7, has_committee=True)


def test_branch_over_fifty_is_flagged():
    assert "branch_too_large" in _codes(full_members=51, subtree_members=51)
    assert "branch_too_large" not in _codes(full_members=50, subtree_members=50)


def test_general_branch_between_fifty_and_hundred():
    assert "general_branch_size" in _codes(kind=OrgKind.GENERAL_BRANCH, subtree_members=49)
    assert "general_branch_size" not in _codes(kind=OrgKind.GENERAL_BRANCH, subtree_members=50)
    assert "general_branch_size" not in _codes(kind=OrgKind.GENERAL_BRANCH, subtree_members=100)
    assert "general_branch_size" in _codes(kind=OrgKind.GENERAL_BRANCH, subtree_members=101)


def test_grassroots_committee_from_a_hundred():
    assert "committee_size" in _codes(kind=OrgKind.COMMITTEE, subtree_members=99)
    assert "committee_size" not in _codes(kind=OrgKind.COMMITTEE, subtree_members=100)


@pytest.mark.parametrize(
    ("kind", "started", "expired"),
    [
        (OrgKind.BRANCH, date(2023, 11, 25), True),
        (OrgKind.BRANCH, date(2023, 11, 26), False),
        (OrgKind.GENERAL_BRANCH, date(2023, 1, 1), True),
        (OrgKind.COMMITTEE, date(2022, 1, 1), False),
        (OrgKind.COMMITTEE, date(2021, 11, 25), True),
    ],
)
def test_term_expiry(kind, started, expired):
    found = _codes(
        kind=kind, term_started_on=started, subtree_members=120 if kind == OrgKind.COMMITTEE else 60
    )
    assert ("term_expired" in found) is expired


def test_dissolved_org_has_no_flags():
    assert _codes(full_members=0, dissolved=True) == set()


@pytest.mark.parametrize(
    ("kind", "parent", "ok"),
    [
        (OrgKind.GROUP, OrgKind.BRANCH, True),
        (OrgKind.GROUP, OrgKind.GENERAL_BRANCH, False),
        (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, True),
        (OrgKind.BRANCH, None, False),
        (OrgKind.COMMITTEE, None, True),
        (OrgKind.GENERAL_BRANCH, OrgKind.BRANCH, False),
    ],
)
def test_which_kind_may_sit_under_which(kind, parent, ok):
    assert (rules.parent_error(kind, parent) is None) is ok


def test_pinyin_and_initials():
    assert names.pinyin("张三") == "zhangsan"
    assert names.initials("张三") == "zs"


def test_surname_stroke_order_is_count_then_strokes():
    # 王 (4) < 刘 (6) < 李 (7, first stroke 横) < 张 (7, first stroke 折) < 陈 (7, 折 ...)
    ordered = sorted(["张伟", "李明", "王芳", "刘洋"], key=names.stroke_key)
    assert ordered == ["王芳", "刘洋", "李明", "张伟"]


def test_one_character_surname_before_same_surname_with_longer_name():
    assert names.stroke_key("王一") < names.stroke_key("王一一")


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("11010519491231002X", True),
        ("110105194912310021", False),
        ("1101051949123100", False),
        ("", False),
    ],
)
def test_id_number_checksum(number, ok):
    assert (validation.id_number_error(number) is None) is ok


def test_id_number_must_agree_with_birth_date_and_gender():
    errors = validation.person_errors(
        id_number="11010519491231002X", birth_date=date(1950, 1, 1), gender="M"
    )
    assert set(errors) == {"birth_date", "gender"}
    assert (
        validation.person_errors(
            id_number="11010519491231002X", birth_date=date(1949, 12, 31), gender="F"
        )
        == {}
    )


def test_membership_dates_must_be_coherent():
    birth = date(1990, 1, 1)
    assert "joined_on" in validation.membership_errors(
        kind="full", joined_on=date(2007, 1, 1), confirmed_on=date(2008, 1, 1), birth_date=birth
    )
    assert "confirmed_on" in validation.membership_errors(
        kind="full", joined_on=date(2012, 1, 1), confirmed_on=None, birth_date=birth
    )
    assert "confirmed_on" in validation.membership_errors(
        kind="full", joined_on=date(2012, 1, 1), confirmed_on=date(2011, 1, 1), birth_date=birth
    )
    assert "confirmed_on" in validation.membership_errors(
        kind="probationary",
        joined_on=date(2026, 1, 1),
        confirmed_on=date(2026, 6, 1),
        birth_date=birth,
    )
    assert (
        validation.membership_errors(
            kind="full", joined_on=date(2012, 1, 1), confirmed_on=date(2013, 1, 1), birth_date=birth
        )
        == {}
    )


@given(st.text(alphabet="王李张刘陈欧阳司马一二三伟芳", min_size=1, max_size=4))
def test_stroke_key_is_a_total_order_consistent_with_strings(name):
    key = names.stroke_key(name)
    assert key == names.stroke_key(name)
    assert len(key) == 34 * len(name)
