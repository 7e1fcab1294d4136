// Reading a figure's initial state from its element's attributes. A value that
// cannot be used falls back to the default and leaves a short note for the
// reader instead of breaking the figure.
import { formatNumber } from '../model/format.js';

export function readNumberAttribute(element, name, { fallback, min = -Infinity, max = Infinity }, notes) {
  const raw = element.getAttribute(name);
  if (raw === null || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    notes.push(`${name}="${raw}" is not a number in [${formatNumber(min)}, ${formatNumber(max)}]; using ${formatNumber(fallback)}.`);
    return fallback;
  }
  return value;
}

export function readIntegerAttribute(element, name, options, notes) {
  const value = readNumberAttribute(element, name, options, notes);
  if (Number.isInteger(value)) return value;
  notes.push(`${name}="${element.getAttribute(name)}" is not a whole number; using ${options.fallback}.`);
  return options.fallback;
}
