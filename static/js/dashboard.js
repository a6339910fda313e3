// Draws the dashboard's charts from the JSON the page carries (the same numbers are in its tables).
(function () {
  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const labels = document.getElementById("dashboard-labels").dataset;
  const blue = "#0b3d91", teal = "#0f8b8d", gold = "#e0a800";
  new Chart(document.getElementById("chart-events"), {
    type: "bar",
    data: {
      labels: data.events,
      datasets: [
        { label: labels.meetings, data: data.meetings, backgroundColor: blue },
        { label: labels.held, data: data.held, backgroundColor: teal },
        { label: labels.mous, data: data.mous, backgroundColor: gold },
      ],
    },
    options: { responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  new Chart(document.getElementById("chart-categories"), {
    type: "bar",
    data: { labels: data.categories, datasets: [{ label: labels.meetings, data: data.category_meetings, backgroundColor: blue }] },
    options: {
      indexAxis: "y", responsive: true, maintainAspectRatio: false,
      plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
})();
