// Draws the dashboard's plotly charts from their JSON data islands
// (<script type="application/json" id="chart-data-...">), which the server built
// with reports/charts.py. Without this file (or without JavaScript) the page shows
// each chart's data table instead, so nothing depends on it.
(function () {
  "use strict";

  function draw(plot) {
    var source = document.getElementById(plot.getAttribute("data-chart-source"));
    if (!source || !window.Plotly) {
      return;
    }
    var figure;
    try {
      figure = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    plot.hidden = false;
    var config = {
      displayModeBar: false,
      responsive: true,
      displaylogo: false,
      // Scrolling the page must not zoom the chart.
      scrollZoom: false
    };
    window.Plotly.newPlot(plot, figure.data || [], figure.layout || {}, config).then(function () {
      // The chart is drawn: fold its data table away (one click opens it again).
      var details = plot.parentNode.querySelector("details.app-chart__table");
      if (details) {
        details.open = false;
      }
    });
  }

  // A chart in a closed section is drawn when the section opens: plotly sizes a
  // chart from its box, which a closed section does not have.
  function drawWhenShown(plot) {
    var section = plot.closest("details:not([open])");
    if (!section) {
      draw(plot);
      return;
    }
    section.addEventListener("toggle", function opened() {
      if (section.open) {
        section.removeEventListener("toggle", opened);
        drawWhenShown(plot);
      }
    });
  }

  function init() {
    var plots = document.querySelectorAll("[data-chart-source]");
    for (var i = 0; i < plots.length; i++) {
      drawWhenShown(plots[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
