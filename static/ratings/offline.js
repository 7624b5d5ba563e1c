// Phone ballot on bad Wi-Fi: a tap is never lost without a word.
//
// Every tap gets a tap id "<phone id>:<number>" (the number is the time of the tap), is
// kept in localStorage until the server answers, and shows its state in words: sending,
// saved (the server's answer), or "not sent yet ... will retry" with the level kept. Unsent
// taps go out again when the browser comes back online, on a timer that backs off, and after
// a reload. The server applies a tap only if it is newer than the last one it applied, so a
// retry never counts twice and a late retry never overwrites a newer choice.
//
// The poll (htmx, every 2 s) shows a "Reconnecting..." banner after two failed polls and
// hides it when one succeeds. Without JavaScript the ballot is a plain form post.
(function () {
  var root = document.querySelector("[data-vote-queue]");
  if (!root) return;
  var code = root.getAttribute("data-vote-queue");
  var KEY = "cascade-tap:" + code;
  var memory = {};
  var inFlight = false;
  var attempts = 0;
  var timer = null;
  var pollFailures = 0;

  function store(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (e) {
      if (value === null) delete memory[key];
      else memory[key] = value;
    }
  }

  function read(key) {
    try {
      var value = window.localStorage.getItem(key);
      if (value !== null) return value;
    } catch (e) {
      /* private mode: fall back to memory */
    }
    return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null;
  }

  function phoneId() {
    var id = read("cascade-phone-id");
    if (!id) {
      var bytes = new Uint8Array(12);
      window.crypto.getRandomValues(bytes); // works on plain http (a LAN laptop) too
      id = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      store("cascade-phone-id", id);
    }
    return id;
  }

  // The server orders a phone's taps and its posts without JavaScript on one clock, its own,
  // and refuses a tap number far ahead of it (ratings/taps.py): taps are numbered with this
  // phone's clock set to the server's time the page was sent at.
  var clockOffset = (parseInt(root.getAttribute("data-clock"), 10) || Date.now()) - Date.now();

  function nextSeq() {
    // Time-based, so it keeps growing even if storage is cleared between two taps. A stored
    // number from a clock that was ahead (before this page set it) is not carried on.
    var now = Date.now() + clockOffset;
    var last = parseInt(read("cascade-tap-seq"), 10) || 0;
    var seq = last >= now && last - now < 540000 ? last + 1 : now; // the server allows 10 min ahead
    store("cascade-tap-seq", String(seq));
    return seq;
  }

  function pending() {
    try {
      return JSON.parse(read(KEY) || "null");
    } catch (e) {
      return null;
    }
  }

  function setPending(tap) {
    store(KEY, tap ? JSON.stringify(tap) : null);
  }

  var WORDS = {
    sending: function (t) { return "Sending your vote: " + t.label + "…"; },
    offline: function (t) {
      return "Not sent yet: no connection, will retry. Your choice " + t.label + " is kept.";
    },
    server: function (t) {
      return "Not sent yet: the server had a problem, will retry. Your choice " + t.label + " is kept.";
    },
  };

  function show(tap, state) {
    var ballot = document.getElementById("ballot");
    var status = document.getElementById("tap-status");
    var form = ballot && ballot.querySelector("form[data-vote][data-round-pk='" + tap.round + "']");
    var text = WORDS[state](tap);
    if (form) {
      form.querySelectorAll("button[name=level]").forEach(function (button) {
        var mine = button.value === tap.level;
        button.setAttribute("aria-pressed", mine ? "true" : "false");
        button.classList.toggle("chosen", mine);
        button.classList.toggle("pending", mine);
        // The state in words on the tapped choice too, where the eye is after the tap.
        button.querySelectorAll(".choice-tick, .choice-state").forEach(function (old) { old.remove(); });
        if (mine) {
          var word = document.createElement("span");
          word.className = "choice-state";
          word.textContent = state === "sending" ? "Sending…" : "Not sent yet";
          button.querySelector(".choice-head").appendChild(word);
        }
      });
      var line = ballot.querySelector(".vote-status");
      if (line) {
        line.textContent = text;
        line.setAttribute("data-state", state);
      }
      status.textContent = "";
      status.hidden = true;
    } else {
      status.textContent = text;
      status.setAttribute("data-state", state);
      status.hidden = false;
    }
  }

  function clearStatus() {
    var status = document.getElementById("tap-status");
    status.textContent = "";
    status.hidden = true;
  }

  function swapBallot(html) {
    var old = document.getElementById("ballot");
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    var fresh = holder.content.firstElementChild;
    if (!old || !fresh || fresh.id !== "ballot") return;
    var hadFocus = old.contains(document.activeElement);
    old.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
    var live = document.getElementById("ballot-live");
    var message = fresh.getAttribute("data-announce");
    var error = fresh.querySelector("[role=alert]");
    if (live) live.textContent = error ? error.textContent : message || "";
    if (hadFocus) {
      var target = fresh.querySelector("button[aria-pressed=true]") || fresh.querySelector("h1");
      if (target) {
        if (target.tagName === "H1") target.setAttribute("tabindex", "-1");
        target.focus();
      }
    }
  }

  function csrfToken(tap) {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : tap.csrf;
  }

  function retryLater(tap, state) {
    attempts += 1;
    show(tap, state);
    window.clearTimeout(timer);
    timer = window.setTimeout(send, Math.min(30000, 2000 * Math.pow(2, attempts - 1)));
  }

  function send() {
    var tap = pending();
    if (!tap || inFlight) return;
    window.clearTimeout(timer);
    inFlight = true;
    show(tap, "sending");
    var body = new URLSearchParams();
    body.set("round", tap.round);
    body.set("level", tap.level);
    body.set("tap", tap.tap);
    body.set("csrfmiddlewaretoken", csrfToken(tap));
    window
      .fetch(tap.url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "HX-Request": "true", "X-CSRFToken": csrfToken(tap) },
      })
      .then(function (response) {
        return response.text().then(function (text) {
          return { status: response.status, text: text };
        });
      })
      .then(
        function (answer) {
          inFlight = false;
          if (answer.status >= 500 || answer.status === 0 || answer.status === 429) {
            retryLater(tap, "server");
            return;
          }
          // An answer (saved, or refused with a reason): this tap is done.
          var current = pending();
          if (current && current.tap === tap.tap) setPending(null);
          attempts = 0;
          connectionOk();
          if (answer.status === 403) {
            var status = document.getElementById("tap-status");
            status.textContent = "This phone is no longer joined: your vote was not counted. Reload the page to join again.";
            status.hidden = false;
          } else {
            clearStatus();
            swapBallot(answer.text);
          }
          if (pending()) send(); // a newer tap was made meanwhile
          else showPending();
        },
        function () {
          inFlight = false;
          retryLater(tap, "offline");
        }
      );
  }

  function showPending() {
    var tap = pending();
    if (tap) show(tap, inFlight ? "sending" : attempts ? (navigator.onLine ? "server" : "offline") : "sending");
  }

  document.body.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-vote]")) return;
    var button = event.submitter;
    if (!button || button.name !== "level") return;
    event.preventDefault();
    setPending({
      url: form.action,
      round: form.getAttribute("data-round-pk"),
      level: button.value,
      label: button.getAttribute("data-label") || button.value,
      tap: phoneId() + ":" + nextSeq(),
      csrf: csrfToken({}),
    });
    attempts = 0;
    if (inFlight) showPending();
    else send();
  });

  // ---- the poll's connection banner
  function connectionOk() {
    pollFailures = 0;
    document.getElementById("connection-banner").hidden = true;
  }

  function pollFailed() {
    pollFailures += 1;
    if (pollFailures >= 2) document.getElementById("connection-banner").hidden = false;
  }

  document.body.addEventListener("htmx:sendError", pollFailed);
  document.body.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr.status >= 500) pollFailed();
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) connectionOk();
  });
  document.body.addEventListener("htmx:afterSwap", showPending);

  window.addEventListener("online", function () {
    attempts = 0;
    send();
  });

  if (pending()) send(); // a tap left unsent by a reload or a closed tab
  root.setAttribute("data-queue-ready", ""); // taps from here on are kept (tests wait for this)
})();
