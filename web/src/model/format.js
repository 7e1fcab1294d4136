// Number and text formatting shared by figures, readouts, notes and text
// alternatives, and reading a number back from text (parseDecimal).

// Compact, human-readable: 0.3, 0.0012, 1.5e-7, 2.4e+12.
export function formatNumber(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  const text = abs >= 1e-3 && abs < 1e5 ? String(Number(value.toPrecision(digits))) : value.toExponential(digits - 1);
  return text.replace('-', '−');
}

// A value quoted in a note: at most `max` characters of it on one line (line
// breaks, other control characters and text-direction overrides shown as
// "�"), then "…" and its length. Notes quote what a reader or a link gave,
// which can be anything.
export function clipText(value, max = 40) {
  const text = String(value);
  let head = text.length > max ? text.slice(0, max) : text;
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  head = head.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, '\uFFFD');
  return text.length > max ? `${head}… (${text.length} characters)` : head;
}

// A list of names in a note: the first `max`, then "… and N more".
export function clipList(items, max = 5, quote = (s) => clipText(s)) {
  const shown = items.slice(0, max).map(quote).join(', ');
  return items.length > max ? `${shown}, … and ${items.length - max} more` : shown;
}

// Decimal notation only: "0.5", "-2", ".5", "1.", "1e-3". Not hex, binary or
// octal ("0x10"), not "Infinity" or "NaN", no digit separators. The pattern
// cannot backtrack badly (one way to match any text), and longer texts are
// not looked at: no number needs 100 characters.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const MAX_NUMBER_TEXT = 100;

// The number `text` spells, or NaN. Too large for a double (1e309) or too
// small (1e-400, which would read as 0) is NaN too.
export function parseDecimal(text) {
  const t = String(text).trim();
  if (t.length > MAX_NUMBER_TEXT || !DECIMAL.test(t)) return NaN;
  const value = Number(t);
  if (!Number.isFinite(value)) return NaN;
  if (value === 0 && /[1-9]/.test(t.replace(/[eE].*$/, ''))) return NaN;
  return value;
}
