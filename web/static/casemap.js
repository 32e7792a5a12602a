/* The case map: draws the case's process with bpmn-js (NavigatedViewer,
 * copied into /static/vendor by `make install`) from /cases/<id>/map.json and
 * marks what is done, open and overdue. A select (or a click on a call
 * activity) switches to a called block's own diagram. Plain ES2015, no build. */
(function () {
  'use strict';

  var section = document.getElementById('casemap');
  if (!section) { return; }
  var canvasEl = section.querySelector('.casemap-canvas');
  var select = section.querySelector('.casemap-select');
  if (!canvasEl || !select) { return; }

  if (typeof window.BpmnJS !== 'function' || !window.OneWindowBpmn) {
    canvasEl.querySelector('.casemap-status').textContent = canvasEl.dataset.error;
    return;
  }

  var shown = null;
  // The viewer, its status line, sizing and zoom buttons: bpmnview.js.
  var view = window.OneWindowBpmn.attach(section, canvasEl, function () { if (shown) { view.fit(); } });
  var viewer = view.viewer;
  var status = view.status;
  var fit = view.fit;
  var data = null;
  var byKey = {};
  // Strongest first: an element run before (a loop) and open again shows as open.
  var STATES = ['overdue', 'active', 'completed'];

  function diagramOf(taskId) {
    for (var i = 0; i < data.diagrams.length; i++) {
      if (taskId && data.diagrams[i].tasks[taskId]) { return data.diagrams[i]; }
    }
    return null;
  }

  function fillSelect() {
    select.innerHTML = '';
    data.diagrams.forEach(function (d) {
      var option = document.createElement('option');
      option.value = d.key;
      option.textContent = (d.parent ? '└ ' : '') + d.name;
      select.appendChild(option);
    });
  }

  function mark(diagram) {
    var registry = viewer.get('elementRegistry');
    var canvas = viewer.get('canvas');
    var overlays = viewer.get('overlays');
    var done = {};
    STATES.forEach(function (state) {
      diagram[state].forEach(function (id) {
        if (done[id] || !registry.get(id)) { return; }
        done[id] = true;
        canvas.addMarker(id, 'cm-' + state);
      });
    });
    var focus = canvasEl.dataset.focus;
    if (focus && diagram.tasks[focus] && registry.get(diagram.tasks[focus])) {
      canvas.addMarker(diagram.tasks[focus], 'cm-focus');
    }
    Object.keys(diagram.calls).forEach(function (id) {
      if (!registry.get(id)) { return; }
      canvas.addMarker(id, 'cm-link');
      var keys = diagram.calls[id];
      var badge = document.createElement('button');
      badge.type = 'button';
      badge.className = 'cm-open';
      badge.textContent = '↘';
      badge.title = canvasEl.dataset.openBlock;
      badge.addEventListener('click', function () { show(keys[keys.length - 1]); });
      overlays.add(id, { position: { bottom: 14, right: 14 }, html: badge });
    });
  }

  function show(key) {
    var diagram = byKey[key];
    if (!diagram) { return; }
    var process = data.processes[diagram.process];
    if (!process || !process.xml) {
      status(canvasEl.dataset.error);
      return;
    }
    shown = diagram;
    select.value = key;
    status(canvasEl.dataset.loading);
    viewer.importXML(process.xml).then(function () {
      status('');
      fit();
      mark(diagram);
      if (up) { up.hidden = !diagram.parent; }
    }).catch(function (err) {
      status(canvasEl.dataset.error);
      if (window.console) { window.console.error(err); }
    });
  }

  viewer.get('eventBus').on('element.click', function (event) {
    var calls = shown && shown.calls[event.element.id];
    if (calls && calls.length) { show(calls[calls.length - 1]); }
  });

  select.addEventListener('change', function () { show(select.value); });

  var up = section.querySelector('.casemap-up');
  if (up) {
    up.addEventListener('click', function () {
      if (shown && shown.parent) { show(shown.parent); }
    });
  }

  fetch(canvasEl.dataset.src, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then(function (response) {
      if (!response.ok) { throw new Error('HTTP ' + response.status); }
      return response.json();
    })
    .then(function (json) {
      data = json;
      data.diagrams.forEach(function (d) { byKey[d.key] = d; });
      fillSelect();
      var first = diagramOf(canvasEl.dataset.focus) || data.diagrams[0];
      show(first.key);
    })
    .catch(function (err) {
      status(canvasEl.dataset.error);
      if (window.console) { window.console.error(err); }
    });
}());
