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
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
})();
