// The room cannot scroll a projector. When a long domain does not fit on one screen, step the
// type down (classes fit-1 to fit-6 of live.css, 5% each) until it does; short domains keep
// the full size. Runs on load, after every poll swap and when the window is resized.
(function () {
  var STEPS = 6;

  function fits() {
    return document.documentElement.scrollHeight <= window.innerHeight + 1;
  }

  function fit() {
    var body = document.body;
    for (var i = 1; i <= STEPS; i++) body.classList.remove("fit-" + i);
    for (var step = 1; step <= STEPS && !fits(); step++) {
      if (step > 1) body.classList.remove("fit-" + (step - 1));
      body.classList.add("fit-" + step);
    }
  }

  fit();
  document.body.addEventListener("htmx:afterSwap", fit);
  window.addEventListener("resize", fit);
})();
