// The dashboard's sections are <details> elements: closed, they keep the first
// screen to the headline measures. A link to a section, or to anything inside one
// (a contents link, a bookmark, an error summary), opens it first, so the link
// lands where it says. Without JavaScript the sections still open by hand.
(function () {
  "use strict";

  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    var section = target;
    while (section) {
      if (section.tagName === "DETAILS") {
        section.open = true;
      }
      section = section.parentElement;
    }
    if (target) {
      target.scrollIntoView();
    }
  }

  window.addEventListener("hashchange", openTarget);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", openTarget);
  } else {
    openTarget();
  }
})();
