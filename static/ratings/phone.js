// Phone ballot: htmx swaps the ballot in place. Refused votes (400/409) carry a message in
// the returned ballot, so show it instead of htmx's default of ignoring error responses.
document.body.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 400 || status === 409) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
