// Charts of the up/down dashboard; the numbers come from the json_script block.
(function () {
  if (typeof Chart === "undefined") return;
  var source = document.getElementById("promotions-data");
  if (!source) return;
  var d = JSON.parse(source.textContent);
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  var palette = ["#9e1b1b", "#4f7cac", "#e0a030", "#3f8f5b", "#8a5cb8", "#6b6b6b", "#b8c4cf", "#c76b6b", "#2f5f7f"];
  var moveColours = { promoted: "#3f8f5b", exceptional: "#e0a030", down: "#9e1b1b" };
  var commendedColours = { cadres: "#4f7cac", teams: "#e0a030" };
  var whole = { beginAtZero: true, ticks: { precision: 0 } };

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) new Chart(canvas, config);
  }

  draw("moves-chart", {
    type: "bar",
    data: {
      labels: d.years,
      datasets: d.moves.map(function (s) {
        return { label: s.label, data: s.data, backgroundColor: moveColours[s.key] };
      }),
    },
    options: { scales: { y: whole } },
  });

  draw("commended-chart", {
    type: "bar",
    data: {
      labels: d.years,
      datasets: d.commended.map(function (s) {
        return { label: s.label, data: s.data, backgroundColor: commendedColours[s.key], stack: "commended" };
      }),
    },
    options: { scales: { x: { stacked: true }, y: Object.assign({ stacked: true }, whole) } },
  });

  draw("areas-chart", {
    type: "bar",
    data: {
      labels: d.years,
      datasets: d.areas
        .map(function (s, i) {
          return { label: s.label, data: s.data, backgroundColor: palette[i % palette.length], stack: "areas" };
        })
        .filter(function (s) { return s.data.some(function (n) { return n > 0; }); }),
    },
    options: {
      plugins: { legend: { position: "right" } },
      scales: { x: { stacked: true }, y: Object.assign({ stacked: true }, whole) },
    },
  });
})();
