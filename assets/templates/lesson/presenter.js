(function () {
  document.documentElement.classList.add("js");
  var steps = Array.prototype.slice.call(document.querySelectorAll("section.step"));
  var n = steps.length, current = -1, drawn = {};
  var prev = document.getElementById("prev"), next = document.getElementById("next");
  var indicator = document.getElementById("indicator");
  function draw(i) {
    var holder = steps[i].querySelector(".figure");
    if (!holder || typeof Plotly === "undefined") { return; }
    if (drawn[i]) { Plotly.Plots.resize(holder); return; }
    drawn[i] = true;
    var small = holder.getAttribute("data-figure-small");
    var narrow = window.matchMedia("(max-width: 700px)").matches;
    var source = small && narrow ? small : holder.getAttribute("data-figure");
    if (small && narrow) { holder.classList.add("small"); }
    var spec = JSON.parse(document.getElementById(source).textContent);
    var config = {displayModeBar: false, responsive: true, scrollZoom: false};
    Plotly.newPlot(holder, spec.data, spec.layout, config).then(function () {
      if (spec.frames && spec.frames.length) { Plotly.addFrames(holder, spec.frames); }
    });
  }
  function show(i) {
    i = Math.max(0, Math.min(n - 1, i));
    if (i === current) { return; }
    current = i;
    steps.forEach(function (s, k) { s.hidden = k !== i; });
    indicator.textContent = "Step " + (i + 1) + " of " + n;
    prev.disabled = i === 0;
    next.disabled = i === n - 1;
    var hash = "#step-" + (i + 1);
    if (location.hash !== hash) {
      try { history.replaceState(null, "", hash); } catch (e) { location.hash = hash; }
    }
    window.scrollTo(0, 0);
    draw(i);
  }
  function fromHash() {
    var m = /^#step-(\d+)$/.exec(location.hash);
    return m ? parseInt(m[1], 10) - 1 : 0;
  }
  // Notes under the slide: off by default (the projected screen), on with the button or N.
  var notesToggle = document.getElementById("notes-toggle");
  function setNotes(on) {
    document.documentElement.classList.toggle("show-notes", on);
    if (notesToggle) { notesToggle.setAttribute("aria-pressed", on ? "true" : "false"); }
  }
  if (notesToggle && document.querySelector(".notes")) {
    notesToggle.hidden = false;
    notesToggle.addEventListener("click", function () {
      setNotes(notesToggle.getAttribute("aria-pressed") !== "true");
    });
  }
  prev.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var tag = (e.target && e.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    var to = null;
    if (e.key === "ArrowRight" || e.key === "PageDown") { to = current + 1; }
    else if (e.key === "ArrowLeft" || e.key === "PageUp") { to = current - 1; }
    else if (e.key === "Home") { to = 0; }
    else if (e.key === "End") { to = n - 1; }
    else if ((e.key === "n" || e.key === "N") && notesToggle && !notesToggle.hidden) {
      e.preventDefault(); notesToggle.click(); return;
    }
    if (to !== null) { e.preventDefault(); show(to); }
  });
  window.addEventListener("hashchange", function () { show(fromHash()); window.scrollTo(0, 0); });
  show(fromHash());
})();
