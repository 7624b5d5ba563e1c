// Phone ballot: htmx swaps the ballot in place. Refused votes (400/409) carry a message in
// the returned ballot, so show it instead of htmx's default of ignoring error responses.
//
// The swapped section is new each time, so a screen reader would announce nothing and a
// keyboard user's focus would fall back to the top of the page. After every swap, read the
// ballot's one-sentence summary (data-announce) into #ballot-live, which is never swapped, and
// put focus back inside the ballot if it was there: on the chosen level, else the heading.
(function () {
  var hadFocus = false;

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
    var ballot = document.getElementById("ballot");
    hadFocus = !!(ballot && ballot.contains(document.activeElement));
  });

  document.body.addEventListener("htmx:afterSwap", function () {
    var ballot = document.getElementById("ballot");
    var live = document.getElementById("ballot-live");
    if (!ballot) return;
    var message = ballot.getAttribute("data-announce");
    if (live && message && message !== live.textContent) live.textContent = message;
    if (hadFocus && !ballot.contains(document.activeElement)) {
      var target = ballot.querySelector("button[aria-pressed=true]") || ballot.querySelector("h1");
      if (target) {
        if (target.tagName === "H1") target.setAttribute("tabindex", "-1");
        target.focus();
      }
    }
  });
})();
