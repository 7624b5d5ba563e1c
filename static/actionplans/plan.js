// After htmx replaces a section, move keyboard focus to its message (saved, conflict or error)
// so screen-reader and keyboard users are not left on an element that no longer exists.
document.addEventListener("htmx:afterSettle", function (event) {
  var target = event.detail.target;
  var id = target && target.id;
  var section = id ? document.getElementById(id) : null;
  if (!section) return;
  var message = section.querySelector("[data-focus-after-swap]");
  var invalid = section.querySelector(".is-invalid");
  var el = message || invalid;
  if (el) el.focus();
});
