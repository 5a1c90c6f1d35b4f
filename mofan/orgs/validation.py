"""Checks of a person's and a party record's data, shared by forms, the API and the roster import.

Each check returns Chinese messages keyed by field name, so an import can mark the exact cell.
"""

import re
from datetime import date

import phonenumbers
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from mofan.core.masking import mask
from mofan.orgs.choices import MembershipKind


def normalise_id_number(value: str) -> str:
    return (value or "").strip().upper()


def id_number_error(value: str) -> str | None:
    value = normalise_id_number(value)
    if not value:
        return "公民身份号码不能为空。"
    if len(value) != 18 or not value[:17].isdecimal():
        return "公民身份号码应为 18 位（前 17 位为数字，末位为数字或 X）。"
    # Checked part by part rather than with ric.validate(), which also rejects a region code that
    # did not exist in the birth year: IDs issued later carry the code of the issuing county.
    if ric.calc_check_digit(value) != value[17]:
        return "公民身份号码校验位不正确，请核对。"
    try:
        ric.get_birth_date(value)
    except StdnumError:
        return "公民身份号码中的出生日期无效。"
    if not all(props for _, props in numdb.get("cn/loc").info(value[:6])):
        return "公民身份号码中的地址码不存在。"
    return None


def phone_error(value: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        return "手机号码格式不正确。"
    if not phonenumbers.is_valid_number(number):
        return "手机号码格式不正确。"
    return None


def normalise_phone(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    number = phonenumbers.parse(value, "CN")
    return str(number.national_number)


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def person_errors(
    *, id_number: str, birth_date: date | None, gender: str | None, phone: str = ""
) -> dict[str, str]:
    errors: dict[str, str] = {}
    message = id_number_error(id_number)
    if message:
        errors["id_number"] = message
    elif birth_date is not None:
        value = normalise_id_number(id_number)
        if ric.get_birth_date(value) != birth_date:
            errors["birth_date"] = "出生日期与公民身份号码不一致。"
        expected_gender = "M" if int(value[16]) % 2 else "F"
        if gender and gender != expected_gender:
            errors["gender"] = "性别与公民身份号码不一致。"
    if birth_date is not None and birth_date > date.today():
        errors["birth_date"] = "出生日期不能晚于今天。"
    message = phone_error(phone)
    if message:
        errors["phone"] = message
    return errors


def membership_errors(
    *, kind: str, joined_on: date | None, confirmed_on: date | None, birth_date: date | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    today = date.today()
    if joined_on is None:
        errors["joined_on"] = "入党日期不能为空。"
        return errors
    if joined_on > today:
        errors["joined_on"] = "入党日期不能晚于今天。"
    elif birth_date is not None and joined_on < _years_after(birth_date, 18):
        errors["joined_on"] = "入党时应年满十八岁，请核对入党日期和出生日期。"
    if kind == MembershipKind.PROBATIONARY:
        if confirmed_on is not None:
            errors["confirmed_on"] = "预备党员不应填写转正日期。"
    elif kind == MembershipKind.FULL:
        if confirmed_on is None:
            errors["confirmed_on"] = "正式党员须填写转正日期。"
        elif confirmed_on <= joined_on:
            errors["confirmed_on"] = "转正日期应晚于入党日期。"
        elif confirmed_on > today:
            errors["confirmed_on"] = "转正日期不能晚于今天。"
    return errors


# An ID number (18 digits or 17 and X; the 15-digit first generation too) or a mainland mobile
# number (1[3-9] and nine more digits, spaced or dashed 3-4-4), not inside a longer run of digits.
_PERSONAL_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15}|(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2})(?![0-9A-Za-z])"
)


def mask_personal_numbers(text: str) -> str:
    """Every ID number and mobile number in a text masked as lists show them (110***********1234),
    for files that leave the database: error workbooks, exports."""
    return _PERSONAL_NUMBER.sub(lambda match: mask(match.group(0)), text)
