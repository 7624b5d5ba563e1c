// The console's "Confirm priorities" form: a refusal (400/409) comes back as the form with its
// message beside the boxes, so swap it in rather than htmx's default of ignoring error answers.
// Success answers HX-Redirect to the console. Loaded with the form: run the set-up once.
(function () {
  if (window.cascadePriorities) return;
  window.cascadePriorities = true;
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var status = event.detail.xhr.status;
    if (target && target.id === "priorities" && (status === 400 || status === 409)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
