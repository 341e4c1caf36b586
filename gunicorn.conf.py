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
    """Start this worker's Chromium (report charts) as soon as the worker is up.

    Started on demand, it made the first report preview in each worker take several
    seconds, and its start-up used both cores for a while, slowing every other request
    in flight (benchmarks/load.py). Now that cost is paid before any traffic. Without
    Chromium, previews print each chart's table instead, as before."""
    from reports.chart_export import get_exporter

    get_exporter().start_in_background()
