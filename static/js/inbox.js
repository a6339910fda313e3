// The menu's inbox count (requests waiting for the member's answer and unread messages), read after the
// page has loaded so no page waits for it, and again every minute while the page stays open.
(function () {
  const badge = document.getElementById("inbox-count");
  if (!badge) return;
  const label = badge.querySelector(".inbox-count-number");
  function refresh() {
    fetch(badge.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        label.textContent = String(data.count);
        badge.classList.toggle("d-none", data.count === 0);
      })
      .catch(function () { /* offline for a moment: keep what is shown */ });
  }
  refresh();
  setInterval(refresh, 60000);
})();
