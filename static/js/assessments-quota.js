// Live excellent quota on the grade grid: the same arithmetic as assessments.rules
// (share in thousandths, integer maths, so 10% of 30 is exactly 3).
(function () {
  var card = document.getElementById("quota-card");
  if (!card) return;
  var q = JSON.parse(card.dataset.quota);
  var selects = document.querySelectorAll(".grade-select");
  function allowed(n) {
    var milli = q.shareMilli * n;
    if (q.rounding === "ceil") return Math.ceil(milli / 1000);
    if (q.rounding === "half_up") return Math.floor((milli + 500) / 1000);
    return Math.floor(milli / 1000);
  }
  function update() {
    var graded = q.othersGraded, excellent = q.othersExcellent;
    selects.forEach(function (s) {
      if (s.value && s.value !== "not_graded") graded += 1;
      if (s.value === "excellent") excellent += 1;
    });
    var cap = allowed(graded);
    document.getElementById("q-excellent").textContent = excellent;
    document.getElementById("q-allowed").textContent = cap;
    document.getElementById("q-participants").textContent = graded;
    var status = document.getElementById("q-status");
    var over = excellent > cap;
    status.textContent = over ? status.dataset.over : status.dataset.within;
    status.className = "ms-auto fw-semibold " + (over ? "text-danger" : "text-success");
    card.classList.toggle("border-danger", over);
  }
  selects.forEach(function (s) { s.addEventListener("change", update); });
  update();
})();
