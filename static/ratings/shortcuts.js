// Console and projector from the keyboard or a presentation clicker. Each shortcut presses one
// button the page already shows (data-key), so a key does exactly what a click does and nothing
// more. A clicker's PageDown/Right presses the current step's button (data-step: open, reveal,
// confirm, next); PageUp/Left goes to the previous domain.
// Where a press would agree a split room, agree another level than the suggestion, reveal an
// empty round or leave a domain unfinished, the key asks first in the prompt line (#key-prompt):
// the same key again or Enter goes ahead, Escape (or any other key) cancels.
(function () {
  var dialog = document.getElementById("shortcuts-help");
  var pending = null;
  var idleText = null;

  function typing(el) {
    return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function promptLine() {
    return document.getElementById("key-prompt");
  }

  function say(text) {
    var line = promptLine();
    if (!line) return;
    if (idleText === null) idleText = line.innerHTML;
    line.textContent = text;
    line.classList.toggle("asking", !!pending);
  }

  function cancel(words) {
    pending = null;
    var line = promptLine();
    if (!line) return;
    line.classList.remove("asking");
    if (words) line.textContent = words;
    else if (idleText !== null) line.innerHTML = idleText;
  }

  // Why this press needs a second one, or "" when it does not.
  function question(button) {
    if (button.hasAttribute("data-ask-empty")) {
      var voted = document.querySelector("[data-testid=voted-count]");
      if (voted && voted.textContent.trim() === "0") return button.getAttribute("data-ask-empty");
    }
    var form = button.form;
    var suggestion = button.getAttribute("data-suggestion");
    var chosen = form ? form.querySelector("input[name=level]:checked") : null;
    var words = [];
    if (button.hasAttribute("data-confirm")) words.push(button.getAttribute("data-confirm"));
    if (chosen && chosen.value !== suggestion) {
      words.push("Agree level " + chosen.value + (suggestion === null ? " with no suggestion?" : " instead of the suggested " + suggestion + "?"));
    }
    return words.join(" ");
  }

  function submit(button) {
    if (button.form && button.form.requestSubmit) button.form.requestSubmit(button); // no second confirm()
    else button.click();
  }

  function find(selector) {
    var buttons = document.querySelectorAll(selector);
    for (var i = 0; i < buttons.length; i++) {
      if (!buttons[i].disabled && buttons[i].offsetParent !== null) return buttons[i];
    }
    return null;
  }

  function press(selector, keyName) {
    var button = find(selector);
    if (!button) return false;
    var ask = question(button);
    if (!ask) {
      submit(button);
      return true;
    }
    pending = { button: button, key: keyName, selector: selector };
    say(ask + " Press " + keyName + " again or Enter to go ahead, Esc to cancel.");
    return true;
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

  function keyName(key) {
    if (key === "PageDown" || key === "ArrowRight") return "PageDown";
    if (key === "PageUp" || key === "ArrowLeft") return "PageUp";
    return key.length === 1 ? key.toUpperCase() : key;
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-open-shortcuts]")) help();
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (typing(event.target) || (dialog && dialog.open && event.key !== "?")) return;
    var key = event.key;
    if (event.target.getAttribute && event.target.getAttribute("role") === "tab" && /^(Arrow|Home|End)/.test(key)) return;
    if (pending) {
      var asked = pending;
      event.preventDefault();
      if (key === "Enter" || keyName(key) === asked.key) {
        cancel("Going ahead…");
        // The projector's poll may have swapped the stage meanwhile: press the new button.
        var button = asked.button.isConnected ? asked.button : find(asked.selector);
        if (button) submit(button);
      } else {
        cancel(key === "Escape" ? "Cancelled: nothing changed." : "");
      }
      return;
    }
    var done = false;
    if (key === "PageDown" || key === "ArrowRight") done = press("[data-step]", "PageDown");
    else if (key === "PageUp" || key === "ArrowLeft") done = press("[data-key=p]", "PageUp");
    else if (key === "f" || key === "F") {
      fullScreen();
      done = true;
    } else if (key === "?") {
      help();
      done = true;
    } else if (key.length === 1) done = press('[data-key="' + key.toLowerCase() + '"]', key.toUpperCase());
    if (done) event.preventDefault();
  });
})();
