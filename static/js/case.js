// SupportDesk case page: the handle timer, the note box's counter, and the note panel after
// htmx swaps it. The page works without this file (the timer then shows the time at loading).
(function () {
  "use strict";

  // --- The handle timer -------------------------------------------------------------------
  // The server gives the seconds already on the case (data-timer-seconds): the count goes on
  // from there on this machine's clock, so the two clocks need not agree. A case from an earlier
  // day counts this call only (data-timer-call): from when this tab first showed it, kept in
  // sessionStorage so a reload or a swapped step does not start it again. An htmx swap of #case
  // brings a new timer element with fresh seconds; each second every timer on the page is set.

  function clockText(seconds) {
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var rest = seconds % 60;
    var mm = (minutes < 10 ? "0" : "") + minutes;
    var ss = (rest < 10 ? "0" : "") + rest;
    return hours ? hours + ":" + mm + ":" + ss : mm + ":" + ss;
  }

  function startOf(timer) {
    var start = Date.now() - (parseInt(timer.dataset.timerSeconds, 10) || 0) * 1000;
    var call = timer.dataset.timerCall;
    if (!call) return start;
    var key = "supportdesk.call-started." + call;
    try {
      var kept = parseInt(window.sessionStorage.getItem(key), 10);
      if (kept && kept <= Date.now()) return kept;
      window.sessionStorage.setItem(key, String(start));
    } catch (error) { /* storage refused (private mode): count from this page */ }
    return start;
  }

  function tick() {
    document.querySelectorAll("[data-timer-seconds]").forEach(function (timer) {
      if (!timer.startedAt) timer.startedAt = startOf(timer);
      var shown = clockText(Math.max(0, Math.floor((Date.now() - timer.startedAt) / 1000)));
      if (timer.textContent !== shown) timer.textContent = shown;
    });
  }

  // --- The note box -------------------------------------------------------------------------
  // A visible count against the limit; past it the box says so (and the server refuses, never
  // cuts). Characters are counted as the server counts them: a line break is one.

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region) return;
    region.textContent = "";
    setTimeout(function () { region.textContent = text; }, 50);
  }

  function formatNumber(n) { return n.toLocaleString("en-US"); }

  function count(area) {
    var max = parseInt(area.dataset.maxLength, 10);
    var counter = document.getElementById(area.id + "-count");
    if (!max || !counter) return;
    var used = Array.from(area.value.replace(/\r\n/g, "\n").trim()).length;
    var over = used > max;
    var noun = area.dataset.noun || "note";  // a feedback box says "report" or "answer"
    counter.hidden = false;
    counter.textContent = formatNumber(used) + " / " + formatNumber(max) + " characters" +
      (over ? ": " + formatNumber(used - max) + " too many, shorten the " + noun : "");
    counter.classList.toggle("over", over);
    if (over !== (area.dataset.over === "true")) {
      area.dataset.over = over ? "true" : "false";
      if (over) announce("The " + noun + " is over " + formatNumber(max) + " characters.");
    }
  }

  function noteBoxes(root) {
    return (root || document).querySelectorAll("textarea[data-max-length]");
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-max-length]")) count(event.target);
  });

  // A note typed but not yet added survives the step being answered (which swaps #case).
  var draft = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "case") return;
    var box = event.detail.target.querySelector(".note-form textarea");
    draft = box && box.value ? box.value : null;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target) return;
    if (target.id === "case" && draft) {
      var box = document.querySelector("#case-side .note-form textarea");
      if (box && !box.value) { box.value = draft; }
      draft = null;
    }
    noteBoxes().forEach(count);
    if (target.id === "step-feedback") {
      // The report box came back: thanked, or open with why the report was refused.
      var thanks = document.querySelector("#step-feedback .note-added");
      if (thanks) { announce(thanks.textContent); return; }
      var report = document.querySelector("#step-feedback textarea");
      if (report) report.focus();
      return;
    }
    if (target.id !== "case-side") return;
    // The note panel came back: the box is ready for the next note, or shows why it was refused
    // (its error is an alert, read out by itself).
    var area = document.querySelector("#case-side .note-form textarea");
    if (area) area.focus();
    if (document.querySelector("#case-side .note-added")) announce("Note added to the transcript.");
  });

  document.addEventListener("DOMContentLoaded", function () {
    noteBoxes().forEach(count);
    tick();
    setInterval(tick, 1000);
  });
})();
