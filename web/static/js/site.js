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

// Content forms: propose the address (slug) from the title while the slug
// field is empty or still holds the last proposal, with the same German
// transliteration as the server (ä→ae, ö→oe, ü→ue, ß→ss).
(function () {
  "use strict";
  var slug = document.querySelector("form.content-form input[name='slug']");
  var title = slug && slug.form.querySelector("input[name='title'], input[name='name']");
  if (!title) return;
  var map = { "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss" };
  function slugify(s) {
    return s.toLowerCase()
      .replace(/[äöüßẞ]/g, function (c) { return map[c]; })
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80).replace(/-+$/, "");
  }
  var proposed = slug.value === "" ? "" : null;
  title.addEventListener("input", function () {
    if (proposed === null || slug.value !== proposed) return;
    proposed = slugify(title.value);
    slug.value = proposed;
  });
})();
