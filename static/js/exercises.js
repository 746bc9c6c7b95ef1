// Sinau: the review form shows the running rubric score while the trainer
// taps the levels (the server computes the real score again on submit).
(function () {
  "use strict";

  function update(form) {
    var total = 0;
    var checked = form.querySelectorAll("input[type=radio][data-points]:checked");
    for (var i = 0; i < checked.length; i++) {
      total += parseInt(checked[i].getAttribute("data-points"), 10) || 0;
    }
    var preview = form.querySelector("[data-score-preview]");
    if (!preview) { return; }
    preview.hidden = false;
    preview.querySelector("[data-score]").textContent = String(total);
    var pass = parseInt(form.getAttribute("data-pass"), 10) || 0;
    preview.classList.toggle("is-passing", total >= pass);
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest ? event.target.closest("form[data-rubric]") : null;
    if (form) { update(form); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form[data-rubric]");
    for (var i = 0; i < forms.length; i++) {
      if (forms[i].querySelector("input[type=radio][data-points]:checked")) { update(forms[i]); }
    }
  });
})();
