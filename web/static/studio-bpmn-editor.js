// The studio's BPMN editor page: bpmn-js Modeler with the Camunda properties
// panel (window.OneWindowStudio, bundled by web/vendor.py) on one BPMN file of
// a scenario's draft. Save posts the XML; the server validates the draft and
// answers with its new revision and problems, shown on their elements as
// overlays and as a list whose entries select the element.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('studio-data').textContent);
  var labels = data.labels;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var studio = window.OneWindowStudio;
  var tools = window.OneWindowStudioTools;
  var statusEl = document.getElementById('studio-status');
  var listEl = document.getElementById('studio-problems');
  var saveButton = document.getElementById('studio-save');
  var revisionEl = document.querySelector('.studio-revision');
  var revision = data.revision;
  var dirty = false;
  var marked = [];

  var modeler = new studio.BpmnModeler({
    container: '#studio-canvas',
    propertiesPanel: { parent: '#studio-properties' },
    additionalModules: studio.bpmnModules,
    moddleExtensions: studio.bpmnModdleExtensions,
    keyboard: { bindTo: document }
  });
  // The page's modeler, for the browser tests and the console.
  window.studioModeler = modeler;

  function status(message, kind) { tools.setStatus(statusEl, message, kind); }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }

  function select(elementId) {
    var element = modeler.get('elementRegistry').get(elementId);
    if (!element) { return; }
    var canvas = modeler.get('canvas');
    // A whole scenario fits the window only small: come close enough to read.
    if (canvas.zoom() < 0.9) { canvas.zoom(1); }
    modeler.get('selection').select(element);
    canvas.scrollToElement(element, { top: 160, bottom: 160, left: 200, right: 200 });
  }

  function onThisDiagram(problem) {
    return problem.file === data.path && problem.element && modeler.get('elementRegistry').get(problem.element);
  }

  function showProblems(problems) {
    var overlays = modeler.get('overlays');
    var canvas = modeler.get('canvas');
    overlays.remove({ type: 'studio-problem' });
    marked.forEach(function (id) { canvas.removeMarker(id, 'studio-has-problem'); });
    marked = [];
    var byElement = {};
    problems.filter(onThisDiagram).forEach(function (problem) {
      (byElement[problem.element] = byElement[problem.element] || []).push(problem.message);
    });
    Object.keys(byElement).forEach(function (id) {
      var badge = document.createElement('div');
      badge.className = 'studio-problem-badge';
      badge.setAttribute('data-element', id);
      badge.title = byElement[id].join('\n');
      badge.textContent = '! ' + byElement[id].length;
      badge.addEventListener('click', function () { select(id); });
      overlays.add(id, 'studio-problem', { position: { top: -10, right: 10 }, html: badge });
      canvas.addMarker(id, 'studio-has-problem');
      marked.push(id);
    });
    listEl.innerHTML = '';
    if (!problems.length) {
      var none = document.createElement('li');
      none.className = 'none';
      none.textContent = labels.noProblems;
      listEl.appendChild(none);
    }
    problems.forEach(function (problem) {
      var item = document.createElement('li');
      item.setAttribute('data-element', problem.element || '');
      var where = document.createElement(onThisDiagram(problem) ? 'button' : 'code');
      where.textContent = problem.file + (problem.element ? ' · ' + problem.element : '');
      if (onThisDiagram(problem)) {
        where.type = 'button';
        where.className = 'link';
        where.addEventListener('click', function () { select(problem.element); });
      }
      item.appendChild(where);
      item.appendChild(document.createTextNode(': ' + problem.message));
      listEl.appendChild(item);
    });
  }

  function save() {
    saveButton.disabled = true;
    status(labels.saving);
    return modeler.saveXML({ format: true }).then(function (result) {
      return tools.postJSON(data.saveUrl, { path: data.path, xml: result.xml, revision: revision }, csrf);
    }).then(function (answer) {
      var body = answer.json;
      if (answer.ok) {
        revision = body.revision;
        dirty = false;
        revisionEl.textContent = format(labels.draftRevision, { n: revision });
        showProblems(body.problems);
        status(format(body.problems.length ? labels.savedWithProblems : labels.saved,
                      { n: revision, p: body.problems.length }), body.problems.length ? 'error' : 'ok');
      } else {
        status(body.message || labels.failed, 'error');
        if (body.problems && body.problems.length) { showProblems(body.problems); }
      }
    }).catch(function () {
      status(labels.failed, 'error');
    }).then(function () {
      saveButton.disabled = false;
    });
  }

  saveButton.addEventListener('click', save);
  modeler.on('commandStack.changed', function () {
    dirty = true;
    status(labels.unsaved);
  });
  window.addEventListener('beforeunload', function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ''; }
  });

  modeler.importXML(data.xml).then(function () {
    modeler.get('canvas').zoom('fit-viewport');
    showProblems(data.problems);
    if (location.hash.length > 1) { select(decodeURIComponent(location.hash.slice(1))); }
    document.body.setAttribute('data-studio-ready', 'true');
  }).catch(function (err) {
    status(labels.loadFailed + ' ' + (err && err.message), 'error');
  });
}());
