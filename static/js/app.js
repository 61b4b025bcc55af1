// SupportDesk: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain-http fallback (e.g. make run on 127.0.0.1 counts as secure, an IP on the LAN does not).
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    copyText(button.dataset.copy).then(
      function () { button.textContent = "Copied ✓"; button.classList.add("copied"); },
      function () { button.textContent = "Copy failed: select the text and press Ctrl+C"; }
    ).finally(function () {
      setTimeout(function () { button.textContent = label; button.classList.remove("copied"); }, 2500);
    });
  });

  // Move focus into the step on a full page load: its first field marked invalid, else its
  // autofocus control (the first choice or the last answer, the continue button), else its
  // heading. Keyboard and screen-reader users then land on the question, not the top of the page.
  function focusStep() {
    var heading = document.getElementById("step-title");
    if (!heading) return;
    var target = document.querySelector("#case [aria-invalid='true'], #case [autofocus]");
    (target || heading).focus();
  }

  // After an htmx swap the focus goes to the new step's heading (a form's first field marked
  // invalid when the answer was refused), so what the step says is read before its choices;
  // number keys pick a choice from there, and Tab reaches the first one.
  function focusSwappedStep() {
    var heading = document.getElementById("step-title");
    if (!heading) return;
    var invalid = document.querySelector("#case [aria-invalid='true']");
    (invalid || heading).focus();
  }

  // Screen readers hear the new step's title, whatever has the focus.
  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) return;
    region.textContent = "";
    setTimeout(function () { region.textContent = text; }, 50);
  }

  // After htmx swaps a step in.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || event.detail.target.id !== "case") return;
    focusSwappedStep();
    var heading = document.getElementById("step-title");
    if (heading) announce(heading.textContent.trim());
  });

  // While a step's answer is on its way, its button says so and cannot be pressed twice.
  // (htmx has collected the form's values, the button's own included, before this fires.)
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!form || form.tagName !== "FORM" || !form.closest("#case")) return;
    var submitter = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent
      && event.detail.requestConfig.triggeringEvent.submitter;
    var button = submitter || form.querySelector("button[type=submit], button:not([type])");
    if (!button) return;
    // A choice keeps its number and look; only its words change. The other choices wait too.
    var label = button.querySelector(".choice-label") || button;
    button.dataset.busyLabel = label.textContent;
    button.setAttribute("aria-busy", "true");
    label.textContent = "Working…";
    form.querySelectorAll("button[type=submit]").forEach(function (each) { each.disabled = true; });
    form._busyButton = button;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    var button = form && form._busyButton;
    if (!button) return;
    form._busyButton = null;
    if (!button.isConnected) return;  // swapped out with the old step
    (button.querySelector(".choice-label") || button).textContent = button.dataset.busyLabel;
    button.removeAttribute("aria-busy");
    form.querySelectorAll("button[type=submit]").forEach(function (each) { each.disabled = false; });
  });

  // Number keys 1-9 pick the question's choice of that number (its badge shows it), unless the
  // focus is in a field or a modifier is held (Ctrl+1 still switches tabs; Shift is left alone,
  // as some keyboards need it for digits).
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.repeat || event.ctrlKey || event.altKey || event.metaKey
        || !/^[1-9]$/.test(event.key)) return;
    var active = document.activeElement;
    if (active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName))) return;
    var form = document.querySelector("#case .step-question .answer-form");
    if (!form || form._busyButton) return;  // no question here, or its answer is on its way
    var choice = form.querySelectorAll("button.choice[aria-keyshortcuts]")[Number(event.key) - 1];
    if (!choice || choice.disabled) return;
    event.preventDefault();
    choice.click();
  });

  // On a full page load, the focus goes where the page starts: a case's step (no htmx, or after
  // “Start the case”: the browser skips autofocus when the URL has a fragment, and a form step
  // has no autofocus at all), else the first field of a page that is one form (sign in, start a
  // case), else the main heading. The skip link stays for Shift+Tab.
  function focusPage() {
    var active = document.activeElement;
    if (active && active !== document.body && active !== document.documentElement) return;
    if (document.getElementById("step-title")) { focusStep(); return; }
    var main = document.getElementById("main");
    var heading = main && main.querySelector("h1");
    if (!heading) return;
    var card = heading.closest(".card");
    var form = card && card.querySelector("form");
    // A form sent back with errors starts on its first field in error (an unknown group, say).
    var field = main.querySelector("form [aria-invalid='true']") || main.querySelector("[autofocus]")
      || (form && form.querySelector("input:not([type=hidden]):not([disabled]), "
        + "select:not([disabled]), textarea:not([disabled])"));
    if (field) { field.focus(); return; }
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
  document.addEventListener("DOMContentLoaded", focusPage);

  // The menu button (a phone): it folds the navigation; Escape and a click outside fold it again.
  var topbar = document.querySelector(".topbar");
  var toggle = topbar && topbar.querySelector(".nav-toggle");
  var topMenu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  function setNavOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    topbar.classList.toggle("nav-open", open);
  }
  if (toggle && topMenu) {
    topbar.classList.add("has-nav-toggle");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      setNavOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
  }
  function navIsOpen() { return toggle && topMenu && toggle.getAttribute("aria-expanded") === "true"; }

  // The Look up menu (a <details>) and the menu button close on Escape and on a click elsewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector("details.menu[open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
      return;
    }
    if (navIsOpen()) {
      setNavOpen(false);
      toggle.focus();
    }
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
    if (navIsOpen() && !topbar.contains(event.target)) setNavOpen(false);
  });

  // The current section's link in the navigation: the longest link path the address starts with.
  (function markCurrentSection() {
    var here = window.location.pathname;
    var best = null;
    document.querySelectorAll(".topbar nav a[href]").forEach(function (link) {
      var path = new URL(link.href, window.location.href).pathname;
      var matches = path === "/" ? here === "/" : here.indexOf(path) === 0;
      if (matches && (!best || path.length > best.path.length)) best = { link: link, path: path };
    });
    if (best) best.link.setAttribute("aria-current", "page");
  })();

  // The skip link moves focus without adding #main to the URL: a fragment would stick to the
  // next form's POST and its redirect, and stop the next page's autofocus.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.skip-link");
    var target = link && document.querySelector(link.getAttribute("href"));
    if (!target) return;
    event.preventDefault();
    target.focus();
  });

  function drawMermaid() {
    if (window.mermaid && document.querySelector(".mermaid")) {
      window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral",
        flowchart: { htmlLabels: false, curve: "basis" } });
      window.mermaid.run({ querySelector: ".mermaid" });
    }
  }
  window.addEventListener("load", drawMermaid);
})();
