// The flow finder on the home page: "/" brings the focus to the search box, Enter there opens
// the first result, the arrow keys move between the box and the results, and a screen reader
// hears how many flows match. Without this file the finder is a plain form (a POST).
(function () {
  "use strict";

  var box = document.getElementById("finder-q");
  var results = document.getElementById("finder-results");
  var status = document.getElementById("finder-status");
  if (!box || !results) return;
  document.querySelectorAll(".finder-js-help").forEach(function (help) { help.hidden = false; });

  function isTypingIn(element) {
    if (!element) return false;
    return /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName) || element.isContentEditable;
  }

  // "/" from anywhere on the page, unless the focus is already in a field.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTypingIn(document.activeElement)) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  function links() {
    return Array.prototype.slice.call(results.querySelectorAll(".flow-link"));
  }

  // The results on the page answer what the box holds now (not a word typed earlier).
  function resultsAreFresh() {
    var found = results.querySelector(".finder-found");
    return Boolean(found) && found.getAttribute("data-typed") === box.value.trim();
  }

  var openWhenAnswered = false;
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.isComposing) {
      if (resultsAreFresh()) {
        event.preventDefault();
        if (links().length) links()[0].click();
      } else {
        openWhenAnswered = true;  // the form is sent (htmx); the first result opens on arrival
      }
    } else if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    }
  });
  box.addEventListener("input", function () { openWhenAnswered = false; });

  results.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" && at + 1 < all.length) {
      event.preventDefault();
      all[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (at > 0 ? all[at - 1] : box).focus();
    } else if (event.key === "Escape") {
      box.focus();
    }
  });

  function say(text) {
    if (!status) return;
    status.textContent = "";
    setTimeout(function () { status.textContent = text; }, 50);
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target) return;
    if (target.id === "finder-results") {
      var found = results.querySelector(".finder-found");
      if (!found) { say(""); return; }
      var count = parseInt(found.getAttribute("data-count"), 10) || 0;
      say(count === 0 ? "No flow matches." : count === 1 ? "1 flow matches." : count + " flows match.");
      if (openWhenAnswered && resultsAreFresh() && links().length) links()[0].click();
      openWhenAnswered = false;
    } else if (target.id === "finder-flows" || target.classList.contains("finder-flows")) {
      var star = document.activeElement && document.activeElement.closest(".star");
      if (star) {
        say(star.getAttribute("aria-pressed") === "true" ? "Added to your favourites." : "Removed from your favourites.");
      }
    }
  });
})();
