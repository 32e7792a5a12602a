/* The studio's simulation page: run N generated cases on the draft (POST,
 * engine/studio/draft_simulation.py), then draw each BPMN file of the run
 * with bpmn-js (bpmnview.js): flows coloured by how many cases took them,
 * flows never taken dashed red, each user task coloured by its median wait
 * (the dashboard heat map's levels), and the figures in tables. */
(function () {
  'use strict';

  var section = document.getElementById('simulation');
  if (!section) { return; }
  var tools = window.OneWindowStudioTools;
  var form = section.querySelector('form.sim-run');
  var statusEl = section.querySelector('.studio-status');
  var problemsEl = section.querySelector('ul.studio-problems');
  var results = section.querySelector('.sim-results');
  var canvasEl = section.querySelector('.casemap-canvas');
  var select = section.querySelector('.casemap-select');
  var text = section.dataset;
  var view = null;
  var shown = null;
  var byFile = {};

  function status(message, kind) { tools.setStatus(statusEl, message, kind); }

  function cell(row, value, className) {
    var td = document.createElement('td');
    td.textContent = value === null || value === undefined ? '—' : value;
    if (className) { td.className = className; }
    row.appendChild(td);
    return td;
  }

  function label(file, entry) {
    var name = file.split('/').pop();
    return entry.own ? name + ' · ' + text.own : name + ' · ' + text.block;
  }

  function summary(report) {
    var box = results.querySelector('.sim-summary');
    box.innerHTML = '';
    function item(key, value) {
      var span = document.createElement('span');
      var k = document.createElement('span');
      k.className = 'k';
      k.textContent = key;
      span.appendChild(k);
      span.appendChild(document.createTextNode(value));
      box.appendChild(span);
    }
    item(text.runs, report.runs + (report.cut_short ? ' / ' + report.requested + ' ' + text.cutShort : ''));
    item(text.statuses, Object.keys(report.statuses).map(function (k) {
      return (text['status' + k.charAt(0).toUpperCase() + k.slice(1)] || k) + ' ' + report.statuses[k];
    }).join(' · '));
    item(text.flows, report.flows_taken + ' / ' + report.flows_total);
    item(text.seconds, report.seconds + ' s');
    var trouble = results.querySelector('ul.sim-trouble');
    trouble.innerHTML = '';
    report.stranded.forEach(function (s) {
      var li = document.createElement('li');
      li.textContent = text.stranded + ' ' + s.case + ': ' + s.why;
      trouble.appendChild(li);
    });
    report.errors.forEach(function (e) {
      var li = document.createElement('li');
      li.textContent = text.failed + ' ' + (e.case || '') + ' ' + (e.task || '') + ': ' + e.error.message;
      trouble.appendChild(li);
    });
    trouble.hidden = !trouble.children.length;
  }

  function tables(report) {
    var tasks = results.querySelector('table.sim-tasks tbody');
    tasks.innerHTML = '';
    report.tasks.forEach(function (t) {
      var row = document.createElement('tr');
      var title = cell(row, '');
      var swatch = document.createElement('span');
      swatch.className = 'swatch hm-' + (t.level || 1);
      title.appendChild(swatch);
      title.appendChild(document.createTextNode(' ' + (text.lang === 'en' ? t.title_en : t.title_zh) + ' '));
      var small = document.createElement('small');
      small.textContent = t.task;
      title.appendChild(small);
      cell(row, t.department);
      cell(row, t.visits);
      cell(row, t.median_hours);
      cell(row, t.p90_hours);
      tasks.appendChild(row);
    });
  }

  // The flows of the diagram shown, never taken first.
  function flowTable(file) {
    var entry = byFile[file].entry;
    var flows = results.querySelector('table.sim-flows tbody');
    results.querySelector('.sim-flows-file').textContent = file.split('/').pop();
    flows.innerHTML = '';
    Object.keys(entry.flows).sort(function (a, b) {
      return entry.flows[a] - entry.flows[b] || (a < b ? -1 : 1);
    }).forEach(function (flow) {
      var row = document.createElement('tr');
      var count = entry.flows[flow];
      if (!count) { row.className = 'sim-untaken'; }
      cell(row, flow);
      cell(row, count ? count : text.never);
      flows.appendChild(row);
    });
  }

  function level(count, most) {
    return Math.max(1, Math.min(4, Math.ceil(4 * count / most)));
  }

  function badge(className, content, title) {
    var div = document.createElement('div');
    div.className = className;
    div.textContent = content;
    if (title) { div.title = title; }
    return div;
  }

  function paint(file) {
    var entry = byFile[file].entry;
    var registry = view.viewer.get('elementRegistry');
    var canvas = view.viewer.get('canvas');
    var overlays = view.viewer.get('overlays');
    var counts = Object.keys(entry.flows).map(function (f) { return entry.flows[f]; });
    var most = Math.max.apply(null, counts.concat([1]));
    var painted = 0;
    Object.keys(entry.flows).forEach(function (id) {
      if (!registry.get(id)) { return; }
      var count = entry.flows[id];
      canvas.addMarker(id, count ? 'sim-taken-' + level(count, most) : 'sim-untaken');
      overlays.add(id, 'sim', {
        position: { top: -8, left: -8 },
        html: badge('sim-flow-badge' + (count ? '' : ' untaken'), count ? String(count) : text.never,
          id + ': ' + count + ' ' + text.cases)
      });
      painted += 1;
    });
    // A block called at several sites has one row per site: the busiest is drawn.
    var tasks = {};
    byFile[file].tasks.forEach(function (t) {
      if (!tasks[t.task] || tasks[t.task].visits < t.visits) { tasks[t.task] = t; }
    });
    Object.keys(tasks).forEach(function (id) {
      var t = tasks[id];
      if (!registry.get(id) || t.median_hours === null) { return; }
      canvas.addMarker(id, 'hm-' + t.level);
      overlays.add(id, 'sim', {
        position: { top: -22, left: 0 },
        html: badge('hm-badge hm-' + t.level, text.median + ' ' + t.median_hours + ' ' + text.hours,
          text.median + ' ' + t.median_hours + ' · P90 ' + t.p90_hours + ' ' + text.hours + ' · ' + t.visits + ' ' + text.visits)
      });
    });
    section.dataset.painted = painted;
  }

  function show(file) {
    if (!byFile[file]) { return; }
    shown = file;
    select.value = file;
    flowTable(file);
    view.status(text.loading);
    view.viewer.importXML(byFile[file].entry.xml).then(function () {
      view.status('');
      view.fit();
      paint(file);
    }).catch(function (err) {
      view.status(text.drawError);
      if (window.console) { window.console.error(err); }
    });
  }

  function diagrams(report) {
    byFile = {};
    var files = Object.keys(report.files).sort(function (a, b) {
      return (report.files[b].own ? 1 : 0) - (report.files[a].own ? 1 : 0) || (a < b ? -1 : 1);
    });
    files.forEach(function (file) {
      byFile[file] = {
        entry: report.files[file],
        tasks: report.tasks.filter(function (t) { return t.file === file; })
      };
    });
    if (!files.length) { return; }
    if (!canvasEl || typeof window.BpmnJS !== 'function' || !window.OneWindowBpmn) {
      flowTable(files[0]);
      if (canvasEl) { canvasEl.querySelector('.casemap-status').textContent = text.drawError; }
      return;
    }
    if (!view) {
      view = window.OneWindowBpmn.attach(section.querySelector('.casemap'), canvasEl,
        function () { if (shown) { view.fit(); } });
      select.addEventListener('change', function () { show(select.value); });
    }
    select.innerHTML = '';
    files.forEach(function (file) {
      var option = document.createElement('option');
      option.value = file;
      option.textContent = label(file, report.files[file]);
      select.appendChild(option);
    });
    show(files[0]);
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var runs = parseInt(form.elements.runs.value, 10);
    var button = form.querySelector('button[type=submit]');
    button.disabled = true;
    tools.showProblems(problemsEl, []);
    status(text.running);
    tools.postJSON(form.action, { runs: runs, seed: parseInt(form.elements.seed.value || '0', 10) }, text.csrf)
      .then(function (result) {
        button.disabled = false;
        if (!result.ok) {
          status(tools.failure(result, text.runError), 'failed');
          tools.showProblems(problemsEl, result.json.problems);
          return;
        }
        status(text.done, 'saved');
        results.hidden = false;
        summary(result.json);
        tables(result.json);
        diagrams(result.json);
        section.dataset.runs = result.json.runs;
      })
      .catch(function (err) {
        button.disabled = false;
        status(text.runError, 'failed');
        if (window.console) { window.console.error(err); }
      });
  });
}());
