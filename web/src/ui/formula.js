// Live formulas as MathML, which browsers typeset natively: no KaTeX on the
// page for a figure's few changing symbols (the article's own math is
// typeset ahead of time by scripts/build-dist.mjs). Each formula also
// carries its TeX source as an annotation, for copy and for tests.
//
//   renderFormula(el, [sub('x', 1), op('='), num(0.3)], 'x_{1} = 0.3')
const NS = 'http://www.w3.org/1998/Math/MathML';

function node(tag, children = [], text) {
  const el = document.createElementNS(NS, tag);
  if (text !== undefined) el.textContent = text;
  for (const c of children) el.append(c);
  return el;
}

export const ident = (name) => node('mi', [], name);
export const op = (symbol) => node('mo', [], symbol);
// The prime of f′, set as an operator right after its letter.
export const prime = () => {
  const el = node('mo', [], '′');
  el.setAttribute('lspace', '0');
  el.setAttribute('rspace', '0');
  return el;
};
export const text = (words) => node('mtext', [], words);
export const row = (...children) => node('mrow', children);
export const sub = (base, index) => node('msub', [ident(base), typeof index === 'number' ? node('mn', [], String(index)) : index]);
export const space = (em) => {
  const el = node('mspace');
  el.setAttribute('width', `${em}em`);
  return el;
};

// Splits a number into how it is written: its sign, and either plain digits
// or a mantissa and a power of ten (three significant digits by default).
function numberParts(value, digits) {
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e5) return { negative: value < 0, plain: String(Number(abs.toPrecision(digits))) };
  const [mantissa, exponent] = abs.toExponential(digits - 1).split('e');
  return { negative: value < 0, mantissa: String(Number(mantissa)), exponent: Number(exponent) };
}

// A number in MathML: 0.3, −1.2, 1.02×10⁻⁹, ∞, NaN.
export function num(value, digits = 3) {
  if (Number.isNaN(value)) return text('NaN');
  if (!Number.isFinite(value)) return value > 0 ? node('mi', [], '∞') : row(op('−'), node('mi', [], '∞'));
  if (value === 0) return node('mn', [], '0');
  const p = numberParts(value, digits);
  const body = p.plain !== undefined
    ? node('mn', [], p.plain)
    : row(node('mn', [], p.mantissa), op('×'), node('msup', [node('mn', [], '10'), p.exponent < 0 ? row(op('−'), node('mn', [], String(-p.exponent))) : node('mn', [], String(p.exponent))]));
  return p.negative ? row(op('−'), body) : body;
}

// The same number written for TeX (the annotation): 0.3, 1.02\times10^{-9}.
export function texNumber(value, digits = 3) {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? '\\text{NaN}' : value > 0 ? '\\infty' : '-\\infty';
  if (value === 0) return '0';
  const p = numberParts(value, digits);
  const sign = p.negative ? '-' : '';
  return p.plain !== undefined ? `${sign}${p.plain}` : `${sign}${p.mantissa}\\times10^{${p.exponent}}`;
}

// Replaces element's content with one <math> of these nodes.
export function renderFormula(element, nodes, tex, { display = false } = {}) {
  const annotation = node('annotation', [], tex);
  annotation.setAttribute('encoding', 'application/x-tex');
  const math = node('math', [node('semantics', [row(...nodes), annotation])]);
  if (display) math.setAttribute('display', 'block');
  element.replaceChildren(math);
}
