/* A bpmn-js NavigatedViewer in a page section, shared by the case map
 * (casemap.js) and the dashboard's heat map (heatmap.js): a status line, a
 * canvas sized to the diagram's shape, fit without zooming above 100%, and
 * the zoom / fit / full-screen buttons ([data-zoom] in the section).
 * Plain ES2015, no build. */
(function () {
  'use strict';

  function attach(section, canvasEl, onResize) {
    var viewer = new window.BpmnJS({ container: canvasEl });

    function status(text) {
      var p = canvasEl.querySelector('.casemap-status');
      if (!p) {
        p = document.createElement('p');
        p.className = 'casemap-status';
        canvasEl.appendChild(p);
      }
      p.textContent = text;
      p.hidden = !text;
    }

    // Like zoom('fit-viewport', 'auto') with a margin, and never above 100%.
    function fitView() {
      var canvas = viewer.get('canvas');
      var box = canvas.viewbox();
      var inner = box.inner;
      var outer = box.outer;
      if (!inner.width || !inner.height || !outer.width || !outer.height) {
        canvas.zoom('fit-viewport', 'auto');
        return;
      }
      var pad = 24;
      var scale = Math.min(1, (outer.width - 2 * pad) / inner.width, (outer.height - 2 * pad) / inner.height);
      var width = outer.width / scale;
      var height = outer.height / scale;
      canvas.viewbox({ x: inner.x - (width - inner.width) / 2, y: inner.y - (height - inner.height) / 2,
        width: width, height: height });
    }

    // Size the canvas to the diagram's shape (a wide process gets a low box, a
    // small block a small one), then fit it in.
    function fit() {
      var canvas = viewer.get('canvas');
      if (!document.fullscreenElement) {
        var inner = canvas.viewbox().inner;
        var width = canvasEl.clientWidth || 800;
        var wanted = inner.width > 0 ? Math.round(width * inner.height / inner.width) + 60 : 400;
        canvasEl.style.height = Math.max(220, Math.min(560, wanted)) + 'px';
      } else {
        canvasEl.style.height = '';
      }
      canvas.resized();
      fitView();
    }

    document.addEventListener('fullscreenchange', function () {
      section.classList.toggle('casemap-full', document.fullscreenElement === section);
      if (onResize) { onResize(); }
    });

    section.querySelectorAll('[data-zoom]').forEach(function (button) {
      button.addEventListener('click', function () {
        var how = button.dataset.zoom;
        if (how === 'fit') {
          fitView();
        } else if (how === 'full') {
          if (document.fullscreenElement) {
            document.exitFullscreen();
          } else if (section.requestFullscreen) {
            section.requestFullscreen();
          }
        } else {
          viewer.get('zoomScroll').stepZoom(how === 'in' ? 1 : -1);
        }
      });
    });

    return { viewer: viewer, status: status, fit: fit, fitView: fitView };
  }

  window.OneWindowBpmn = { attach: attach };
}());
