// The console's side panels (domains, room, notes and dots, evidence, history) as tabs, so the
// stage never moves. Without JavaScript they stay one under another in a column of their own.
// The chosen tab is kept for the tab's session, so a form post returns to it.
(function () {
  var side = document.querySelector("[data-tabs]");
  if (!side) return;
  var panels = Array.prototype.slice.call(side.querySelectorAll(":scope > .side-panel"));
  if (panels.length < 2) return;
  var list = document.createElement("div");
  list.className = "side-tabs";
  list.setAttribute("role", "tablist");
  list.setAttribute("aria-label", "Side panels");
  var tabs = panels.map(function (panel) {
    var heading = panel.querySelector(".side-heading");
    var tab = document.createElement("button");
    tab.type = "button";
    tab.className = "side-tab";
    tab.id = panel.id + "-tab";
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", panel.id);
    tab.textContent = heading ? heading.textContent : panel.id;
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", tab.id);
    if (heading) heading.classList.add("visually-hidden");
    list.appendChild(tab);
    return tab;
  });

  var KEY = "cockpit-tab:" + location.pathname;

  function remember(id) {
    try {
      sessionStorage.setItem(KEY, id);
    } catch (e) {
      /* private mode: the page opens on its default tab */
    }
  }

  function remembered() {
    try {
      return sessionStorage.getItem(KEY);
    } catch (e) {
      return null;
    }
  }

  function show(index, focus) {
    tabs.forEach(function (tab, i) {
      var on = i === index;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      panels[i].hidden = !on;
    });
    if (focus) tabs[index].focus();
  }

  list.addEventListener("click", function (event) {
    var i = tabs.indexOf(event.target.closest(".side-tab"));
    if (i >= 0) {
      show(i, false);
      remember(panels[i].id);
    }
  });
  list.addEventListener("keydown", function (event) {
    var i = tabs.indexOf(document.activeElement);
    if (i < 0) return;
    var to = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    var at = (to + tabs.length) % tabs.length;
    show(at, true);
    remember(panels[at].id);
  });
  side.insertBefore(list, side.firstChild);
  side.classList.add("has-tabs");
  // After a form post the page comes back on the tab the facilitator was using.
  var kept = remembered();
  var start = panels.findIndex(function (p) { return p.id === kept; });
  if (start < 0) start = panels.findIndex(function (p) { return p.hasAttribute("data-tab-start"); });
  show(start < 0 ? 0 : start, false);
})();
