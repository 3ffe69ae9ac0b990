// One tap marks on a touch screen. Plotly takes a click's point from the hover data of the
// pointer's last move; a finger has no move before it lands, so the first tap on a chart only
// showed the hover label and a second tap marked. This gives Plotly that move where the finger
// lands, before Plotly sees the touch. Loaded by chart-scripts.html from the app's own origin
// (the deployed content security policy allows scripts from 'self' only).
(function () {
  var top = window.parent;
  var doc = top && top.document;
  if (!doc || doc.documentElement.hasAttribute("data-touch-taps")) { return; }
  doc.documentElement.setAttribute("data-touch-taps", "");
  doc.addEventListener("touchstart", function (event) {
    if (event.touches.length !== 1) { return; }
    var target = event.target;
    if (!target || !target.closest || !target.closest(".js-plotly-plot .nsewdrag")) { return; }
    var touch = event.touches[0];
    target.dispatchEvent(new top.MouseEvent("mousemove", {
      bubbles: true, cancelable: true, view: top,
      clientX: touch.clientX, clientY: touch.clientY, screenX: touch.screenX, screenY: touch.screenY
    }));
  }, {capture: true, passive: true});
})();
