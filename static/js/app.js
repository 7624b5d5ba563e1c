// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
  // After a refused form post, start keyboard and screen-reader users at the first problem
  // (its message is tied to the field with aria-describedby), unless the page chose a focus.
  if (!document.querySelector("[autofocus]")) {
    var invalid = document.querySelector("input.is-invalid, select.is-invalid, textarea.is-invalid");
    if (invalid) invalid.focus();
  }
});
