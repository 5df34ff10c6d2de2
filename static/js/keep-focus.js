// Keyboard users keep their place when htmx replaces the part of the page that held the focus (a feedback item
// triaged in place, a KPI card redrawn): without this, the focus falls back to the top of the page and the next
// Tab starts again at "Skip to content". The new part takes the focus instead, so Tab goes on inside it.
let lostFrom = null;

document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  lostFrom = target && target.id && target.contains(document.activeElement) ? target.id : null;
});

document.addEventListener("htmx:afterSettle", () => {
  if (!lostFrom) return;
  const id = lostFrom;
  lostFrom = null;
  if (document.activeElement && document.activeElement !== document.body) return;
  const part = document.getElementById(id);
  if (!part) return;
  if (!part.hasAttribute("tabindex")) part.setAttribute("tabindex", "-1");
  part.focus({ preventScroll: true });
});
