// Progress of a register export: polls the job's small JSON endpoint until it is done.
(function () {
  var card = document.getElementById("export");
  if (!card) return;
  var url = card.dataset.progressUrl;
  var bar = card.querySelector("[data-role=bar]");
  var fill = bar.querySelector(".progress-bar");
  var state = card.querySelector("[data-role=state]");
  var count = card.querySelector("[data-role=count]");
  var template = document.getElementById("count-template").innerHTML;
  var classes = { queued: "text-bg-secondary", running: "text-bg-info", done: "text-bg-success", failed: "text-bg-danger" };

  function show(job) {
    fill.style.width = job.percent + "%";
    fill.textContent = job.percent + "%";
    bar.setAttribute("aria-valuenow", job.percent);
    state.textContent = job.state_label;
    state.className = "badge " + (classes[job.state] || "text-bg-light border");
    count.textContent = template.replace("{done}", job.done).replace("{total}", job.total);
    if (job.state === "done" || job.state === "failed") {
      fill.classList.remove("progress-bar-striped", "progress-bar-animated");
    }
    if (job.state === "done") {
      card.querySelector("[data-role=workbook]").href = job.workbook_url;
      card.querySelector("[data-role=archive]").href = job.archive_url;
      card.querySelector("[data-role=ready]").hidden = false;
    }
    if (job.state === "failed") card.querySelector("[data-role=failed]").hidden = false;
  }

  var delay = 800;
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (job) {
        show(job);
        if (job.state === "done" || job.state === "failed") {
          // Finished: the page itself shows the links, the fingerprint and any problems.
          window.location.reload();
          return;
        }
        if (job.state === "queued" || job.state === "running") {
          delay = Math.min(delay * 1.25, 5000);
          setTimeout(poll, delay);
        }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  var initial = JSON.parse(document.getElementById("export-state").textContent);
  if (initial.state === "queued" || initial.state === "running") setTimeout(poll, delay);
})();
