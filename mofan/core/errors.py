"""Errors a user may see: each carries a Chinese message and maps to a 4xx answer."""


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


def text_input(value, label: str, *, required: bool, longest: int, shortest: int = 1) -> str:
    """Submitted text, stripped: refused in Chinese when required and shorter than `shortest`
    characters, or longer than `longest`."""
    text = (value or "").strip()
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
    if version is not None and not (text.isascii() and text.isdigit()):
        raise InvalidInput("版本号有误，请刷新页面后重试。")
