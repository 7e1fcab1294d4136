// The web side against the core's schema: every table that names config
// options — the lab's catalogue overlay, the schedule specs of the digits
// figures, the race's racers and sliders, the sweeps' problems — names only
// options the schema has, offers only values its ranges accept, and builds
// configs the engine runs. And the lab's fields come from the schema alone:
// an option added to it appears with its default and range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCHEMA, fieldAt, fieldOf, fieldsOf, inRange, kindsOf } from '../../web/src/model/schema.js';
import {
  OPTIMIZERS, PLATEAU, PROBLEMS, RUN_FIELDS, SCHEDULES, buildCatalog, initialOptions, overlayEntries,
} from '../../web/src/model/catalog.js';
import { defaultRuns, setPlateau, switchOptimizer, switchProblem, switchSchedule } from '../../web/src/model/lab-runs.js';
import { ALIASES, RACE_LR, RACE_SLIDERS, RACERS, SURFACES, racerConfig, surfaceDefaults } from '../../web/src/model/race.js';
import { SCHEDULE_SPECS, defaultValues, resolve, scheduleConfig } from '../../web/src/model/schedule-specs.js';
import { OPTIMIZERS as SWEEP_OPTIMIZERS, PROBLEMS as SWEEP_PROBLEMS, runConfig, sweepConfig } from '../../web/src/model/sweeps.js';
import { digitsConfig } from '../../web/src/model/digits-runs.js';
import { loadCore } from '../util/core.js';

const { core } = await loadCore();

// Runs a config for at most a few steps; the engine's issues, or [] when it runs.
async function issuesOf(config, op = 'run') {
  await core.prepare(config);
  try {
    core[op === 'run' ? 'runJson' : op]({ ...config, steps: Math.min(config.steps ?? 3, 3) });
    return [];
  } catch (err) {
    if (!err.issues) throw err;
    return err.issues.map((i) => `${i.path}: ${i.message}`);
  }
}

// Every field of a key, wherever the schema has one.
function everyField(key) {
  const out = [];
  for (const section of ['problems', 'optimizers', 'schedules']) {
    for (const name of kindsOf(section)) {
      const f = fieldOf(fieldsOf(section, name), key);
      if (f) out.push({ where: `${section}.${name}`, field: f });
    }
  }
  for (const section of ['plateau', 'run', 'record']) {
    const f = fieldOf(fieldsOf(section), key);
    if (f) out.push({ where: section, field: f });
  }
  return out;
}

const rangeOf = (field) => field.range ?? field.items?.range ?? null;

// A span [lo, hi] a control offers, within the field's range.
function assertSpan(where, field, lo, hi) {
  const range = rangeOf(field);
  if (!range) return;
  for (const v of [lo, hi]) {
    if (v === undefined) continue;
    assert.ok(inRange(range, v), `${where}: ${v} is outside the core's range ${JSON.stringify(range)}`);
  }
}

const CONTEXTS = [
  { steps: 100, optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 } },
  { steps: 1000, optimizer: { name: 'adam', lr: 0.001 } },
  { steps: 5000, optimizer: { name: 'adagrad', lr: 0.3 } },
];

test('the catalogue overlay names only schema options and narrows their ranges', () => {
  const { entries, names } = overlayEntries();
  for (const [section, list] of Object.entries(names)) {
    for (const name of list) assert.ok(kindsOf(section).includes(name), `overlay ${section}.${name}: not in the schema`);
  }
  let checked = 0;
  for (const { section, name, key, overlay } of entries) {
    const where = `overlay ${section}${name ? `.${name}` : ''}.${key}`;
    const fields = section === 'common' ? everyField(key).map((e) => e.field)
      : [fieldOf(name ? fieldsOf(section, name) : fieldsOf(section), key)];
    assert.ok(fields.length && fields.every(Boolean), `${where}: the schema has no such option`);
    for (const field of fields) {
      assertSpan(where, field, overlay.min, overlay.max);
      for (const cfg of CONTEXTS) {
        const v = typeof overlay.initial === 'function' ? overlay.initial(cfg) : overlay.initial;
        if (typeof v === 'number') assertSpan(`${where} (initial)`, field, v, v);
        if (Array.isArray(v) && v.every((x) => typeof x === 'number')) for (const x of v) assertSpan(`${where} (initial)`, field, x, x);
      }
      checked++;
    }
  }
  assert.ok(checked > 70, `only ${checked} overlay entries`);
});

