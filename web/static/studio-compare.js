/* The studio's compare page: each changed diagram (new side first, then the
 * old side where elements were removed) in the shared bpmn-js viewer
 * (bpmnview.js), its elements coloured added / changed / removed, from
 * /studio/<key>/compare.json. */
(function () {
  'use strict';

  var section = document.getElementById('studio-compare');
  if (!section) { return; }
  var canvasEl = section.querySelector('.casemap-canvas');
  var select = section.querySelector('.casemap-select');
  if (!canvasEl || !select) { return; }
  var text = canvasEl.dataset;
  if (typeof window.BpmnJS !== 'function' || !window.OneWindowBpmn) {
    canvasEl.querySelector('.casemap-status').textContent = text.error;
    return;
  }
  var view = window.OneWindowBpmn.attach(section, canvasEl, function () { view.fit(); });
  var diagrams = [];

  function paint(diagram) {
    var registry = view.viewer.get('elementRegistry');
    var canvas = view.viewer.get('canvas');
    var overlays = view.viewer.get('overlays');
    var painted = 0;
    Object.keys(diagram.marks).forEach(function (id) {
      if (!registry.get(id)) { return; }
      var mark = diagram.marks[id];
      canvas.addMarker(id, 'diff-' + mark);
      var badge = document.createElement('div');
      badge.className = 'diff-badge diff-' + mark;
      badge.textContent = text[mark];
      overlays.add(id, 'diff', { position: { top: -20, left: 0 }, html: badge });
      painted += 1;
    });
    section.dataset.painted = painted;
    section.dataset.side = diagram.side;
  }

  function show(index) {
    var diagram = diagrams[index];
    if (!diagram) { return; }
    select.value = String(index);
    view.status(text.loading);
    view.viewer.importXML(diagram.xml).then(function () {
      view.status('');
      view.fit();
      paint(diagram);
    }).catch(function (err) {
      view.status(text.error);
      if (window.console) { window.console.error(err); }
    });
  }

  select.addEventListener('change', function () { show(Number(select.value)); });

  fetch(canvasEl.dataset.src, { credentials: 'same-origin' }).then(function (response) {
    if (!response.ok) { throw new Error('HTTP ' + response.status); }
    return response.json();
  }).then(function (data) {
    diagrams = data.diagrams;
    diagrams.forEach(function (diagram, index) {
      var option = document.createElement('option');
      option.value = String(index);
      option.textContent = (diagram.side === 'new' ? text.new : text.old) + ' · ' + diagram.file;
      select.appendChild(option);
    });
    show(0);
  }).catch(function (err) {
    view.status(text.error);
    if (window.console) { window.console.error(err); }
  });
}());
