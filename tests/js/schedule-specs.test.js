// The schedule forms of the digits figures as logic (web/src/model/schedule-specs.js):
// the milestone list a reader types, how options follow a change of N, the
// attributes a share link carries, and the config sent to the engine.
// (tests/js/schema-overlay.test.js holds the spans to the core's ranges; the
// browser tests see these only through the "schedules" and "plateau" figures.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SCHEDULE_IDS, defaultValues, fieldApplies, parseMilestones, rescale, scheduleAttributes, scheduleConfig, scheduleSpec,
} from '../../web/src/model/schedule-specs.js';

const ctx = (steps, lr = 0.2) => ({ steps, lr });

test('milestones: strictly increasing whole steps in [0, N], at most 20; every other list says why', () => {
  assert.deepEqual(parseMilestones('300, 450', 600), { value: [300, 450] });
  assert.deepEqual(parseMilestones(' 300;450  500 ', 600), { value: [300, 450, 500] }, 'commas, semicolons or spaces');
  assert.deepEqual(parseMilestones('', 600), { value: [] }, 'none at all');
  assert.deepEqual(parseMilestones('0, 600', 600), { value: [0, 600] }, 'both ends allowed');
  const whole = 'milestones are whole numbers of steps, e.g. 300, 450';
  for (const [text, error] of [
    ['450, 300', 'milestones must increase'],
    ['300, 300', 'milestones must increase'],
    ['1.5', whole],
    ['-1', whole],
    ['a', whole],
    ['300, banana', whole],
    ['601', 'milestones must be at most 600'],
    [Array.from({ length: 21 }, (_, i) => i).join(','), 'at most 20 milestones'],
  ]) {
    assert.deepEqual(parseMilestones(text, 600), { error }, text);
  }
  assert.deepEqual(parseMilestones(Array.from({ length: 20 }, (_, i) => i).join(','), 600).value.length, 20);
});

test('a change of N carries the options along: proportionally, γ so that γ^N holds, within the sliders', () => {
  const multistep = scheduleSpec('multistep');
  assert.deepEqual(defaultValues(multistep, ctx(600)), { milestones: [300, 450], gamma: 0.1 });
  assert.deepEqual(rescale(multistep, { milestones: [300, 450], gamma: 0.1 }, 600, 1200, ctx(1200)), { milestones: [600, 900], gamma: 0.1 });
  assert.deepEqual(rescale(multistep, { milestones: [300, 450, 590], gamma: 0.1 }, 600, 300, ctx(300)).milestones, [150, 225, 295]);
  // Milestones that would coincide after rounding are merged, never out of order.
  assert.deepEqual(rescale(multistep, { milestones: [1, 2, 3], gamma: 0.1 }, 600, 200, ctx(200)).milestones, [0, 1]);

  const step = scheduleSpec('step');
  assert.deepEqual(rescale(step, { step_size: 200, gamma: 0.1 }, 600, 1000, ctx(1000)), { step_size: 333, gamma: 0.1 }, 'rounded to a whole step');
  assert.equal(rescale(step, { step_size: 599, gamma: 0.1 }, 600, 100, ctx(100)).step_size, 100, 'clamped to the slider (at most N)');
  assert.equal(rescale(step, { step_size: 2, gamma: 0.1 }, 600, 100, ctx(100)).step_size, 1, 'and at least 1');

  const exponential = scheduleSpec('exponential');
  const { gamma } = defaultValues(exponential, ctx(600));
  assert.equal(gamma, 0.9924, 'η falls 100-fold over the run');
  const longer = rescale(exponential, { gamma }, 600, 1200, ctx(1200)).gamma;
  assert.equal(longer, 0.9962, 'on the slider\'s 0.0001 grid');
  assert.ok(Math.abs(longer ** 1200 - gamma ** 600) < 2e-4, `γ^N stays: ${longer ** 1200} vs ${gamma ** 600}`);

  const cycle = scheduleSpec('one_cycle');
  const values = defaultValues(cycle, ctx(600));
  assert.deepEqual(rescale(cycle, values, 600, 1200, ctx(1200)), values, 'nothing there depends on N');
});

test('the attributes a link carries: options off their default, in lower case, only where they apply', () => {
  const cyclic = scheduleSpec('cyclic');
  const defaults = defaultValues(cyclic, ctx(600));
  assert.deepEqual(defaults, { base_lr: 0.02, max_lr: 0.2, step_size_up: 100, mode: 'triangular2', gamma: 0.999 });
  assert.deepEqual(scheduleAttributes(cyclic, defaults, ctx(600)), []);
  assert.deepEqual(scheduleAttributes(cyclic, { ...defaults, step_size_up: 50, gamma: 0.995 }, ctx(600)), [['step_size_up', '50']],
    'γ only swings in exp_range mode: not carried in triangular2');
  assert.deepEqual(scheduleAttributes(cyclic, { ...defaults, mode: 'exp_range', gamma: 0.995 }, ctx(600)), [['mode', 'exp_range'], ['gamma', '0.995']]);
  // Defaults depend on N and η: the same values are a default at one and not the other.
  assert.deepEqual(scheduleAttributes(cyclic, defaults, ctx(1200, 0.1)), [['base_lr', '0.02'], ['max_lr', '0.2'], ['step_size_up', '100']]);
  const restarts = scheduleSpec('cosine_warm_restarts');
  assert.deepEqual(scheduleAttributes(restarts, { ...defaultValues(restarts, ctx(600)), T_0: 50 }, ctx(600)), [['t_0', '50']], 'HTML attributes are lower case');
  const multistep = scheduleSpec('multistep');
  assert.deepEqual(scheduleAttributes(multistep, { milestones: [100, 200], gamma: 0.1 }, ctx(600)), [['milestones', '100,200']]);
});

test('the config for the engine: the schedule\'s name, what it fixes, the options that apply', () => {
  assert.deepEqual(scheduleConfig(scheduleSpec('warmup_cosine'), defaultValues(scheduleSpec('warmup_cosine'), ctx(600)), ctx(600)),
    { name: 'warmup_cosine', total_steps: 600, warmup_steps: 60, warmup_start_factor: 0, eta_min: 0 });
  const cyclic = scheduleSpec('cyclic');
  const values = defaultValues(cyclic, ctx(600));
  assert.equal('gamma' in scheduleConfig(cyclic, values, ctx(600)), false);
  assert.equal(scheduleConfig(cyclic, { ...values, mode: 'exp_range' }, ctx(600)).gamma, 0.999);
  assert.equal(fieldApplies(cyclic, cyclic.fields.find((f) => f.key === 'gamma'), { ...values, mode: 'exp_range' }), true);
  assert.equal(fieldApplies(cyclic, cyclic.fields.find((f) => f.key === 'gamma'), values), false);
  for (const id of SCHEDULE_IDS) {
    const spec = scheduleSpec(id);
    const config = scheduleConfig(spec, defaultValues(spec, ctx(600)), ctx(600));
    assert.equal(config.name, id);
    for (const key of Object.keys(config)) if (key !== 'name') assert.notEqual(config[key], undefined, `${id}.${key}`);
  }
  assert.equal(scheduleSpec('nope'), undefined);
});
