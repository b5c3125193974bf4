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
// transliteration as the server (ä→ae, ö→oe, ü→ue, ß→ss). Members take it
// from the short name, as the server does. Where the form shows the whole
// resulting address ([data-slug-preview]), it follows.
(function () {
  "use strict";
  var slug = document.querySelector("form.content-form input[name='slug']");
  var title = slug && (slug.form.querySelector("input[name='short_name']") ||
    slug.form.querySelector("input[name='title'], input[name='name']"));
  if (!title) return;
  var shown = slug.form.querySelector("[data-slug-preview]");
  var map = { "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss" };
  function slugify(s) {
    return s.toLowerCase()
      .replace(/[äöüßẞ]/g, function (c) { return map[c]; })
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80).replace(/-+$/, "");
  }
  function showAddress() {
    if (shown) shown.textContent = shown.dataset.slugPreview + (slug.value.trim() || slugify(title.value) || "…");
  }
  var proposed = slug.value === "" ? "" : null;
  title.addEventListener("input", function () {
    if (proposed !== null && slug.value === proposed) {
      proposed = slugify(title.value);
      slug.value = proposed;
    }
    showAddress();
  });
  slug.addEventListener("input", showAddress);
})();

// Member form: a click on the map of Germany sets the coordinates. The map
// carries the inverse of the server's projection (internal/geomap) in data
// attributes: lon = lon0 + x·lonPerX and lat = lat0 − y·latPerY, with x and y
// in view-box units. Only the land is clickable, so a click always gives a
// place in Germany. The inputs stay what counts: typing moves the marker,
// and keyboard and screen-reader users keep typing the numbers.
(function () {
  "use strict";
  var svg = document.querySelector("svg[data-pick-location]");
  if (!svg) return;
  var d = svg.dataset;
  var lat = document.getElementById(d.lat);
  var lon = document.getElementById(d.lon);
  var land = svg.querySelector(".map-land");
  var marker = svg.querySelector(".map-marker");
  var status = document.getElementById(d.status);
  if (!lat || !lon || !land || !marker || !svg.getScreenCTM) return;
  var p = { lon0: +d.lon0, lonPerX: +d.lonPerX, lat0: +d.lat0, latPerY: +d.latPerY };

  function decimal(v) { return v.toFixed(4).replace(".", ","); }
  function parse(s) {
    s = s.trim().replace(",", ".");
    return /^[+-]?\d{1,3}(\.\d+)?$/.test(s) ? parseFloat(s) : NaN;
  }
  function place(x, y) {
    if (isNaN(x) || isNaN(y)) {
      marker.setAttribute("hidden", "");
      return;
    }
    marker.setAttribute("transform", "translate(" + x.toFixed(1) + " " + y.toFixed(1) + ")");
    marker.removeAttribute("hidden");
  }
  function fromInputs() {
    var la = parse(lat.value), lo = parse(lon.value);
    place((lo - p.lon0) / p.lonPerX, (p.lat0 - la) / p.latPerY);
  }

  land.addEventListener("click", function (ev) {
    var pt = svg.createSVGPoint();
    pt.x = ev.clientX;
    pt.y = ev.clientY;
    var v = pt.matrixTransform(svg.getScreenCTM().inverse());
    lat.value = decimal(p.lat0 - v.y * p.latPerY);
    lon.value = decimal(p.lon0 + v.x * p.lonPerX);
    place(v.x, v.y);
    [lat, lon].forEach(function (el) { el.dispatchEvent(new Event("input", { bubbles: true })); });
    if (status) status.textContent = "Lage gesetzt: Breitengrad " + lat.value + ", Längengrad " + lon.value + ".";
  });
  lat.addEventListener("input", fromInputs);
  lon.addEventListener("input", fromInputs);
  svg.classList.add("map-pickable");
  var hint = document.getElementById(d.hint);
  if (hint) hint.hidden = false;
})();