test('every schema option is in the lab form with the core\'s default and range', () => {
  const sections = [
    ['problems', PROBLEMS], ['optimizers', OPTIMIZERS], ['schedules', SCHEDULES],
  ];
  for (const [section, catalog] of sections) {
    assert.deepEqual(Object.keys(catalog), kindsOf(section), `${section}: the lab offers the core's names in the core's order`);
    for (const name of kindsOf(section)) {
      const shown = new Map(catalog[name].fields.map((f) => [f.key, f]));
      for (const f of fieldsOf(section, name)) {
        // A matrix has no form control; a start is shown where the problem has one fixed start.
        if (f.type === 'matrix' || (f.key === 'x0' && !SCHEMA.problems[name].defaults)) continue;
        const d = shown.get(f.key);
        assert.ok(d, `${section}.${name}.${f.key} is missing from the lab form`);
        assert.deepEqual(d.default, f.default ?? undefined, `${section}.${name}.${f.key}: default`);
        assert.deepEqual(d.range, f.range ?? f.items?.range ?? null, `${section}.${name}.${f.key}: range`);
        assert.equal(d.required, f.required);
      }
    }
  }
  for (const [fields, schema] of [[PLATEAU.fields, fieldsOf('plateau')], [RUN_FIELDS, fieldsOf('run').filter((f) => f.type !== 'object')]]) {
    assert.deepEqual(fields.map((f) => f.key), schema.map((f) => f.key));
  }
});

test('an option added to the schema alone appears in the lab form, with its default and range', () => {
  const schema = structuredClone(SCHEMA);
  const range = { min: 0, max: 1, min_open: true, max_open: false };
  schema.optimizers.adam.fields.push(
    { key: 'decay_rate', type: 'number', default: 0.25, required: false, range },
    { key: 'maximize', type: 'boolean', default: false, required: false },
  );
  schema.schedules.step.fields.push({ key: 'warm', type: 'integer', default: 3, required: false, range: { min: 0, max: 10, min_open: false, max_open: false } });
  const catalog = buildCatalog(schema);
  const decay = catalog.OPTIMIZERS.adam.fields.find((f) => f.key === 'decay_rate');
  assert.equal(decay.type, 'number');
  assert.equal(decay.default, 0.25);
  assert.deepEqual(decay.range, range);
  assert.equal(decay.min, 0);
  assert.equal(decay.max, 1);
  assert.equal(decay.label, 'decay_rate');  // no overlay yet: the key is its label
  assert.equal(catalog.OPTIMIZERS.adam.fields.find((f) => f.key === 'maximize').type, 'bool');
  const warm = catalog.SCHEDULES.step.fields.find((f) => f.key === 'warm');
  assert.deepEqual([warm.type, warm.default, warm.min, warm.max], ['int', 3, 0, 10]);
  // A schedule chosen in the form starts with the new option at its default.
  assert.equal(initialOptions(catalog.SCHEDULES.step.fields, { steps: 90 }).warm, 3);
});

test('what the lab puts in when the reader picks a problem, optimizer, schedule or plateau runs', async () => {
  for (const run of defaultRuns()) assert.deepEqual(await issuesOf(run), []);
  const start = () => ({ problem: { name: 'quadratic' }, optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 }, steps: 60, eval_every: 10 });
  for (const name of Object.keys(PROBLEMS)) {
    const run = start();
    switchProblem(run, name);
    assert.deepEqual(await issuesOf(run), [], `problem ${name}`);
  }
  for (const name of Object.keys(OPTIMIZERS)) {
    const run = start();
    switchSchedule(run, 'one_cycle');
    switchOptimizer(run, name);  // cycle_momentum follows the optimizer
    assert.deepEqual(await issuesOf(run), [], `optimizer ${name}`);
  }
  for (const cfg of CONTEXTS) {
    for (const name of Object.keys(SCHEDULES)) {
      const run = { ...start(), ...cfg };
      switchSchedule(run, name);
      assert.deepEqual(await issuesOf(run), [], `schedule ${name} with ${cfg.optimizer.name}`);
    }
    const run = { ...start(), ...cfg };
    setPlateau(run, true);
    assert.deepEqual(await issuesOf(run), []);
  }
});

