// Math typeset by KaTeX inside a figure's shadow root. <lrlab-figure> links
// KaTeX's stylesheet into every shadow root (styles do not cross it); its
// @font-face rules only take effect at document level, so the stylesheet is
// also linked into the document once if the page has not done so itself.
import katex from '../../vendor/katex/katex.mjs';

const KATEX_CSS = new URL('../../vendor/katex/katex.min.css', import.meta.url).href;

function ensureDocumentLink() {
  // Compare resolved URLs: the page may link the same file by a relative path.
  if ([...document.querySelectorAll('link[rel="stylesheet"]')].some((l) => l.href === KATEX_CSS)) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = KATEX_CSS;
  document.head.append(link);
}

// Renders TeX into `element` (inline unless display is true).
export function renderTex(element, tex, { display = false } = {}) {
  ensureDocumentLink();
  katex.render(tex, element, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' });
}

// A number written for TeX: 0.3, 1.02\times10^{-9}, with a real minus sign.
export function texNumber(value, digits = 3) {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? '\\text{NaN}' : value > 0 ? '\\infty' : '-\\infty';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e5) return String(Number(value.toPrecision(digits)));
  const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
  return `${Number(mantissa)}\\times10^{${Number(exponent)}}`;
}
