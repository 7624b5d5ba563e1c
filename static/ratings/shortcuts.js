// Console and projector from the keyboard or a presentation clicker. Each shortcut presses a
// button the page already shows (data-key), so a shortcut does exactly what a click does,
// confirmations included. A clicker's PageDown/Right presses the current step's button
// (data-step: open, reveal, confirm, next); PageUp/Left goes to the previous domain.
(function () {
  var dialog = document.getElementById("shortcuts-help");

  function typing(el) {
    return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function press(selector) {
    var buttons = document.querySelectorAll(selector);
    for (var i = 0; i < buttons.length; i++) {
      if (!buttons[i].disabled && buttons[i].offsetParent !== null) {
        buttons[i].click();
        return true;
      }
    }
    return false;
  }

  function fullScreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
  }

  function help() {
    if (!dialog) return;
    if (dialog.open) dialog.close();
    else dialog.showModal();
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-open-shortcuts]")) help();
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (typing(event.target) || (dialog && dialog.open && event.key !== "?")) return;
    var key = event.key;
    var done = false;
    if (key === "PageDown" || key === "ArrowRight") done = press("[data-step]");
    else if (key === "PageUp" || key === "ArrowLeft") done = press("[data-key=p]");
    else if (key === "f" || key === "F") {
      fullScreen();
      done = true;
    } else if (key === "?") {
      help();
      done = true;
    } else if (key.length === 1) done = press('[data-key="' + key.toLowerCase() + '"]');
    if (done) event.preventDefault();
  });
})();