test('the schedule specs of the digits figures: schema options, spans within range, configs that run', async () => {
  for (const spec of SCHEDULE_SPECS) {
    assert.ok(kindsOf('schedules').includes(spec.id), spec.id);
    const fields = fieldsOf('schedules', spec.id);
    for (const steps of [200, 600, 2000]) {
      for (const lr of [0.01, 0.2, 1]) {
        const ctx = { steps, lr };
        for (const f of spec.fields) {
          const core = fieldOf(fields, f.key);
          const where = `schedule ${spec.id}.${f.key} (N = ${steps}, η = ${lr})`;
          assert.ok(core, `${where}: not an option of the core`);
          if (f.kind === 'choice') {
            for (const v of f.values) assert.ok(core.values.includes(v), `${where}: ${v}`);
          } else if (f.kind === 'list') {
            assertSpan(where, core, 0, resolve(f.max, ctx));
          } else if (f.kind !== 'flag') {
            assertSpan(where, core, resolve(f.min, ctx), resolve(f.max, ctx));
          }
        }
        for (const key of Object.keys(spec.fixed?.(ctx) ?? {})) assert.ok(fieldOf(fields, key), `${spec.id}: fixed ${key}`);
        const schedule = scheduleConfig(spec, defaultValues(spec, ctx), ctx);
        const config = digitsConfig({ lr, steps, evalEvery: 50, schedule });
        assert.deepEqual(await issuesOf(config), [], `schedule ${spec.id} at N = ${steps}, η = ${lr}`);
      }
    }
  }
});

test('the race: racers, sliders and surfaces are the core\'s', async () => {
  const lr = (name) => fieldOf(fieldsOf('optimizers', name), 'lr');
  for (const [id, r] of Object.entries(RACERS)) {
    assert.ok(kindsOf('optimizers').includes(r.optimizer), id);
    assertSpan(`race ${id} η`, lr(r.optimizer), RACE_LR.min, RACE_LR.max);
    for (const path of r.edit) {
      const [key] = path.split('.');
      const field = fieldOf(fieldsOf('optimizers', r.optimizer), key);
      assert.ok(field, `race ${id}: ${key} is not an option of ${r.optimizer}`);
      assertSpan(`race ${id} ${path}`, field, RACE_SLIDERS[path].min, RACE_SLIDERS[path].max);
    }
    for (const key of Object.keys(r.fixed ?? {})) assert.ok(fieldOf(fieldsOf('optimizers', r.optimizer), key), `race ${id}: fixed ${key}`);
  }
  for (const path of Object.values(ALIASES)) assert.ok(RACE_SLIDERS[path]);
  for (const [name, surface] of Object.entries(SURFACES)) {
    const defaults = surfaceDefaults(name);
    for (const [id, r] of Object.entries(RACERS)) {
      const atMax = { lr: surface.lr[id] };
      for (const path of r.edit) atMax[path] = RACE_SLIDERS[path].max;
      assert.ok(atMax.lr >= RACE_LR.min && atMax.lr <= RACE_LR.max, `${name}: ${id}'s η`);
      for (const path of r.edit) {
        const v = defaults[id][path];
        assert.ok(v >= RACE_SLIDERS[path].min && v <= RACE_SLIDERS[path].max, `${name}: ${id}'s ${path} starts on its slider`);
      }
      for (const values of [defaults[id], atMax]) {
        const config = { problem: surface.problem, optimizer: racerConfig(id, values), steps: surface.steps };
        assert.deepEqual(await issuesOf(config), [], `${name}, ${id}`);
      }
    }
  }
});

test('the sweeps: every problem and optimizer offered runs, as a sweep and as one run', async () => {
  for (const problem of Object.keys(SWEEP_PROBLEMS)) {
    for (const optimizer of Object.keys(SWEEP_OPTIMIZERS)) {
      assert.deepEqual(await issuesOf(sweepConfig(problem, optimizer, 3, 2), 'sweep'), [], `${problem}, ${optimizer}`);
      assert.deepEqual(await issuesOf(runConfig(problem, optimizer, 3, 0.01)), [], `${problem}, ${optimizer}`);
    }
  }
});

test('schema paths that figures give their settings resolve', () => {
  for (const path of ['plateau.factor', 'run.steps', 'optimizers.sgd.lr', 'problems.quadratic.diag[]', 'problems.sparse_linear.rare_prob']) {
    const at = fieldAt(path);
    assert.ok(at?.range, path);
  }
  assert.equal(fieldAt('optimizers.sgd.nope'), null);
});
