"""gunicorn settings for CSP Portal, read from the app folder (gunicorn looks for
``./gunicorn.conf.py``). Where to listen and how many workers stay on the command
line (docs/deploy.md); options given there win over these."""

# Importing a national police.uk month runs inside the request; keep the proxy's read
# timeout at least this long.
timeout = 120

# Access log on standard output, with the request id the app logs its own lines under.
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'


def post_worker_init(worker) -> None:
    """Start this worker's Chromium (report charts) as soon as the worker is up, and
    keep the collector off the objects of start-up.

    Started on demand, it made the first report preview in each worker take several
    seconds, and its start-up used both cores for a while, slowing every other request
    in flight (benchmarks/load.py). Now that cost is paid before any traffic. Without
    Chromium, previews print each chart's table instead, as before."""
    import gc

    from reports.chart_export import get_exporter

    get_exporter().start_in_background()
    # Import every view now (the URL patterns), and what they use, rather than in the
    # first request. Then Django, pandas, plotly and the app are about 200,000 objects
    # that live as long as the worker: frozen, the cyclic garbage collector stops
    # walking them at every full collection, which otherwise paused a request for
    # over 100 ms now and then (benchmarks/dashboard.py).
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loading the URLconf is the point)
    gc.freeze()
