// Labelled form controls for figures. All are native elements (keyboard and
// screen readers work out of the box); range inputs announce their real value
// through aria-valuetext.
import { element } from './dom.js';
import { formatNumber } from '../model/format.js';

export { createLogSlider } from './slider.js';

// A linear range input. `step` is the value's resolution; integer sliders
// use step 1.
export function createSlider({ label, symbol = label, min, max, step = 1, value, format = formatNumber, onInput }) {
  const root = element('label', 'slider');
  const input = element('input');
  input.type = 'range';
  input.min = String(min);
  input.max = String(max);
  input.step = String(step);
  const readout = element('output', 'slider-value');
  root.append(element('span', 'slider-label', label), input, readout);
  let current = value;
  const show = () => {
    readout.textContent = format(current);
    input.setAttribute('aria-valuetext', `${symbol} = ${format(current)}`);
  };
  const set = (v) => {
    current = Math.min(max, Math.max(min, v));
    input.value = String(current);
    show();
  };
  input.addEventListener('input', () => {
    current = Number(input.value);
    show();
    onInput?.(current);
  });
  set(value);
  return { element: root, input, get value() { return current; }, set };
}

// A <select>; options are [{value, label}] or plain strings.
export function createSelect({ label, options, value, onChange }) {
  const root = element('label', 'select');
  const select = element('select');
  for (const option of options) {
    const { value: v, label: text } = typeof option === 'string' ? { value: option, label: option } : option;
    const o = element('option', '', text);
    o.value = v;
    select.append(o);
  }
  select.value = value;
  select.addEventListener('change', () => onChange?.(select.value));
  root.append(element('span', 'slider-label', label), select);
  return {
    element: root,
    input: select,
    get value() { return select.value; },
    set(v) { select.value = v; },
  };
}

// A checkbox with a label after it.
export function createCheckbox({ label, checked = false, onChange }) {
  const root = element('label', 'checkbox');
  const input = element('input');
  input.type = 'checkbox';
  input.checked = checked;
  input.addEventListener('change', () => onChange?.(input.checked));
  root.append(input, element('span', '', label));
  return { element: root, input, get value() { return input.checked; }, set(v) { input.checked = v; } };
}
