"""API plumbing shared by every app: Chinese error answers."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from mofan.core.errors import UserFacingError

NOT_FOUND = "未找到该记录。"


def exception_handler(exc, context):
    if isinstance(exc, UserFacingError):
        return Response({"detail": exc.message}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        return Response({"detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404 | exceptions.NotFound):
        return Response({"detail": NOT_FOUND}, status=status.HTTP_404_NOT_FOUND)
    return drf_exception_handler(exc, context)
