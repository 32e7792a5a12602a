/* The studio's DMN editor: dmn-js's Modeler (bundled as
 * window.OneWindowStudio.DmnModeler, web/studio_src/studio-dmn.js) on one
 * DMN file of the draft. Opens on the first decision table; a tab per view
 * (the requirements diagram, each table or literal expression). Save sends
 * the XML with the revision it was opened at; the server checks the file
 * and the whole draft and answers with this file's problems. */
(function () {
  'use strict';

  var section = document.getElementById('dmn-editor');
  if (!section) { return; }
  var tools = window.OneWindowStudioTools;
  var text = section.dataset;
  var canvasEl = section.querySelector('.dmn-canvas');
  var tabs = section.querySelector('.dmn-views');
  var statusEl = section.querySelector('.studio-status');
  var problemsEl = section.querySelector('ul.studio-problems');
  var saveButton = section.querySelector('button.save');
  var revision = parseInt(text.revision, 10);
  var dirty = false;
  var watched = [];

  function status(message, kind) { tools.setStatus(statusEl, message, kind); }

  var studio = window.OneWindowStudio;
  if (!studio || typeof studio.DmnModeler !== 'function') {
    status(text.missing, 'failed');
    saveButton.disabled = true;
    return;
  }
  var modeler = new studio.DmnModeler({
    container: canvasEl,
    common: { keyboard: { bindTo: window } },
    // Each view takes its own modules (dmn-js does not pass `common` ones on).
    drd: { additionalModules: studio.dmnModules || [] },
    decisionTable: { additionalModules: studio.dmnModules || [] },
    literalExpression: { additionalModules: studio.dmnModules || [] },
    boxedExpression: { additionalModules: studio.dmnModules || [] },
    moddleExtensions: studio.dmnModdleExtensions
  });

  function viewName(view) {
    var name = (view.element && (view.element.name || view.element.id)) || '';
    var kind = { drd: text.drd, decisionTable: text.table, literalExpression: text.literal }[view.type] || view.type;
    return kind + (view.type === 'drd' ? '' : ' · ' + name);
  }

  // Mark the page changed on any edit in whichever view is open.
  function watch() {
    var viewer = modeler.getActiveViewer();
    if (!viewer || watched.indexOf(viewer) >= 0) { return; }
    watched.push(viewer);
    viewer.on('elements.changed', function () {
      dirty = true;
      status(text.unsaved);
    });
  }

  function drawTabs() {
    var active = modeler.getActiveView();
    tabs.innerHTML = '';
    modeler.getViews().forEach(function (view) {
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = viewName(view);
      button.className = view === active ? 'active' : '';
      button.dataset.view = view.type;
      button.addEventListener('click', function () { modeler.open(view); });
      tabs.appendChild(button);
    });
  }

  modeler.on('views.changed', function () {
    drawTabs();
    watch();
  });

  var xml = JSON.parse(section.querySelector('script.dmn-xml').textContent);
  modeler.importXML(xml).then(function () {
    var table = modeler.getViews().filter(function (v) { return v.type === 'decisionTable'; })[0];
    return table ? modeler.open(table) : null;
  }).then(function () {
    drawTabs();
    watch();
    section.dataset.ready = 'true';
  }).catch(function (err) {
    status(text.importError + ' ' + (err && err.message ? err.message : ''), 'failed');
    saveButton.disabled = true;
  });

  saveButton.addEventListener('click', function () {
    saveButton.disabled = true;
    status(text.saving);
    modeler.saveXML({ format: true }).then(function (result) {
      return tools.postJSON(text.saveUrl, { xml: result.xml, revision: revision }, text.csrf);
    }).then(function (result) {
      saveButton.disabled = false;
      if (!result.ok) {
        status(tools.failure(result, text.saveError), 'failed');
        tools.showProblems(problemsEl, result.json.problems);
        return;
      }
      revision = result.json.revision;
      dirty = false;
      tools.showProblems(problemsEl, result.json.file_problems);
      status(result.json.file_problems.length ? text.savedWithProblems : text.saved, 'saved');
      section.dataset.revision = revision;
    }).catch(function (err) {
      saveButton.disabled = false;
      status(text.saveError + ' ' + (err && err.message ? err.message : ''), 'failed');
    });
  });

  window.addEventListener('beforeunload', function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ''; }
  });
}());
