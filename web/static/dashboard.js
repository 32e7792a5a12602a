/* The dashboard's charts: Chart.js (copied into /static/vendor by `make
 * install`) drawing the figures the page was rendered with (the JSON in
 * #dashboard-data), so the charts and the tables never disagree. */
(function () {
  'use strict';

  var source = document.getElementById('dashboard-data');
  if (!source || typeof window.Chart !== 'function') { return; }
  var data = JSON.parse(source.textContent);
  var RED = '#b3261e';
  var BLUE = '#1a73e8';
  var GREEN = '#1e8e3e';
  var AMBER = '#f9ab00';

  function bar(id, labels, datasets, options) {
    var canvas = document.getElementById(id);
    if (!canvas || !labels.length) {
      if (canvas) { canvas.closest('.chart-box').hidden = true; }
      return;
    }
    new window.Chart(canvas, {
      type: 'bar',
      data: { labels: labels, datasets: datasets },
      options: Object.assign({ responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { position: 'bottom' } } }, options || {})
    });
    canvas.closest('.chart-box').dataset.drawn = 'true';
  }

  var L = data.labels;
  bar('chart-ranking', data.ranked, [{ label: L.score, data: data.scores, backgroundColor: RED }],
    { indexAxis: 'y', scales: { x: { min: 0, max: 100 } } });
  bar('chart-on-time', data.departments, [{ label: L.on_time, data: data.on_time, backgroundColor: GREEN }],
    { scales: { y: { min: 0, max: 100 } } });
  bar('chart-department-times', data.departments, [
    { label: L.median, data: data.median, backgroundColor: BLUE },
    { label: L.p90, data: data.p90, backgroundColor: AMBER }
  ]);
  bar('chart-scenario-times', data.scenarios, [
    { label: L.median, data: data.scenario_median, backgroundColor: BLUE },
    { label: L.p90, data: data.scenario_p90, backgroundColor: AMBER }
  ]);
}());
