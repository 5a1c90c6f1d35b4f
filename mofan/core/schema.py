"""The OpenAPI schema says what the API really answers: besides each operation's success, the
errors every endpoint can give (401 without valid credentials, 403 refused by the login policy or
a role, 404 outside the user's scope or missing, 400 for bad input, 409 for a conflict with the
stored state), each in the shape mofan.core.api.exception_handler gives it."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

_DETAIL = {"type": "string", "description": "说明（中文）"}
ERROR = {"type": "object", "properties": {"detail": _DETAIL}, "required": ["detail"]}
VALIDATION_ERROR = {
    "type": "object",
    "description": "按字段列出的错误（字段名：错误说明列表），或 detail",
    "properties": {"detail": {"oneOf": [_DETAIL, {"type": "array", "items": _DETAIL}]}},
    "additionalProperties": {},
}
CONFLICT = {
    "type": "object",
    "properties": {
        "detail": _DETAIL,
        "current": {"type": "object", "description": "当前保存的记录（修改冲突时）"},
    },
    "required": ["detail"],
}
_WRITES = ("POST", "PUT", "PATCH")


class MofanAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = {
            "401": (ERROR, "未登录或令牌无效"),
            "403": (ERROR, "无权操作，或须先修改密码、完成双因素认证"),
            "404": (ERROR, "未找到该记录（或不在管辖范围内）"),
        }
        if self.method in _WRITES or self._takes_query_parameters():
            errors["400"] = (VALIDATION_ERROR, "输入有误")
        if self.method in _WRITES:
            errors["409"] = (CONFLICT, "与当前状态冲突（状态不允许、版本已变）")
        for code, (schema, description) in errors.items():
            if code not in responses:
                answer = OpenApiResponse(response=schema, description=description)
                responses[code] = self._get_response_for_code(answer, code, direction=direction)
        return dict(sorted(responses.items()))

    def _takes_query_parameters(self) -> bool:
        if self._is_list_view() and self.method == "GET":
            return True
        return any(
            getattr(parameter, "location", None) == "query"
            for parameter in self.get_override_parameters()
        )
