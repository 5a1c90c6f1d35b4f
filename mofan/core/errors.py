"""Errors a user may see: each carries a Chinese message and maps to a 4xx answer."""

import re


class UserFacingError(Exception):
    default_message = "操作无法完成。"
    status_code = 400

    def __init__(self, message: str | None = None):
        self.message = message or self.default_message
        super().__init__(self.message)


class InvalidInput(UserFacingError):
    default_message = "输入有误。"


class StaleEdit(UserFacingError):
    default_message = "该记录已被他人修改，请刷新后重试。"
    status_code = 409


# Characters no document may hold (XML 1.0 refuses them: a Word export of the text would fail)
# and no person types: the C0 controls but tab and line breaks, DEL, and the two non-characters.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def text_input(value, label: str, *, required: bool, longest: int, shortest: int = 1) -> str:
    """Submitted text, stripped: refused in Chinese when required and shorter than `shortest`
    characters, longer than `longest`, or holding control characters."""
    # Word's manual line and page breaks come along when text is pasted: they are line breaks.
    text = (value or "").replace("\x0b", "\n").replace("\x0c", "\n").strip()
    if CONTROLS.search(text):
        raise InvalidInput(f"{label}含有不可见的控制字符，请删除后重新填写。")
    if required and len(text) < shortest:
        raise InvalidInput(
            f"请填写{label}（至少{shortest}个字）。" if shortest > 1 else f"请填写{label}。"
        )
    if len(text) > longest:
        raise InvalidInput(f"{label}不能超过{longest}个字。")
    return text


def check_version(version) -> None:
    """A submitted version number that is no number is bad input (400), not someone else's
    edit (409)."""
    text = "" if version is None else str(version)
    if version is not None and not (text.isascii() and text.isdecimal()):
        raise InvalidInput("版本号有误，请刷新页面后重试。")
