/* The studio's form editor: the form file's JSON in a textarea with line
 * numbers, previewed as the clerk sees it (rendered by the server,
 * web/form_preview.py) a moment after the designer stops typing, and saved
 * into the draft with the revision it was opened at. */
(function () {
  'use strict';

  var section = document.getElementById('form-editor');
  if (!section) { return; }
  var tools = window.OneWindowStudioTools;
  var text = section.dataset;
  var area = section.querySelector('.json-editor textarea');
  var gutter = section.querySelector('.gutter');
  var pane = section.querySelector('.form-preview-pane');
  var errorsEl = section.querySelector('ul.preview-errors');
  var warningsEl = section.querySelector('ul.preview-warnings');
  var problemsEl = section.querySelector('.save-problems ul');
  var statusEl = section.querySelector('.studio-status');
  var saveButton = section.querySelector('button.save');
  var revision = parseInt(text.revision, 10);
  var saved = area.value;
  var timer = null;
  var asked = 0;  // answers to older previews are dropped

  function status(message, kind) { tools.setStatus(statusEl, message, kind); }

  function numberLines() {
    var count = area.value.split('\n').length;
    var lines = [];
    for (var i = 1; i <= count; i += 1) { lines.push(i); }
    gutter.textContent = lines.join('\n');
    gutter.scrollTop = area.scrollTop;
  }

  function asList(messages) {
    return messages.map(function (m) { return { message: m }; });
  }

  function preview() {
    asked += 1;
    var mine = asked;
    tools.postJSON(text.previewUrl, { text: area.value, lang: text.lang }, text.csrf).then(function (result) {
      if (mine !== asked) { return; }
      if (!result.ok && result.status !== 422) {
        status(tools.failure(result, text.previewError), 'failed');
        return;
      }
      tools.showProblems(errorsEl, asList(result.json.errors || []));
      tools.showProblems(warningsEl, asList(result.json.warnings || []));
      if (result.json.ok) {
        pane.innerHTML = result.json.html;
        pane.classList.remove('stale');
      } else {
        pane.classList.add('stale');  // the last good preview stays, dimmed
      }
      section.dataset.previewed = mine;
    });
  }

  function changed() {
    numberLines();
    if (area.value !== saved) { status(text.unsaved); } else { status(''); }
    window.clearTimeout(timer);
    timer = window.setTimeout(preview, 400);
  }

  area.addEventListener('input', changed);
  area.addEventListener('scroll', function () { gutter.scrollTop = area.scrollTop; });
  area.addEventListener('keydown', function (event) {
    if (event.key === 'Tab') {  // indent instead of leaving the editor
      event.preventDefault();
      var start = area.selectionStart;
      area.setRangeText('  ', start, area.selectionEnd, 'end');
      changed();
    }
  });

  saveButton.addEventListener('click', function () {
    saveButton.disabled = true;
    status(text.saving);
    var sent = area.value;
    tools.postJSON(text.saveUrl, { text: sent, revision: revision }, text.csrf).then(function (result) {
      saveButton.disabled = false;
      if (!result.ok) {
        status(tools.failure(result, text.saveError), 'failed');
        tools.showProblems(problemsEl, result.json.problems);
        return;
      }
      revision = result.json.revision;
      saved = sent;
      tools.showProblems(problemsEl, result.json.file_problems);
      status(result.json.file_problems.length ? text.savedWithProblems : text.saved, 'saved');
      section.dataset.revision = revision;
    }).catch(function () {
      saveButton.disabled = false;
      status(text.saveError, 'failed');
    });
  });

  window.addEventListener('beforeunload', function (event) {
    if (area.value !== saved) { event.preventDefault(); event.returnValue = ''; }
  });

  numberLines();
  preview();
}());
