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
