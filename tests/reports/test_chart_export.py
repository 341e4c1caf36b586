"""The chart exporter: the plotly.js bundle it loads into Chromium, and the SVG tidying
that makes a chart cheaper for WeasyPrint to draw."""

import re

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs_version

from reports.chart_export import (
    PLOTLY_BASIC,
    chromium_version,
    get_exporter,
    plotlyjs_version,
    tidy_svg,
)

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
    ' width="10" height="10" style="">'
    '<g class="empty"/><g class="outer"><g class="inner"></g></g>'
    '<g id="kept-for-references"/>'
    '<rect width="10" height="10" fill="black"'
    ' style="fill: rgb(29, 112, 184); fill-opacity: 1; -webkit-x: 1;"/>'
    '<text x="1" y="9" style="font-family: Arial, \'Liberation Sans\', sans-serif;'
    ' white-space: pre;">5 &lt; 6</text>'
    "</svg>"
)


def test_the_vendored_basic_bundle_is_the_plotly_js_that_plotly_py_ships():
    header = PLOTLY_BASIC.read_text(encoding="utf-8")[:200]
    assert "plotly.js (basic - minified)" in header
    assert re.search(r"v(\d+\.\d+\.\d+)", header).group(1) == get_plotlyjs_version()


def test_tidying_spells_styles_out_as_attributes_and_drops_empty_groups():
    assert tidy_svg(SVG) == (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<g id="kept-for-references" />'
        '<rect width="10" height="10" fill="rgb(29, 112, 184)" fill-opacity="1" />'
        '<text x="1" y="9" font-family="Arial, \'Liberation Sans\', sans-serif"'
        ' white-space="pre">5 &lt; 6</text>'
        "</svg>"
    )


def test_the_process_browser_draws_bars_and_lines_with_the_basic_bundle():
    figure = go.Figure(
        [
            go.Bar(x=["Chorley", "South Ribble"], y=[7158, 6983], name="2017/18"),
            go.Scatter(x=["Chorley", "South Ribble"], y=[6000, 5800], name="2016/17"),
        ]
    )
    svg = get_exporter().export_svg(figure, width=400, height=200)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'width="400" height="200"' in svg
    assert svg.count('class="trace bars"') == 1
    assert svg.count('class="trace scatter') == 1
    assert ">South Ribble</text>" in svg
    assert "style=" not in svg


def test_the_chromium_version_is_what_the_browser_says_or_not_available(tmp_path):
    assert chromium_version("/usr/bin/chromium").startswith("Chromium ")
    assert chromium_version(str(tmp_path / "no-chromium")) == "not available"
    assert plotlyjs_version(PLOTLY_BASIC) == get_plotlyjs_version()
    assert plotlyjs_version(tmp_path / "missing.js") == "not found"


def test_a_png_for_word_is_drawn_at_twice_the_size_and_cached_apart_from_the_svg():
    import struct

    figure = go.Figure([go.Bar(x=["Chorley", "South Ribble"], y=[7158, 6983], name="2017/18")])
    exporter = get_exporter()
    exporter.clear_cache()
    png = exporter.export_png(figure, width=400, height=200)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    # The IHDR chunk's width and height, in pixels.
    assert struct.unpack(">II", png[16:24]) == (800, 400)
    drawn = exporter.charts_drawn
    assert exporter.export_png(figure, width=400, height=200) == png
    assert exporter.charts_drawn == drawn
    # The same figure as SVG is a picture of its own, not the PNG's cache entry.
    assert exporter.export_svg(figure, width=400, height=200).startswith("<svg")
    assert exporter.charts_drawn == drawn + 1
