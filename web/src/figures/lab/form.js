// The lab's form for one run: problem, optimizer, schedule, plateau and run
// options, built from the catalogue. Every control is a native labelled
// input named after the config path it edits ("optimizer.lr",
// "schedule.T_max", "plateau", "steps"), so tests and screen readers find
// them. Editing mutates the run in place and calls onEdit(); choosing another
// problem, optimizer or schedule, or switching the plateau controller,
// rebuilds the form (onEdit({rebuild: true})).
import { createLogSlider } from '../../ui/controls.js';
import { element } from '../../ui/dom.js';
import { OPTIMIZERS, PLATEAU, PROBLEMS, RUN_FIELDS, SCHEDULES, applies, isDataProblem, onLocalData, withDefaults } from '../../model/catalog.js';
import { setPlateau, switchOptimizer, switchProblem, switchSchedule } from '../../model/lab-runs.js';

// Parses "1, 10" / "1 10" into numbers; null when any entry is not a number.
function parseList(text, integer) {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const values = parts.map(Number);
  if (values.some((v) => !Number.isFinite(v) || (integer && !Number.isInteger(v)))) return null;
  return values;
}

const fmtList = (v) => (Array.isArray(v) ? v.join(', ') : '');

function labelled(text, control, className = 'lab-field') {
  const root = element('label', className);
  root.append(element('span', 'lab-field-label', text), control);
  return root;
}

function select(name, options, value, onChange) {
  const s = element('select');
  s.name = name;
  for (const [v, text] of options) {
    const o = element('option', '', text);
    o.value = v;
    s.append(o);
  }
  s.value = value;
  s.addEventListener('change', () => onChange(s.value));
  return s;
}

// A number input's hint when it is empty: the core's default, "required",
// or what the default is in words.
function placeholderOf(field) {
  if (field.default !== undefined) return String(Number(Number(field.default).toPrecision(4)));
  if (field.required) return 'required';
  return field.nullable ? 'auto' : field.defaultText ?? '';
}

// One field of `spec` (the section object: run.problem, run.optimizer, …, or
// the run itself for top-level options). `path` prefixes the field's key.
// `rebuilds`: the field decides whether siblings apply (their `when`), so a
// change rebuilds the form.
function fieldControl(field, spec, prefix, ctx, rebuilds) {
  const path = prefix ? `${prefix}.${field.key}` : field.key;
  const value = spec[field.key];
  const set = (v) => {
    if (v === undefined || (field.omitWhen !== undefined && v === field.omitWhen)) delete spec[field.key];
    else spec[field.key] = v;
    ctx.formErrors.delete(path);
    ctx.onEdit({ path, rebuild: rebuilds });
  };
  const fail = (message) => {
    ctx.formErrors.set(path, { path, message });
    ctx.onEdit({ path, invalid: true });
  };

  switch (field.type) {
    case 'lr': {
      const slider = createLogSlider({
        label: field.label, symbol: 'η', min: field.min, max: field.max,
        value: typeof value === 'number' && value > 0 ? value : field.default ?? 0.01,
        onInput: (v) => set(v),
      });
      slider.input.name = path;
      slider.element.classList.add('lab-lr');
      return slider.element;
    }
    case 'bool': {
      const root = element('label', 'checkbox lab-check');
      const input = element('input');
      input.type = 'checkbox';
      input.name = path;
      input.checked = value ?? field.default ?? false;
      input.addEventListener('change', () => set(input.checked));
      root.append(input, element('span', '', field.label));
      return root;
    }
    case 'choice':
      return labelled(field.label, select(path, field.values.map((v) => [v, field.valueLabels?.[v] ?? v]), value ?? field.default, (v) => set(v)));
    case 'pair': {
      const wrap = element('span', 'lab-pair');
      const current = () => (Array.isArray(spec[field.key]) ? spec[field.key].slice() : field.default.slice());
      const symbols = field.symbols ?? ['1', '2'];
      const inputs = [0, 1].map((i) => {
        const input = element('input');
        input.type = 'number';
        input.name = `${path}.${i}`;
        input.step = String(field.step ?? 'any');
        if (field.min !== undefined) input.min = String(field.min);
        if (field.max !== undefined) input.max = String(field.max);
        input.value = String(current()[i]);
        input.setAttribute('aria-label', symbols[i]);
        input.addEventListener('input', () => {
          if (input.value.trim() === '' || input.validity.badInput) return;
          const pair = current();
          pair[i] = Number(input.value);
          set(pair);
        });
        return input;
      });
      wrap.append(symbols[0], inputs[0], symbols[1], inputs[1]);
      const root = element('div', 'lab-field');
      root.append(element('span', 'lab-field-label', field.label), wrap);
      return root;
    }
    case 'list':
    case 'intlist': {
      const input = element('input');
      input.type = 'text';
      input.name = path;
      input.value = ctx.raw.get(path) ?? fmtList(value);
      input.placeholder = field.placeholder ?? fmtList(field.default) ?? field.defaultText ?? '';
      input.spellcheck = false;
      input.addEventListener('input', () => {
        const text = input.value.trim();
        ctx.raw.set(path, input.value);
        if (text === '') {
          if (!field.required) set(undefined);
          else fail('give a list of numbers, e.g. 1, 10');
          return;
        }
        const list = parseList(text, field.type === 'intlist');
        if (!list) fail(`"${text}" is not a list of ${field.type === 'intlist' ? 'whole numbers' : 'numbers'}`);
        else set(list);
      });
      return labelled(field.label, input, 'lab-field lab-field-text');
    }
    case 'json': {
      const area = element('textarea');
      area.name = path;
      area.rows = 4;
      area.spellcheck = false;
      area.value = ctx.raw.get(path) ?? JSON.stringify(value ?? [], null, 0).replaceAll('},{', '},\n{');
      area.addEventListener('input', () => {
        ctx.raw.set(path, area.value);
        let parsed;
        try {
          parsed = JSON.parse(area.value);
        } catch (err) {
          fail(`not valid JSON (${err.message})`);
          return;
        }
        set(parsed);
      });
      return labelled(field.label, area, 'lab-field lab-field-wide');
    }
    default: {  // number, int
      const input = element('input');
      input.type = 'number';
      input.name = path;
      input.step = field.type === 'int' ? '1' : String(field.step ?? 'any');
      if (field.min !== undefined) input.min = String(field.min);
      if (field.max !== undefined) input.max = String(field.max);
      input.value = value === undefined || value === null ? '' : String(value);
      input.placeholder = placeholderOf(field);
      input.addEventListener('input', () => {
        const text = input.value.trim();
        if (input.validity.badInput) return;  // a number still being typed ("1e")
        if (text === '') set(undefined);  // the default (or "required" from the engine)
        else set(Number(text));
      });
      return labelled(field.label, input);
    }
  }
}

