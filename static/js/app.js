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

  // After htmx swaps a step in, move focus to its heading so keyboard and screen-reader
  // users land on the new question rather than at the top of the page.
  document.addEventListener("htmx:afterSettle", function (event) {
    var heading = document.getElementById("step-title");
    if (heading && event.detail.target && event.detail.target.id === "case") {
      var first = document.querySelector("#case [autofocus]");
      (first || heading).focus();
    }
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
