"""One plotly.js everywhere: the bundle the pages load is the file the PDF chart exporter
loads into Chromium, at the version plotly.py targets, with the stylesheet of its own
rules that lets it run under the Content Security Policy."""

import hashlib
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.utils import get_app_template_dirs
from plotly.offline import get_plotlyjs_version

from reports.chart_export import PLOTLY_BASIC, plotlyjs_version

STATIC_PLOTLY = re.compile(r"""{% static ['"](vendor/plotly/[^'"]+)['"] %}""")
STYLESHEET_LINK = re.compile(
    r"""<link id="plotly\.js-style-global" class="no-inline-styles" rel="stylesheet" """
    r"""href="{% static 'vendor/plotly/plotly\.css' %}">"""
)


def _templates() -> dict[str, str]:
    dirs = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]] + list(
        get_app_template_dirs("templates")
    )
    return {str(p): p.read_text(encoding="utf-8") for d in dirs for p in sorted(d.rglob("*.html"))}


def _plotly_pages() -> dict[str, set[str]]:
    """Each template that names a file under static/vendor/plotly/, with those files."""
    found = {name: set(STATIC_PLOTLY.findall(text)) for name, text in _templates().items()}
    return {name: files for name, files in found.items() if files}


def test_the_pages_load_one_bundle_and_its_stylesheet():
    pages = _plotly_pages()

    assert sorted(Path(name).name for name in pages) == [
        "dashboard.html",
        "measure_detail.html",
        "public_page.html",  # the public dashboard (publishing)
    ]
    assert {frozenset(files) for files in pages.values()} == {
        frozenset({"vendor/plotly/plotly-basic.min.js", "vendor/plotly/plotly.css"})
    }
    for name in pages:
        assert STYLESHEET_LINK.search(_templates()[name]), name


def test_the_exporter_loads_the_file_the_pages_load():
    served = finders.find("vendor/plotly/plotly-basic.min.js")

    assert served is not None
    assert Path(served).samefile(PLOTLY_BASIC)


def test_the_served_bundle_is_the_version_plotly_py_targets():
    banner = Path(finders.find("vendor/plotly/plotly-basic.min.js")).read_text()[:300]

    assert re.search(r"plotly\.js \(basic - minified\) v(\d+\.\d+\.\d+)", banner)[1] == (
        get_plotlyjs_version()
    )
    assert plotlyjs_version(PLOTLY_BASIC) == get_plotlyjs_version()


def test_static_holds_no_other_plotly_bundle():
    vendored = sorted(p.name for p in PLOTLY_BASIC.parent.iterdir())

    assert vendored == ["LICENSE", "plotly-basic.min.js", "plotly.css"]


def test_the_stylesheet_was_made_from_the_served_bundle():
    bundle = PLOTLY_BASIC.read_bytes()
    header = (PLOTLY_BASIC.parent / "plotly.css").read_text().splitlines()[0]

    # make assets writes it with scripts/plotly-css.mjs; a new bundle needs a new one.
    assert header == (
        f"/* plotly.js v{get_plotlyjs_version()} global rules, from plotly-basic.min.js "
        f"(sha256 {hashlib.sha256(bundle).hexdigest()}) by scripts/plotly-css.mjs. "
        "Do not edit: make assets. */"
    )
