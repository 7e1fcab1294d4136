// Reading a figure's initial state from its element's attributes, and what
// an address may set as attributes. A value that cannot be used falls back to
// the default and leaves a short note for the reader instead of breaking the
// figure; a note quotes at most the start of a value (clipText).
import { clipText, formatNumber, parseDecimal } from '../model/format.js';

// --- numbers (decimal notation only: model/format.js parseDecimal) --------------------
export function readNumberAttribute(element, name, { fallback, min = -Infinity, max = Infinity }, notes) {
  const raw = element.getAttribute(name);
  if (raw === null || raw.trim() === '') return fallback;
  const value = parseDecimal(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    notes.push(`${name}="${clipText(raw)}" is not a number in [${formatNumber(min)}, ${formatNumber(max)}]; using ${formatNumber(fallback)}.`);
    return fallback;
  }
  return value;
}

export function readIntegerAttribute(element, name, options, notes) {
  const value = readNumberAttribute(element, name, options, notes);
  if (Number.isInteger(value)) return value;
  notes.push(`${name}="${clipText(element.getAttribute(name))}" is not a whole number; using ${options.fallback}.`);
  return options.fallback;
}

// A yes/no attribute: present (empty) or "true" is yes, "false" is no,
// absent is `fallback`; anything else is `fallback` with a note.
export function readFlagAttribute(element, name, { fallback }, notes) {
  const raw = element.getAttribute(name);
  if (raw === null) return fallback;
  const text = raw.trim();
  if (text === '' || text === 'true') return true;
  if (text === 'false') return false;
  notes.push(`${name}="${clipText(raw)}" is not true or false; using ${fallback}.`);
  return fallback;
}

// --- what an address may set ---------------------------------------------------------
// The article's ?<figure>.<attribute>=<value> and embed.html's query become
// attributes of a figure. Only a figure's own settings may: never an event
// handler (on…), a style, or another attribute HTML gives a meaning to on
// every element. At most MAX_PER_FIGURE parameters per figure are looked at,
// each value at most MAX_VALUE characters (MAX_DOCUMENT for the lab's config,
// which carries a whole state: model/lab-runs.js MAX_STATE_CHARS).
export const ADDRESS_LIMITS = Object.freeze({ MAX_PER_FIGURE: 64, MAX_VALUE: 4000, MAX_DOCUMENT: 200000 });

const ATTRIBUTE_NAME = /^[a-z][a-z0-9_-]{0,40}$/;
const DOCUMENTS = new Set(['config']);
// Global HTML attributes, which mean something on any element (as do on…,
// data-* and aria-*), and `name` (which figure it is). No figure setting is
// named like one of them.
const HTML_ATTRIBUTES = new Set([
  'name', 'accesskey', 'anchor', 'autocapitalize', 'autocorrect', 'autofocus', 'class', 'contenteditable', 'dir',
  'draggable', 'enterkeyhint', 'exportparts', 'hidden', 'id', 'inert', 'inputmode', 'is', 'itemid', 'itemprop',
  'itemref', 'itemscope', 'itemtype', 'lang', 'nonce', 'part', 'popover', 'role', 'slot', 'spellcheck', 'style',
  'tabindex', 'title', 'translate', 'virtualkeyboardpolicy', 'writingsuggestions', 'xmlns',
]);
const isHtmlAttribute = (name) => HTML_ATTRIBUTES.has(name) || name.startsWith('on') || name.startsWith('data-') || name.startsWith('aria-');

// [[name, value], …] from an address, for one figure → {set: the pairs to
// set as attributes, notes: why the others were not}.
export function attributesFromAddress(pairs) {
  const set = [];
  const notes = [];
  const { MAX_PER_FIGURE, MAX_VALUE, MAX_DOCUMENT } = ADDRESS_LIMITS;
  let count = 0;
  for (const [name, value] of pairs) {
    if (++count > MAX_PER_FIGURE) {
      notes.push(`The address has ${pairs.length} settings for this figure; only the first ${MAX_PER_FIGURE} were read.`);
      break;
    }
    if (!ATTRIBUTE_NAME.test(name)) {
      notes.push(`"${clipText(name)}" is not a setting of this figure; it was ignored.`);
    } else if (isHtmlAttribute(name)) {
      notes.push(`"${name}" cannot be set from the address; it was ignored.`);
    } else if (value.length > (DOCUMENTS.has(name) ? MAX_DOCUMENT : MAX_VALUE)) {
      notes.push(`${name}="${clipText(value)}" is longer than ${DOCUMENTS.has(name) ? MAX_DOCUMENT : MAX_VALUE} characters; it was ignored, using the default.`);
    } else {
      set.push([name, value]);
    }
  }
  return { set, notes };
}

// Notes from the address wait on the element until its figure starts
// (lrlab-figure.js shows them). A symbol from the global registry: the
// article's script and the element's may be separate copies of this module.
const PENDING = Symbol.for('lrlab.addressNotes');

export function queueAddressNotes(element, notes) {
  if (!notes.length) return;
  element[PENDING] = [...(element[PENDING] ?? []), ...notes];
}

export function takeAddressNotes(element) {
  const notes = element[PENDING] ?? [];
  delete element[PENDING];
  return notes;
}
