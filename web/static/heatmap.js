/* The heat map: each diagram of a process version (bpmn-js through
 * bpmnview.js, like the case map) with every user task coloured by the
 * median time its work items waited, and a badge with the figures, from
 * /dashboard/heatmap/<version>.json. */
(function () {
  'use strict';

  var section = document.getElementById('heatmap');
  if (!section) { return; }
  var canvasEl = section.querySelector('.casemap-canvas');
  var select = section.querySelector('.casemap-select');
  if (!canvasEl || !select) { return; }
  if (typeof window.BpmnJS !== 'function' || !window.OneWindowBpmn) {
    canvasEl.querySelector('.casemap-status').textContent = canvasEl.dataset.error;
    return;
  }

  var shown = null;
  var view = window.OneWindowBpmn.attach(section, canvasEl, function () { if (shown) { view.fit(); } });
  var byKey = {};
  var text = canvasEl.dataset;

  function hours(seconds) { return (seconds / 3600).toFixed(1); }

  function paint(diagram) {
    var registry = view.viewer.get('elementRegistry');
    var canvas = view.viewer.get('canvas');
    var overlays = view.viewer.get('overlays');
    Object.keys(diagram.tasks).forEach(function (id) {
      if (!registry.get(id)) { return; }
      var figures = diagram.tasks[id];
      canvas.addMarker(id, 'hm-' + figures.level);
      var badge = document.createElement('div');
      badge.className = 'hm-badge hm-' + figures.level;
      badge.textContent = text.median + ' ' + hours(figures.median_seconds) + ' ' + text.hours;
      badge.title = text.median + ' ' + hours(figures.median_seconds) + ' · ' + text.mean + ' ' +
        hours(figures.mean_seconds) + ' ' + text.hours + ' · ' + figures.count + ' ' + text.count;
      overlays.add(id, 'heat', { position: { top: -22, left: 0 }, html: badge });
    });
  }

  function show(key) {
    var diagram = byKey[key];
    if (!diagram) { return; }
    shown = diagram;
    select.value = key;
    view.status(text.loading);
    view.viewer.importXML(diagram.xml).then(function () {
      view.status('');
      view.fit();
      paint(diagram);
      section.dataset.painted = Object.keys(diagram.tasks).length;
    }).catch(function (err) {
      view.status(text.error);
      if (window.console) { window.console.error(err); }
    });
  }

  select.addEventListener('change', function () { show(select.value); });

  fetch(canvasEl.dataset.src, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then(function (response) {
      if (!response.ok) { throw new Error('HTTP ' + response.status); }
      return response.json();
    })
    .then(function (json) {
      select.innerHTML = '';
      json.diagrams.forEach(function (d) {
        byKey[d.key] = d;
        var option = document.createElement('option');
        option.value = d.key;
        option.textContent = d.name;
        select.appendChild(option);
      });
      if (json.diagrams.length) { show(json.diagrams[0].key); } else { view.status(''); }
    })
    .catch(function (err) {
      view.status(text.error);
      if (window.console) { window.console.error(err); }
    });
}());