// The controls for a section's fields: the shown ones that apply now.
function controls(fields, spec, prefix, ctx) {
  const values = withDefaults(fields, spec);
  const deciders = new Set(fields.flatMap((f) => Object.keys(f.when ?? {})));
  return fields
    .filter((f) => !f.hidden && applies(f, values))
    .map((f) => fieldControl(f, spec, prefix, ctx, deciders.has(f.key) || f.rebuilds));
}

function section(title, ...children) {
  const fs = element('fieldset', 'lab-section');
  fs.append(element('legend', '', title), ...children.flat().filter(Boolean));
  return fs;
}

// Builds the form for `run`. ctx: {onEdit, formErrors: Map path→message,
// raw: Map path→text of text fields (kept while they do not parse),
// dataPanel: () → the "your data" panel, shown for {"data": "local"}}.
export function buildForm(run, ctx) {
  const rebuild = () => ctx.onEdit({ rebuild: true });
  const problem = PROBLEMS[run.problem.name];
  const optimizer = OPTIMIZERS[run.optimizer.name];
  const scheduleName = run.schedule?.name ?? 'none';
  const schedule = SCHEDULES[scheduleName];
  const data = isDataProblem(run.problem);

  const problemSection = section('Problem',
    labelled('problem', select('problem.name', Object.entries(PROBLEMS).map(([k, v]) => [k, v.menu]), run.problem.name, (v) => {
      switchProblem(run, v);
      ctx.raw.clear();
      rebuild();
    })),
    controls(problem.fields, run.problem, 'problem', ctx),
    onLocalData(run.problem) && ctx.dataPanel ? ctx.dataPanel() : null);

  const optimizerSection = section('Optimizer',
    labelled('optimizer', select('optimizer.name', Object.entries(OPTIMIZERS).map(([k, v]) => [k, v.label]), run.optimizer.name, (v) => {
      switchOptimizer(run, v);
      rebuild();
    })),
    controls(optimizer.fields, run.optimizer, 'optimizer', ctx));

  const scheduleNotes = {
    one_cycle: 'one-cycle sets η itself: the optimizer\'s η is not used.',
    cyclic: 'cyclic sets η itself: the optimizer\'s η is replaced by base η.',
    sequential: 'each entry is a schedule object; they start from the optimizer\'s η.',
    chained: 'the listed schedules\' factors multiply.',
  };
  const scheduleSection = section('Schedule',
    labelled('schedule', select('schedule.name', Object.entries(SCHEDULES).map(([k, v]) => [k, v.label]), scheduleName, (v) => {
      switchSchedule(run, v);
      for (const k of [...ctx.raw.keys()]) if (k.startsWith('schedule.')) ctx.raw.delete(k);
      rebuild();
    })),
    scheduleNotes[scheduleName] ? element('p', 'lr-hint lab-hint', scheduleNotes[scheduleName]) : null,
    run.schedule ? controls(schedule.fields, run.schedule, 'schedule', ctx) : []);

  const plateauToggle = element('label', 'checkbox lab-check');
  const toggle = element('input');
  toggle.type = 'checkbox';
  toggle.name = 'plateau';
  toggle.checked = Boolean(run.plateau);
  toggle.addEventListener('change', () => {
    setPlateau(run, toggle.checked);
    rebuild();
  });
  plateauToggle.append(toggle, element('span', '', 'reduce η when the validation loss stalls'));
  const plateauSection = section('Reduce on plateau', plateauToggle,
    run.plateau ? controls(PLATEAU.fields, run.plateau, 'plateau', ctx) : []);

  // Minibatches only where the problem has samples; evaluations only where
  // something reads them (a validation loss, the plateau controller).
  const runFields = RUN_FIELDS.filter((f) => {
    if (f.key === 'batch_size') return data;
    if (f.key === 'eval_every') return data || Boolean(run.plateau);
    return true;
  });
  const runSection = section('Run', controls(runFields, run, '', ctx));

  const form = element('div', 'lab-form');
  form.append(problemSection, optimizerSection, scheduleSection, plateauSection, runSection);
  return form;
}

// Marks the controls whose path an issue names ({path: "optimizer.betas[1]"}
// marks optimizer.betas.1 and its siblings' group).
export function markInvalid(form, issues) {
  const paths = issues.map((issue) => issue.path.replace(/\[(\d+)\]/g, '.$1'));
  for (const el of form.querySelectorAll('input[name], select[name], textarea[name]')) {
    const bad = paths.some((p) => p === el.name || p.startsWith(`${el.name}.`) || el.name.startsWith(`${p}.`));
    if (bad) el.setAttribute('aria-invalid', 'true');
    else el.removeAttribute('aria-invalid');
  }
}
