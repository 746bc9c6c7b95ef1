// Sinau editor (lms/authoring): Markdown toolbar, live preview rendered by the
// server (the same pipeline and sanitiser as the import), image upload into
// the text, the question-type switch, and a warning before leaving unsaved
// work. Everything here also works without JavaScript through the form's
// own buttons; no inline scripts (strict CSP).
(function () {
  "use strict";

  var DELAY = 600; // ms after the last keystroke before the preview is asked for

  function onReady(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function csrfToken(form) {
    var input = form.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }

  function changed(textarea) {
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // --- toolbar -------------------------------------------------------------

  function replaceSelection(textarea, text, selectFrom, selectTo) {
    var start = textarea.selectionStart, end = textarea.selectionEnd, value = textarea.value;
    textarea.value = value.slice(0, start) + text + value.slice(end);
    textarea.focus();
    textarea.setSelectionRange(start + selectFrom, start + selectTo);
    changed(textarea);
  }

  // A block element (heading, list, video, callout) starts on its own line
  // with a blank line before it, and ends its line.
  function blockAround(textarea) {
    var value = textarea.value, start = textarea.selectionStart, end = textarea.selectionEnd;
    var before = value.slice(0, start), after = value.slice(end);
    var prefix = "";
    if (before.length && !/\n\n$/.test(before)) { prefix = /\n$/.test(before) ? "\n" : "\n\n"; }
    var suffix = "\n\n";
    if (!after.length) { suffix = "\n"; } else if (/^\n\n/.test(after)) { suffix = ""; } else if (/^\n/.test(after)) { suffix = "\n"; }
    return { prefix: prefix, suffix: suffix };
  }

  function inline(textarea, open, close, placeholder) {
    var selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd) || placeholder;
    replaceSelection(textarea, open + selected + close, open.length, open.length + selected.length);
  }

  function block(textarea, open, close, placeholder) {
    var selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd) || placeholder;
    var around = blockAround(textarea);
    var text = around.prefix + open + selected + close + around.suffix;
    var from = around.prefix.length + open.length;
    replaceSelection(textarea, text, from, from + selected.length);
  }

  function list(textarea, placeholder) {
    var selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd) || placeholder;
    var lines = selected.split("\n").map(function (line) { return /^\s*([-*]|\d+\.)\s/.test(line) ? line : "- " + line; });
    var around = blockAround(textarea);
    var text = lines.join("\n");
    replaceSelection(textarea, around.prefix + text + around.suffix, around.prefix.length + 2,
      around.prefix.length + text.length);
  }

  var ACTIONS = {
    heading: function (t, b) { block(t, "## ", "", b.getAttribute("title") || "Subjudul"); },
    bold: function (t) { inline(t, "**", "**", "teks"); },
    list: function (t) { list(t, "butir"); },
    link: function (t, b) { inline(t, "[", "](https://)", b.getAttribute("data-md-text") || "teks"); },
    image: function (t, b) { inline(t, "![", "](nama-berkas.png)", b.getAttribute("data-md-text") || "gambar"); },
    video: function (t, b) { block(t, "[[video https://www.youtube.com/watch?v= | ", "]]", b.getAttribute("data-md-text") || "Judul"); },
    callout: function (t, b) {
      block(t, "!!! tip \"" + (b.getAttribute("data-md-text") || "Tips") + "\"\n    ", "", b.getAttribute("data-md-body") || "…");
    }
  };

  function setUpToolbar(form) {
    var textarea = form.querySelector("textarea[data-editor-body]");
    var bar = form.querySelector("[data-md-toolbar]");
    if (!textarea || !bar) { return; }
    bar.hidden = false;
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-md]");
      if (!button) { return; }
      event.preventDefault();
      var action = ACTIONS[button.getAttribute("data-md")];
      if (action) { action(textarea, button); }
    });
  }

  // --- live preview --------------------------------------------------------

  function showProblems(container, items, format) {
    if (!container) { return; }
    var listElement = container.tagName === "UL" ? container : container.querySelector("ul");
    listElement.replaceChildren();
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "error-message";
      li.textContent = format(item);
      listElement.appendChild(li);
    });
    container.hidden = items.length === 0;
  }

  function setUpPreview(form) {
    var target = document.querySelector("[data-preview]");
    var url = form.getAttribute("data-preview-url");
    if (!target || !url) { return null; }
    var manual = form.querySelector("[data-preview-button]");
    if (manual) { manual.hidden = true; }
    var timer = null, sequence = 0;
    var bodyProblems = form.querySelector("[data-body-problems]");
    var otherProblems = document.querySelector("[data-preview-problems]");

    function refresh() {
      var mine = ++sequence;
      var data = new FormData(form);
      data.delete("image");
      data.delete("action");
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (result) {
        if (mine !== sequence) { return; } // a newer preview is on its way
        target.innerHTML = result.html; // sanitised on the server by the lesson allow-list
        target.removeAttribute("data-preview-error");
        showProblems(bodyProblems, result.lines || [], function (item) {
          return (bodyProblems.getAttribute("data-line-label") || "") + item.line + ": " + item.message;
        });
        var others = (result.problems || []).filter(function (item) { return item.field !== "body" && item.field !== "intro"; });
        showProblems(otherProblems, others, function (item) { return item.message; });
        target.setAttribute("data-preview-version", String(mine));
      }).catch(function () {
        if (mine !== sequence) { return; }
        target.setAttribute("data-preview-error", "");
        showProblems(otherProblems, [form.getAttribute("data-msg-failed") || ""], function (item) { return item; });
      });
    }

    function schedule() {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(refresh, DELAY);
    }

    form.addEventListener("input", function (event) {
      if (event.target && event.target.type === "file") { return; }
      schedule();
    });
    form.addEventListener("change", function (event) {
      if (event.target && event.target.type !== "file" && event.target.tagName !== "TEXTAREA") { schedule(); }
    });
    return schedule;
  }

  // --- image upload --------------------------------------------------------

  function setUpUpload(form, refreshSoon) {
    var box = form.querySelector("[data-image-upload]");
    var url = form.getAttribute("data-upload-url");
    var textarea = form.querySelector("textarea[data-editor-body]");
    if (!box || !url || !textarea) { return; }
    var button = box.querySelector("[data-upload-button]");
    var status = box.querySelector("[data-upload-status]");
    var file = box.querySelector('input[type="file"]');
    var alt = box.querySelector('input[type="text"]');
    button.addEventListener("click", function (event) {
      event.preventDefault();
      if (!file.files.length) { file.focus(); return; }
      var data = new FormData();
      data.append("image", file.files[0]);
      data.append("alt", alt ? alt.value : "");
      status.textContent = "…";
      button.disabled = true;
      fetch(url, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), "Accept": "application/json" }
      }).then(function (response) {
        if (response.status === 413) { return { error: form.getAttribute("data-msg-too-big") }; }
        return response.json().catch(function () { return { error: form.getAttribute("data-msg-failed") }; });
      }).then(function (result) {
        button.disabled = false;
        if (result.error) { status.textContent = result.error; status.className = "error-message"; return; }
        var around = blockAround(textarea);
        replaceSelection(textarea, around.prefix + result.markdown + around.suffix, around.prefix.length,
          around.prefix.length + result.markdown.length);
        status.className = "hint";
        status.textContent = form.getAttribute("data-msg-uploaded") + " (" + result.filename + ")";
        file.value = "";
        if (alt) { alt.value = ""; }
        if (refreshSoon) { refreshSoon(); }
      }).catch(function () {
        button.disabled = false;
        status.className = "error-message";
        status.textContent = form.getAttribute("data-msg-failed") || "";
      });
    });
  }

  // --- question types --------------------------------------------------------

  function setUpQuestions(form) {
    function apply(question) {
      var select = question.querySelector("select[data-question-kind]");
      if (!select) { return; }
      question.querySelectorAll("[data-kinds]").forEach(function (part) {
        part.hidden = part.getAttribute("data-kinds").split(" ").indexOf(select.value) < 0;
      });
    }
    form.querySelectorAll("[data-question]").forEach(apply);
    form.addEventListener("change", function (event) {
      if (event.target.matches && event.target.matches("select[data-question-kind]")) {
        apply(event.target.closest("[data-question]"));
      }
    });
  }

  // --- unsaved work ------------------------------------------------------------

  function setUpLeaving(form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) { return; }
      event.preventDefault();
      event.returnValue = form.getAttribute("data-msg-unsaved") || "";
    });
  }

  onReady(function () {
    var form = document.getElementById("editor-form");
    if (!form) { return; }
    setUpToolbar(form);
    var refreshSoon = setUpPreview(form);
    setUpUpload(form, refreshSoon);
    setUpQuestions(form);
    setUpLeaving(form);
  });
})();
