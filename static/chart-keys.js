// A keyboard reaches a chart's own buttons. Plotly draws its buttons (the diagram's "Play")
// in SVG without a place in the Tab order, so only a mouse could press them. This gives each
// one a Tab stop, the role and name of a button, and Enter and Space to press it.
(function () {
  var top = window.parent;
  var doc = top && top.document;
  if (!doc || doc.documentElement.hasAttribute("data-chart-keys")) { return; }
  doc.documentElement.setAttribute("data-chart-keys", "");
  // The buttons in ``root`` (itself included): only what was just added is looked through.
  function reachable(root) {
    if (!root.querySelectorAll) { return; }
    var buttons = Array.prototype.slice.call(root.querySelectorAll(".updatemenu-button"));
    if (root.classList && root.classList.contains("updatemenu-button")) { buttons.push(root); }
    buttons.forEach(function (button) {
      if (button.hasAttribute("tabindex")) { return; }
      button.setAttribute("tabindex", "0");
      button.setAttribute("role", "button");
      var label = (button.textContent || "").trim();
      if (label) { button.setAttribute("aria-label", label); }
    });
  }
  new top.MutationObserver(function (changes) {
    changes.forEach(function (change) {
      Array.prototype.forEach.call(change.addedNodes, function (node) {
        if (node.nodeType === 1) { reachable(node); }
      });
    });
  }).observe(doc.body, {childList: true, subtree: true});
  reachable(doc);
  doc.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" && event.key !== " ") { return; }
    if (!target || !target.classList || !target.classList.contains("updatemenu-button")) { return; }
    event.preventDefault();
    target.dispatchEvent(new top.MouseEvent("click", {bubbles: true, cancelable: true, view: top}));
  }, true);
})();
