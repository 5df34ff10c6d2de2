// The feature form's live RICE score: reach × impact × confidence ÷ effort, rounded half up to 2 places,
// as products.selectors.rice_score rounds it. The server works the score out again on save; this is a preview.
// Exact arithmetic in hundredths (BigInt), so the preview never differs from the stored score by a float's error.

const HUNDREDTHS = /^\s*(\d+)(?:\.(\d{0,2}))?\s*$/;

/** The value in hundredths (1.5 → 150n), or null if it is not a non-negative number with at most 2 decimals. */
export function hundredths(text) {
  const match = HUNDREDTHS.exec(String(text));
  if (!match) return null;
  return BigInt(match[1]) * 100n + BigInt((match[2] || "").padEnd(2, "0"));
}

/** The RICE score as text ("123.45"), or null when the inputs give none (reach not whole, effort not above 0). */
export function riceScore({ reach, impact, confidence, effort }) {
  const r = /^\s*\d+\s*$/.test(String(reach)) ? BigInt(String(reach).trim()) : null;
  const [i, c, e] = [impact, confidence, effort].map(hundredths);
  if (r === null || i === null || c === null || e === null || e === 0n) return null;
  // score × 100 = reach × (i/100) × (c/100) / (e/100) × 100 = reach × i × c / e; round half up.
  const numerator = r * i * c;
  const scaled = (2n * numerator + e) / (2n * e);
  const whole = scaled / 100n;
  const cents = (scaled % 100n).toString().padStart(2, "0");
  return `${whole}.${cents}`;
}

function connect(fieldset) {
  const form = fieldset.closest("form");
  const output = fieldset.querySelector("output");
  if (!form || !output) return;
  const value = (name) => form.elements.namedItem(name)?.value ?? "";
  const update = () => {
    const score = riceScore({
      reach: value("reach"),
      impact: value("impact"),
      confidence: value("confidence"),
      effort: value("effort"),
    });
    output.textContent = score ?? "—";
    output.classList.toggle("invalid", score === null);
  };
  fieldset.addEventListener("input", update);
  fieldset.addEventListener("change", update);
  update();
}

document.querySelectorAll("[data-rice]").forEach(connect);
