"""The request a service function runs in, so audit records get the source address without
threading the request through every call. Commands and jobs run with no request: address empty."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    source_address: str = ""
    user_agent: str = ""


_EMPTY = RequestContext()
_current: ContextVar[RequestContext] = ContextVar("mofan_request_context", default=_EMPTY)  # noqa: B039 (frozen)


def current() -> RequestContext:
    return _current.get()


def bind(context: RequestContext):
    return _current.set(context)


def reset(token) -> None:
    _current.reset(token)


def client_address(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it,
    # and the production proxy is configured to set REMOTE_ADDR through gunicorn's forwarded-allow-ips.
    return request.META.get("REMOTE_ADDR", "")
