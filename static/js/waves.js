// Waves: the projector's check-in code, the roster's "tick all", printing.
// Loaded with `defer` from the pages that need it; no inline scripts (CSP).
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function startProjector(box) {
    var url = box.getAttribute("data-code-url");
    var code = box.querySelector("[data-code]");
    var count = box.querySelector("[data-count]");
    var enrolled = box.querySelector("[data-enrolled]");
    var closed = box.querySelector("[data-closed]");
    var busy = false;

    function refresh() {
      if (busy) { return; }
      busy = true;
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (state) {
          code.textContent = state.display;
          count.textContent = String(state.count);
          enrolled.textContent = String(state.enrolled);
          closed.hidden = state.open;
          box.classList.remove("is-stale");
        })
        .catch(function () { box.classList.add("is-stale"); })
        .then(function () { busy = false; });
    }

    window.setInterval(refresh, 5000);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) { refresh(); }
    });
  }

  onReady(function () {
    var box = document.querySelector("[data-code-url]");
    if (box) { startProjector(box); }

    document.querySelectorAll("[data-check-all]").forEach(function (button) {
      var name = button.getAttribute("data-check-all");
      button.addEventListener("click", function () {
        button.form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (input) {
          input.checked = true;
        });
      });
    });

    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
