// The roadmap editor's drag and drop (SortableJS), for the users the page marks as editors.
//
// A drop POSTs the move to the API at once (`/api/v1/features/{id}/move/`, session auth + CSRF header), then
// the roadmap is fetched again and swapped in, so every card shows what the server stored. A stale version
// (409) says who won ("Someone else changed …, it is now in …") and shows the card where it now is; any
// other error says so and puts the card back (the same refresh). The "Move" menu of each card does the same
// moves without a mouse (a form the server handles; with htmx its answer lands here as a `roadmap:moved`
// event).
//
// Positions are spaced (1024 apart): a card dropped between two others takes the middle of their gap; with
// no gap left it takes the upper neighbour's position (equal positions sort by id), so a move writes the
// moved feature only and never renumbers the lane (products.selectors.position_between is the same rule).

const STEP = 1024;
const MAX_POSITION = 2147483647;
const sortables = [];
let pointerX = null;

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  } catch {
    return "";
  }
}

function status(message, isError) {
  const region = document.getElementById("roadmap-status");
  if (!region) return;
  region.classList.toggle("error", Boolean(isError));
  region.textContent = message;
}

export function positionBetween(before, after) {
  if (before === null && after === null) return STEP;
  if (after === null) return Math.min(before + STEP, MAX_POSITION);
  if (before === null) return after > 1 ? Math.floor(after / 2) : 0;
  if (after - before >= 2) return Math.floor((before + after) / 2);
  return before;
}

function neighbourPosition(element) {
  return element && element.classList.contains("rm-card") ? Number(element.dataset.position) : null;
}

function iso(date) {
  return date.toISOString().slice(0, 10);
}

function parseDate(text) {
  return text ? new Date(text + "T00:00:00Z") : null;
}

// The start moved by whole quarters (same day of the month, or the month's last), the duration kept.
function shiftMonths(date, months) {
  // The same day of the month (or the month's last); a month's end stays a month's end
  // (products.selectors.shift_dates_by_quarters is the same rule).
  const index = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const ownLastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  const day = date.getUTCDate() === ownLastDay ? lastDay : Math.min(date.getUTCDate(), lastDay);
  return new Date(Date.UTC(year, month, day));
}

export function shiftByQuarters(startText, endText, quarters) {
  const start = parseDate(startText);
  const end = parseDate(endText);
  if (!start) return { start_date: null, end_date: endText || null };
  return {
    start_date: iso(shiftMonths(start, 3 * quarters)),
    end_date: end ? iso(shiftMonths(end, 3 * quarters)) : null,
  };
}

function columnAt(track, x) {
  const heads = document.querySelectorAll("#roadmap .rm-head .col-head");
  if (!heads.length || x === null) return null;
  const box = track.getBoundingClientRect();
  const share = (x - box.left) / box.width;
  const index = Math.max(0, Math.min(heads.length - 1, Math.floor(share * heads.length)));
  return heads[index];
}

function moveBody(event, root) {
  const card = event.item;
  const to = event.to;
  const body = {
    version: Number(card.dataset.version),
    position: positionBetween(neighbourPosition(card.previousElementSibling), neighbourPosition(card.nextElementSibling)),
  };
  const view = root.dataset.view;
  if (view === "board") {
    body.horizon = to.dataset.horizon;
    return body;
  }
  body.theme = to.dataset.theme ? Number(to.dataset.theme) : null;
  const target = columnAt(to, pointerX);
  if (!target) return body;
  if (view === "release") {
    body.release = Number(target.dataset.release);
  } else if (!card.dataset.start && !card.dataset.end) {
    body.start_date = target.dataset.start; // from the tray: the whole quarter
    body.end_date = target.dataset.end;
  } else {
    const from = card.dataset.grabColumn ? Number(card.dataset.grabColumn) : Number(target.dataset.col);
    const shift = Number(target.dataset.col) - from;
    if (shift !== 0) {
      if (card.dataset.start) Object.assign(body, shiftByQuarters(card.dataset.start, card.dataset.end, shift));
      else body.end_date = shiftByQuarters(card.dataset.end, "", shift).start_date;
    }
  }
  return body;
}

