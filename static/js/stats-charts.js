// Charts of the leaders' statistics page; the numbers come from the json_script block.
(function () {
  if (typeof Chart === "undefined") return;
  var source = document.getElementById("stats-data");
  if (!source) return;
  var d = JSON.parse(source.textContent);
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  var brand = "#9e1b1b";
  var outcomeColours = { exempt: "#3f8f5b", mitigated: "#4f7cac", lighter: "#e0a030", not_tolerated: "#9e1b1b" };
  var appealColours = { pending: "#b8c4cf", confirmed: "#4f7cac", changed: "#e0a030" };
  var whole = { beginAtZero: true, ticks: { precision: 0 } };

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) new Chart(canvas, config);
  }

  draw("months-chart", {
    type: "bar",
    data: {
      labels: d.months.labels,
      datasets: d.months.series.map(function (s, i) {
        return { label: s.label, data: s.data, backgroundColor: i === 0 ? brand : "#b8c4cf", stack: "cases" };
      }),
    },
    options: { scales: { x: { stacked: true }, y: Object.assign({ stacked: true }, whole) } },
  });

  draw("stages-chart", {
    type: "bar",
    data: {
      labels: d.stages.labels,
      datasets: [{ label: d.stages.unit, data: d.stages.data, backgroundColor: "#4f7cac" }],
    },
    options: {
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { afterLabel: function (ctx) {
          return d.stages.cases[ctx.dataIndex] + " " + d.stages.cases_label;
        } } },
      },
      scales: { y: { beginAtZero: true, title: { display: true, text: d.stages.unit } } },
    },
  });

  draw("situations-chart", {
    type: "bar",
    data: {
      labels: d.situations.labels,
      datasets: d.situations.series.map(function (s) {
        return { label: s.label, data: s.data, backgroundColor: outcomeColours[s.key] || "#6b6b6b", stack: "outcomes" };
      }),
    },
    options: {
      indexAxis: "y",
      plugins: { tooltip: { callbacks: { title: function (items) {
        var i = items[0].dataIndex;
        return d.situations.titles[i] || d.situations.labels[i];
      } } } },
      scales: { x: Object.assign({ stacked: true }, whole), y: { stacked: true } },
    },
  });

  draw("overdue-chart", {
    type: "bar",
    data: { labels: d.overdue.labels, datasets: [{ label: d.overdue.label, data: d.overdue.data, backgroundColor: brand }] },
    options: { plugins: { legend: { display: false } }, scales: { y: whole } },
  });

  draw("appeals-chart", {
    type: "doughnut",
    data: {
      labels: d.appeals.labels,
      datasets: [{ data: d.appeals.data, backgroundColor: d.appeals.keys.map(function (k) { return appealColours[k]; }) }],
    },
    options: { plugins: { legend: { position: "right" } } },
  });
})();
