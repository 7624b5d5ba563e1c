// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Delegated, so buttons swapped in by a poll (the projector's controls) ask too.
  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (el && !window.confirm(el.getAttribute("data-confirm"))) event.preventDefault();
  });
  // After a refused form post, start keyboard and screen-reader users at the first problem
  // (its message is tied to the field with aria-describedby), unless the page chose a focus.
  if (!document.querySelector("[autofocus]")) {
    var invalid = document.querySelector("input.is-invalid, select.is-invalid, textarea.is-invalid");
    if (invalid) invalid.focus();
  }
});
