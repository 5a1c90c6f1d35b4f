"""API plumbing shared by every app: Chinese error answers."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from mofan.core.errors import UserFacingError
from mofan.core.views_base import FirstPageFirst

NOT_FOUND = "未找到该记录。"
# The bounds of an id in a filter or a body: past them a database cannot even compare the value
# (SQLite: "int too large"), which must be a 400, not a 500.
ID_BOUNDS = {"min_value": 1, "max_value": 2**63 - 1}


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AnyFile(JSONRenderer):
    """For the actions that answer with a file: a client that asks for the file's own type
    (Accept: a Word type, say) is not refused with 406. The file itself is a Django response that
    DRF passes through unrendered; an error answer is still JSON."""

    media_type = "*/*"
    format = "file"


DOWNLOAD_RENDERERS = [JSONRenderer, AnyFile]
# The parsers of an action that takes a file as well as fields (JSON without the file).
WITH_FILE = [JSONParser, MultiPartParser, FormParser]


def file_body(serializer_class) -> dict:
    """extend_schema's request of an action that takes a file: JSON or multipart."""
    return {"application/json": serializer_class, "multipart/form-data": serializer_class}


def download_schema(media_type: str = "application/octet-stream") -> dict:
    """extend_schema's responses for an action that answers with a file of `media_type`."""
    from drf_spectacular.types import OpenApiTypes

    return {(200, media_type): OpenApiTypes.BINARY}


class Pages(PageNumberPagination):
    """DRF's page-number pagination (settings: DEFAULT_PAGINATION_CLASS), reading the first page
    before counting it (FirstPageFirst)."""

    django_paginator_class = FirstPageFirst


def too_large_message() -> str:
    """What a request too large to read is told, pages and API alike (answered with a 413)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    size = f"{limit / 1024 / 1024:.1f} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    characters = limit // 3  # a Chinese character is three bytes in UTF-8
    words = f"{characters // 10000} 万字" if characters >= 10000 else f"{characters} 字"
    return (
        f"提交的内容超过 {size}（约 {words}），没有保存。"
        "很长的文件请以文件上传（不超过 20 MB），不要粘贴正文。"
    )


def exception_handler(exc, context):
    if isinstance(exc, UserFacingError):
        return Response({"detail": exc.message}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        return Response({"detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404 | exceptions.NotFound):
        return Response({"detail": NOT_FOUND}, status=status.HTTP_404_NOT_FOUND)
    # What Django and DRF answer in English whatever the language (their text is built from
    # untranslated parts): said in Chinese, with what to do.
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        return Response(
            {
                "detail": "请求未通过跨站请求伪造（CSRF）校验：请刷新页面后重试；程序调用请使用接口令牌。"
            },
            status=status.HTTP_403_FORBIDDEN,
        )
    if isinstance(exc, exceptions.ParseError):
        return Response(
            {"detail": "请求内容无法解析：请发送格式正确的 JSON 或表单数据。"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": too_large_message()}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        )
    if isinstance(exc, TooManyFieldsSent):
        return Response(
            {"detail": f"请求中的字段过多（最多 {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} 项）。"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)
