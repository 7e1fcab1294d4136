// A labelled range input on a logarithmic scale. The native <input
// type="range"> keeps keyboard use and screen-reader support; aria-valuetext
// announces the real value instead of the slider position.
import { formatNumber } from '../model/format.js';

const RESOLUTION = 1000;

export function createLogSlider({ label, symbol = label, min, max, value, onInput }) {
  const root = document.createElement('label');
  root.className = 'slider';
  const name = document.createElement('span');
  name.className = 'slider-label';
  name.textContent = label;
  const input = document.createElement('input');
  input.type = 'range';
  input.min = '0';
  input.max = String(RESOLUTION);
  input.step = '1';
  const readout = document.createElement('output');
  readout.className = 'slider-value';
  root.append(name, input, readout);

  const logMin = Math.log10(min);
  const span = Math.log10(max) - logMin;
  const toPosition = (v) => Math.round(((Math.log10(v) - logMin) / span) * RESOLUTION);
  const fromPosition = (p) => 10 ** (logMin + (span * p) / RESOLUTION);
  // Round to 3 significant digits so values read (and share) cleanly.
  const tidy = (v) => Number(v.toPrecision(3));

  let current = value;
  function show() {
    const text = `${symbol} = ${formatNumber(current)}`;
    readout.textContent = formatNumber(current);
    input.setAttribute('aria-valuetext', text);
  }
  function set(v) {
    current = Math.min(max, Math.max(min, v));
    input.value = String(toPosition(current));
    show();
  }
  input.addEventListener('input', () => {
    current = tidy(fromPosition(Number(input.value)));
    show();
    onInput(current);
  });
  set(value);
  return { element: root, input, get value() { return current; }, set };
}
