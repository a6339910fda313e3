// Reload the page every few seconds while an element asks for it (a scheduler run in progress).
(function () {
  "use strict";
  const running = document.querySelector("[data-refresh-while-running]");
  if (!running) return;
  const delay = parseInt(running.dataset.refreshWhileRunning, 10) || 2000;
  window.setTimeout(function () { window.location.reload(); }, delay);
})();
