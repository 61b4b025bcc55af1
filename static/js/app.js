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

  // Move focus into the step: its first field marked invalid, else its autofocus control (the
  // first choice, the continue button), else its heading. Keyboard and screen-reader users then
  // land on the question rather than at the top of the page.
  function focusStep() {
    var heading = document.getElementById("step-title");
    if (!heading) return;
    var target = document.querySelector("#case [aria-invalid='true'], #case [autofocus]");
    (target || heading).focus();
  }

  // After htmx swaps a step in.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target && event.detail.target.id === "case") focusStep();
  });

  // On a full page load of a step too (no htmx, or after “Start the case”): the browser skips
  // autofocus when the URL has a fragment, and a form step has no autofocus at all.
  document.addEventListener("DOMContentLoaded", function () {
    if (document.activeElement === document.body || document.activeElement === null) focusStep();
  });

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