function refresh() {
  // The whole roadmap region again from the server, filters and window kept (they are in the address).
  // SortableJS leaves style properties on the cards it animated; htmx would copy them onto the new cards
  // as style attributes, which the Content-Security-Policy (style-src 'self') refuses. Nothing here needs them.
  document.querySelectorAll("#roadmap [style]").forEach((element) => element.removeAttribute("style"));
  return window.htmx.ajax("GET", window.location.href, { target: "#roadmap", select: "#roadmap", swap: "outerHTML" });
}

async function afterRefresh(callback) {
  try {
    await refresh();
  } finally {
    start();
    callback();
  }
}

function placeOf(id) {
  const card = document.getElementById(`feature-${id}`);
  return card ? card.dataset.place : null;
}

async function send(event, root) {
  const card = event.item;
  const title = card.dataset.title;
  const body = moveBody(event, root);
  const samePlace = event.from === event.to && event.oldIndex === event.newIndex;
  const sameColumn = root.dataset.view === "release" ? String(body.release) === card.dataset.release : !("start_date" in body || "end_date" in body);
  if (samePlace && sameColumn) return; // dropped where it was: nothing to save
  let response;
  try {
    response = await fetch(`/api/v1/features/${card.dataset.id}/move/`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    });
  } catch {
    afterRefresh(() => status(`${title} was not moved: the server could not be reached.`, true));
    return;
  }
  if (response.ok) {
    afterRefresh(() => status(`Moved ${title} to ${placeOf(card.dataset.id) || "its new place (outside this view)"}.`));
    return;
  }
  let detail = "";
  try {
    const answer = await response.json();
    detail = answer.detail || JSON.stringify(answer.errors || answer);
  } catch {
    detail = response.statusText;
  }
  if (response.status === 409) {
    afterRefresh(() => {
      const place = placeOf(card.dataset.id);
      status(`Someone else changed ${title} — it is now in ${place || "a place outside this view"}.`, true);
    });
  } else {
    afterRefresh(() => status(`${title} was not moved: ${detail}`, true));
  }
}

function trackPointer(event) {
  const point = event.touches ? event.touches[0] : event;
  if (point && typeof point.clientX === "number") pointerX = point.clientX;
}

function start() {
  while (sortables.length) sortables.pop().destroy();
  const root = document.getElementById("roadmap");
  if (!root || root.dataset.editable !== "true" || !window.Sortable) return;
  const group = root.dataset.view === "board" ? "board" : "timeline";
  root.querySelectorAll("[data-drop]").forEach((list) => {
    const isTray = list.dataset.drop === "tray";
    sortables.push(
      window.Sortable.create(list, {
        group: { name: group, put: !isTray },
        sort: !isTray,
        draggable: ".rm-card",
        handle: ".drag-handle",
        forceFallback: true, // mouse and pointer events, the same in every browser (and under test)
        fallbackOnBody: true,
        animation: 120,
        onStart(event) {
          const head = columnAt(event.from, pointerX);
          event.item.dataset.grabColumn = head ? head.dataset.col : "";
        },
        onEnd(event) {
          send(event, root);
        },
      }),
    );
  });
}

// htmx copies "style" among the attributes it settles on swapped elements: a style attribute the CSP refuses.
if (window.htmx) window.htmx.config.attributesToSettle = ["class", "width", "height"];

document.addEventListener("pointerdown", trackPointer, true);
document.addEventListener("pointermove", trackPointer, true);
document.addEventListener("mousemove", trackPointer, true);
document.addEventListener("mousedown", trackPointer, true);
document.addEventListener("touchmove", trackPointer, { capture: true, passive: true });

// The "Move" menu's answer (htmx): say what happened, then show the roadmap as the server has it.
document.addEventListener("roadmap:moved", (event) => {
  const { message, failed, feature } = event.detail;
  afterRefresh(() => {
    status(message, failed);
    const summary = document.querySelector(`#feature-${feature} .move-menu summary`);
    if (summary) summary.focus();
  });
});

start();
