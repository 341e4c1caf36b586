"""Error pages in the GOV.UK style, wired up as the ``handler4xx/500`` of the root URLconf.

400, 403 and 404 are Django's own views with our templates. The 500 page is rendered
from a plain context, without context processors, the session or the database: the
error being reported may be that the database is down. It shows the request id so
that a user can quote it and an operator can find the logged stack trace; it never
shows the exception or any setting.
"""

import logging

from django.http import HttpRequest, HttpResponseServerError
from django.template import loader
from django.utils.html import escape
from django.views.decorators.csrf import requires_csrf_token

from cspportal.middleware import current_request_id

logger = logging.getLogger(__name__)

_FALLBACK = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
    "<title>Sorry, there is a problem with the service - CSP Portal</title></head>"
    "<body><h1>Sorry, there is a problem with the service</h1><p>Try again later.</p>"
    "<p>Reference: {reference}</p></body></html>"
)


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponseServerError:
    request_id = current_request_id()
    try:
        body = loader.get_template(template_name).render({"request_id": request_id})
    except Exception:
        # A broken static manifest or template must not turn a 500 page into no page.
        logger.exception("The 500 page itself could not be rendered.")
        body = _FALLBACK.format(reference=escape(request_id))
    return HttpResponseServerError(body)
