/* Shared by the studio's pages (BPMN, DMN, form, simulation): a JSON POST
 * with the page's CSRF token, the status line, and a list of problems
 * ({file, element, message}) drawn into an element. Plain ES2015, no build. */
(function () {
  'use strict';

  function postJSON(url, body, csrf) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      var type = response.headers.get('Content-Type') || '';
      var parsed = type.indexOf('application/json') >= 0 ? response.json() : Promise.resolve({});
      return parsed.then(function (json) { return { status: response.status, ok: response.ok, json: json }; });
    });
  }

  function showProblems(list, problems) {
    list.innerHTML = '';
    (problems || []).forEach(function (p) {
      var li = document.createElement('li');
      var where = document.createElement('code');
      where.textContent = (p.file || '') + (p.element ? ' · ' + p.element : '');
      li.appendChild(where);
      li.appendChild(document.createTextNode(' ' + p.message));
      list.appendChild(li);
    });
    list.hidden = !(problems && problems.length);
  }

  // The page's status line: a message, marked ok or error.
  function setStatus(el, message, kind) {
    el.textContent = message;
    el.className = 'studio-status' + (kind ? ' ' + kind : '');
  }

  // A message for a failed save or run: the server's, else the page's own text.
  function failure(result, fallback) {
    return (result.json && result.json.message) || fallback + ' (HTTP ' + result.status + ')';
  }

  window.OneWindowStudioTools = { postJSON: postJSON, showProblems: showProblems, failure: failure, setStatus: setStatus };
}());
