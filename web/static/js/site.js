// Progressive enhancement only; every page works without it.
(function () {
  "use strict";

  // A form that came back with errors: move the focus to the error summary so
  // screen readers announce it, and let its links focus the control itself
  // (a plain #id link only scrolls) with its label in view.
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (ev) {
    var link = ev.target.closest("a[href^='#']");
    if (!link) return;
    var control = document.getElementById(link.getAttribute("href").slice(1));
    if (!control) return;
    ev.preventDefault();
    var group = control.type === "checkbox" && control.closest(".checkbox-group");
    var heading = group ? group.querySelector("legend") : document.querySelector("label[for='" + control.id + "']");
    (heading || control).scrollIntoView();
    control.focus({ preventScroll: true });
  });
})();
