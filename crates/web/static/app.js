// Validation as people type: asks the server, which runs the very rule the form and the importer use.
(function () {
  "use strict";
  function attach(input) {
    var field = input.getAttribute("data-check");
    var output = document.getElementById(input.id + "-check");
    if (!output) return;
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var value = input.value.trim();
      if (value === "") { output.textContent = ""; output.className = "live-check"; return; }
      timer = setTimeout(function () {
        fetch("/api/v1/check/" + field + "?value=" + encodeURIComponent(value), { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (result) {
            if (input.value.trim() !== value) return;
            output.textContent = result.valid ? "✓ " + result.display : result.message;
            output.className = "live-check " + (result.valid ? "valid" : "invalid");
          })
          .catch(function () { output.textContent = ""; });
      }, 350);
    });
  }
  document.querySelectorAll("input[data-check]").forEach(attach);
  // Uploads show their progress: commune officers often work over slow connections.
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.XMLHttpRequest || !window.FormData) return;
      event.preventDefault();
      var bar = form.querySelector("progress");
      var request = new XMLHttpRequest();
      request.open("POST", form.getAttribute("action"));
      request.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable || !bar) return;
        bar.hidden = false;
        bar.value = Math.round((e.loaded / e.total) * 100);
      });
      request.addEventListener("load", function () {
        document.open();
        document.write(request.responseText);
        document.close();
      });
      request.send(new FormData(form));
    });
  });
  // Long lists of choices (a commune's teams) narrow as people type, without diacritics.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var list = document.querySelector(input.getAttribute("data-filter"));
    if (!list) return;
    input.addEventListener("input", function () {
      var wanted = fold(input.value.trim());
      list.querySelectorAll("label").forEach(function (label) {
        label.hidden = wanted !== "" && fold(label.textContent).indexOf(wanted) < 0;
      });
    });
  });
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.querySelector(button.getAttribute("data-copy"));
      source.select();
      var done = function () { button.textContent = "Đã sao chép"; };
      if (navigator.clipboard) navigator.clipboard.writeText(source.value).then(done, function () { document.execCommand("copy"); done(); });
      else { document.execCommand("copy"); done(); }
    });
  });
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
})();
