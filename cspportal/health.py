"""``/healthz``: whether this process can reach its database and its file storage.

For load balancers and monitoring, so it needs no sign-in. It says "ok" or "fail"
for each check and nothing else: no versions, hostnames, error messages or timings,
which would help an attacker more than an operator (the details go to the log, under
the request id).
"""

import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

OK = "ok"
FAIL = "fail"
_PROBE_FOLDER = "healthz"
_PROBE_CONTENT = b"csp-portal health probe"


def database_ok() -> bool:
    """One round trip to the database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database is unreachable.")
        return False


def storage_ok() -> bool:
    """Write, read back and delete a small file in the default (media) storage, the
    same storage that keeps uploaded imports and issued PDFs."""
    storage = storages["default"]
    name = None
    try:
        name = storage.save(f"{_PROBE_FOLDER}/{uuid.uuid4().hex}.txt", ContentFile(_PROBE_CONTENT))
        with storage.open(name, "rb") as probe:
            return probe.read() == _PROBE_CONTENT
    except Exception:
        logger.exception("Health check: the file storage cannot be written or read.")
        return False
    finally:
        if name is not None:
            try:
                storage.delete(name)
            except Exception:
                logger.exception("Health check: could not delete the probe file %s.", name)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": OK if database_ok() else FAIL,
        "storage": OK if storage_ok() else FAIL,
    }
    healthy = all(result == OK for result in checks.values())
    return JsonResponse(
        {"status": OK if healthy else FAIL, "checks": checks}, status=200 if healthy else 503
    )
