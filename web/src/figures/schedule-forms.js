// The schedule editor of the digits figures ("schedules", and any figure
// that wants one): a small form per learning-rate schedule (sliders and
// selects for the options of model/schedule-specs.js), and reading those
// options from a figure's attributes.
//
//   const form = createScheduleForm({id: 'cosine', ctx, values, onChange});
import { decadeRange } from '../ui/chart.js';
import { createCheckbox, createLogSlider, createSelect, createSlider } from '../ui/controls.js';
import { element } from '../ui/dom.js';
import { readFlagAttribute } from '../ui/attributes.js';
import { clipText, formatNumber } from '../model/format.js';
import { defaultValues, fieldApplies, parseMilestones, rescale, resolve, scheduleConfig, scheduleSpec } from '../model/schedule-specs.js';

const f = formatNumber;
let hintIds = 0;

// Reads a schedule's options from the figure's attributes (through the
// figure's readers, so bad values leave a note and keep the default).
export function readScheduleAttributes(figure, spec, ctx) {
  const values = defaultValues(spec, ctx);
  for (const field of spec.fields) {
    const name = field.key.toLowerCase();
    if (field.kind === 'choice') {
      values[field.key] = figure.choice(name, { fallback: values[field.key], values: field.values });
    } else if (field.kind === 'list') {
      const raw = figure.host.getAttribute(name);
      if (raw === null || raw.trim() === '') continue;
      const parsed = parseMilestones(raw, resolve(field.max, ctx));
      if (parsed.error) figure.notes.push(`${name}="${clipText(raw)}": ${parsed.error}; using ${values[field.key].join(', ')}.`);
      else values[field.key] = parsed.value;
    } else if (field.kind === 'flag') {
      values[field.key] = readFlagAttribute(figure.host, name, { fallback: values[field.key] }, figure.notes);
    } else {
      const range = { fallback: values[field.key], min: resolve(field.min, ctx), max: resolve(field.max, ctx) };
      values[field.key] = field.kind === 'int' ? figure.integer(name, range) : figure.number(name, range);
    }
  }
  return values;
}

// A form for one schedule at a time. `ctx` is {steps, lr}; onChange() is
// called on every edit (slider drags included). Values edited for one
// schedule are kept when the reader switches away and back.
//
//   form.element; form.config(); form.setSchedule('step'); form.setContext({steps, lr});
export function createScheduleForm({ id, ctx, values, onChange }) {
  const root = element('fieldset', 'lr-schedule-form');
  const legend = element('legend');
  const fields = element('div', 'lr-schedule-fields');
  const description = element('p', 'lr-schedule-description');
  root.append(legend, fields, description);
  const store = new Map();
  let spec = scheduleSpec(id);
  let context = { ...ctx };
  store.set(spec.id, { values: { ...values }, steps: context.steps });

  function current() {
    let entry = store.get(spec.id);
    if (!entry) {
      entry = { values: defaultValues(spec, context), steps: context.steps };
      store.set(spec.id, entry);
    }
    if (entry.steps !== context.steps) {
      entry.values = rescale(spec, entry.values, entry.steps, context.steps, context);
      entry.steps = context.steps;
    }
    return entry.values;
  }

  function describe() {
    description.textContent = spec.describe(current(), context);
  }

  function changed(rebuild = false) {
    if (rebuild) build();
    else describe();
    onChange?.();
  }

  function control(field, v) {
    const label = field.label;
    const symbol = field.symbol ?? field.label;
    if (field.kind === 'choice') {
      return createSelect({
        label, options: field.values, value: v[field.key],
        onChange: (value) => { v[field.key] = value; changed(true); },
      });
    }
    if (field.kind === 'flag') {
      return createCheckbox({ label, checked: v[field.key], onChange: (value) => { v[field.key] = value; changed(); } });
    }
    if (field.kind === 'list') {
      const wrap = element('label', 'lr-list-input');
      const input = element('input');
      input.type = 'text';
      input.inputMode = 'numeric';
      input.spellcheck = false;
      input.value = v[field.key].join(', ');
      const hint = element('span', 'lr-hint', 'comma-separated steps');
      hint.id = `lr-list-hint-${++hintIds}`;
      input.setAttribute('aria-describedby', hint.id);
      input.addEventListener('input', () => {
        const parsed = parseMilestones(input.value, resolve(field.max, context));
        input.setAttribute('aria-invalid', parsed.error ? 'true' : 'false');
        hint.textContent = parsed.error ?? 'comma-separated steps';
        hint.classList.toggle('lr-danger', Boolean(parsed.error));
        if (parsed.error) return;
        v[field.key] = parsed.value;
        changed();
      });
      wrap.append(element('span', 'slider-label', label), input, hint);
      return { element: wrap, input };
    }
    const onInput = (value) => { v[field.key] = value; changed(); };
    if (field.kind === 'log') {
      return createLogSlider({ label, symbol, min: resolve(field.min, context), max: resolve(field.max, context), value: v[field.key], onInput });
    }
    return createSlider({
      label, symbol, min: resolve(field.min, context), max: resolve(field.max, context),
      step: field.kind === 'int' ? 1 : field.step, value: v[field.key],
      format: field.kind === 'int' ? String : (x) => f(x, field.step && field.step < 0.001 ? 5 : 3),
      onInput,
    });
  }

  function build() {
    const v = current();
    legend.textContent = `${spec.label}: options`;
    fields.replaceChildren();
    for (const field of spec.fields) {
      if (!fieldApplies(spec, field, v)) continue;
      const c = control(field, v);
      c.element.dataset.option = field.key;
      fields.append(c.element);
    }
    describe();
  }

  build();
  return {
    element: root,
    get id() { return spec.id; },
    get spec() { return spec; },
    get values() { return { ...current() }; },
    get description() { return description.textContent; },
    config() { return scheduleConfig(spec, current(), context); },
    setSchedule(next) {
      spec = scheduleSpec(next);
      build();
    },
    // New {steps, lr}: step-valued options follow N; the form is rebuilt so
    // slider ranges match.
    setContext(next) {
      const rebuild = next.steps !== context.steps;
      context = { ...context, ...next };
      if (rebuild) build();
      else describe();
    },
  };
}

// Powers of ten around the finite positive values (widened by the factor
// `pad`), for a log axis that outliers such as the raw minibatch loss do not
// stretch.
export function logRange(values, pad = 1) {
  return decadeRange(values, { margin: Math.log10(pad), fallback: [0.01, 10] });
}
