"""A request id for every request, on the response and in every log line.

A reverse proxy may send ``X-Request-ID`` (nginx: ``$request_id``); when it does and
the value looks like an id, it is kept so that the proxy's access log and the app's
log lines share it. Otherwise a new id is generated. Anything else in the header is
ignored: it would otherwise let a client write arbitrary text into the logs.
"""

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
_ACCEPTABLE = re.compile(r"[A-Za-z0-9._:-]{8,128}")
NO_REQUEST = "-"

_current_request_id: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def current_request_id() -> str:
    """The id of the request being served in this thread, or ``-`` outside one."""
    return _current_request_id.get()


def _request_id_for(request: HttpRequest) -> str:
    offered = request.META.get(_META_KEY, "")
    if _ACCEPTABLE.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Outermost middleware: everything logged while the request is served, the
    error pages included, carries the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _request_id_for(request)
        request.request_id = request_id  # type: ignore[attr-defined]  # for views and logs
        token = _current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current_request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every log record so formats can print ``%(request_id)s``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            request_id = current_request_id()
            if request_id == NO_REQUEST:
                # Django logs some 4xx responses after the middleware has returned,
                # passing the request along with the record.
                request_id = getattr(getattr(record, "request", None), "request_id", NO_REQUEST)
            record.request_id = request_id
        return True
