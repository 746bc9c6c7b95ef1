// Quiz page: the countdown, sending the answers when the time is up, and one
// submission per tap. Loaded with `defer` by templates/quizzes/attempt.html;
// no inline scripts (CSP). The server enforces the time limit on its own.
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  onReady(function () {
    var form = document.querySelector("[data-quiz-form]");
    if (!form) { return; }
    var button = form.querySelector("[data-quiz-submit]");
    var sent = false;

    form.addEventListener("submit", function (event) {
      if (sent) { event.preventDefault(); return; }
      sent = true;
      // Disable after the browser has taken the form's data.
      if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
    });
    // Coming back with the browser's Back button shows the page as it was left.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) { sent = false; if (button) { button.disabled = false; } }
    });

    var timer = document.querySelector("[data-quiz-timer]");
    if (!timer) { return; }
    var clock = timer.querySelector("[data-quiz-clock]");
    var label = timer.getAttribute("data-label");
    var soon = timer.querySelector("[data-quiz-soon]");
    var seconds = parseInt(timer.getAttribute("data-seconds"), 10);
    if (isNaN(seconds) || !clock) { return; }
    var end = Date.now() + seconds * 1000;
    var warned = false;
    clock.hidden = false;

    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      clock.textContent = label + ": " + Math.floor(left / 60) + ":" + pad(left % 60);
      if (left <= 60 && !warned) {
        warned = true;
        timer.classList.add("is-soon");
        if (soon) { soon.hidden = false; }
      }
      if (left <= 0) {
        window.clearInterval(interval);
        if (!sent) {
          sent = true;
          if (button) { button.disabled = true; }
          form.submit();
        }
      }
    }

    var interval = window.setInterval(tick, 1000);
    tick();
  });
})();
