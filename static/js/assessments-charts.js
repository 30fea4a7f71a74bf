// Charts of the assessment reports; data comes from json_script blocks on the page.
(function () {
  if (typeof Chart === "undefined") return;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;
  var palette = ["#9e1b1b", "#4f7cac", "#e0a030", "#6b6b6b", "#b8c4cf", "#3f8f5b", "#8a5cb8"];
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  var dist = data("dist-data");
  if (dist) {
    var sets = dist.grades.map(function (g, i) {
      return { type: "bar", label: g.label, data: g.data, backgroundColor: palette[i], stack: "grades" };
    });
    sets.unshift({
      type: "line", label: document.getElementById("dist-chart").dataset.quotaLabel || "Quota",
      data: dist.quota, borderColor: "#111", backgroundColor: "#111", borderDash: [5, 4],
      pointStyle: "rectRot", pointRadius: 5, showLine: false,
    });
    new Chart(document.getElementById("dist-chart"), {
      data: { labels: dist.labels, datasets: sets },
      options: {
        maintainAspectRatio: false,
        plugins: { legend: { labels: { usePointStyle: true } } },
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }
  var ranks = data("rank-data");
  if (ranks) {
    document.querySelectorAll(".rank-chart").forEach(function (canvas) {
      var c = ranks[Number(canvas.dataset.index)];
      new Chart(canvas, {
        type: "line",
        data: { labels: c.years, datasets: c.lines.map(function (l, i) {
          return { label: l.label, data: l.data, borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], spanGaps: true };
        }) },
        options: { maintainAspectRatio: false, scales: { y: { reverse: true, min: 1, ticks: { precision: 0 } } } },
      });
    });
  }
  var incidents = data("incident-data");
  if (incidents) {
    new Chart(document.getElementById("incident-chart"), {
      type: "bar",
      data: { labels: incidents.labels, datasets: incidents.years.map(function (y, i) {
        return { label: y.label, data: y.data, backgroundColor: palette[i % palette.length] };
      }) },
      options: { maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }
})();
