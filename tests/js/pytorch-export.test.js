// The lab's PyTorch export (web/src/export/pytorch.js): for configs covering
// every optimizer, every schedule, the plateau controller and every problem,
// the generated script names the right torch classes with the config's
// arguments, is valid Python, and — where Debian's python3-torch is
// installed — runs and reproduces the engine's loss and η per step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { pytorchClasses, pytorchCode } from '../../web/src/export/pytorch.js';
import { encodeTable, parseCsv, prepareTable, tableCsv } from '../../web/src/model/csv.js';
import { blobs } from '../util/blobs.js';
import { kindsOf } from '../../web/src/model/schema.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const q = { name: 'quadratic', diag: [1, 10] };

// name → {config, expect: substrings of the script, compare: check against the
// engine (false where the script documents why it cannot match)}.
const CASES = {
  'sgd nesterov, step': {
    config: { problem: { name: 'rosenbrock', a: 1.5, b: 50 }, optimizer: { name: 'sgd', lr: 0.001, momentum: 0.9, nesterov: true, weight_decay: 0.01 }, schedule: { name: 'step', step_size: 20, gamma: 0.5 }, steps: 80 },
    expect: ['torch.optim.SGD([x], lr=0.001, momentum=0.9, dampening=0.0, nesterov=True, weight_decay=0.01)', 'torch.optim.lr_scheduler.StepLR(optimizer, step_size=20, gamma=0.5)', '(1.5 - x[0]) ** 2 + 50.0 *'],
  },
  'adagrad, multistep, dense quadratic': {
    config: { problem: { name: 'quadratic', A: [[3, 1], [1, 2]], b: [1, 0], x0: [2, -1] }, optimizer: { name: 'adagrad', lr: 0.3, lr_decay: 0.01, initial_accumulator_value: 0.1 }, schedule: { name: 'multistep', milestones: [10, 30], gamma: 0.3 }, steps: 60 },
    expect: ['torch.optim.Adagrad([x], lr=0.3, lr_decay=0.01, weight_decay=0.0, initial_accumulator_value=0.1, eps=1e-10)', 'MultiStepLR(optimizer, milestones=[10, 30], gamma=0.3)', 'A = torch.tensor([[3.0, 1.0], [1.0, 2.0]])', 'b = torch.tensor([1.0, 0.0])', 'x = torch.tensor([2.0, -1.0], requires_grad=True)'],
  },
  'rmsprop centered, cyclic (momentum cycled)': {
    config: { problem: { name: 'double_well' }, optimizer: { name: 'rmsprop', lr: 0.01, momentum: 0.5, centered: true }, schedule: { name: 'cyclic', base_lr: 0.001, max_lr: 0.05, step_size_up: 10 }, steps: 60 },
    expect: ['torch.optim.RMSprop([x], lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.5, centered=True)', 'CyclicLR(optimizer, base_lr=0.001, max_lr=0.05, step_size_up=10, step_size_down=None, mode=\'triangular\', gamma=1.0, cycle_momentum=True, base_momentum=0.8, max_momentum=0.9)'],
  },
  'adam amsgrad, cosine': {
    config: { problem: { name: 'rosenbrock' }, optimizer: { name: 'adam', lr: 0.05, amsgrad: true }, schedule: { name: 'cosine', T_max: 100 }, steps: 100 },
    expect: ['torch.optim.Adam([x], lr=0.05, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=True)', 'CosineAnnealingLR(optimizer, T_max=100, eta_min=0.0)', 'x = torch.tensor([-1.5, 2.0], requires_grad=True)'],
  },
  'adamw, exponential': {
    config: { problem: { name: 'beale' }, optimizer: { name: 'adamw', lr: 0.01, betas: [0.8, 0.99] }, schedule: { name: 'exponential', gamma: 0.98 }, steps: 60 },
    expect: ['torch.optim.AdamW([x], lr=0.01, betas=(0.8, 0.99), eps=1e-8, weight_decay=0.01, amsgrad=False)', 'ExponentialLR(optimizer, gamma=0.98)'],
  },
  'adadelta, warm restarts': {
    config: { problem: { name: 'himmelblau', x0: [1, 1] }, optimizer: { name: 'adadelta', rho: 0.95 }, schedule: { name: 'cosine_warm_restarts', T_0: 10, T_mult: 2, eta_min: 0.01 }, steps: 60 },
    expect: ['torch.optim.Adadelta([x], lr=1.0, rho=0.95, eps=1e-6, weight_decay=0.0)', 'CosineAnnealingWarmRestarts(optimizer, T_0=10, T_mult=2, eta_min=0.01)'],
  },
  'adamax, linear warm-up, rastrigin 3-D': {
    config: { problem: { name: 'rastrigin', dim: 3 }, optimizer: { name: 'adamax', lr: 0.01 }, schedule: { name: 'linear', start_factor: 0.2, total_iters: 10 }, steps: 60 },
    expect: ['torch.optim.Adamax([x], lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)', 'LinearLR(optimizer, start_factor=0.2, end_factor=1.0, total_iters=10)', '10 * 3 + torch.sum', 'torch.tensor([2.2, 2.2, 2.2]'],
  },
  'nadam, polynomial': {
    config: { problem: { name: 'quadratic', diag: [1, 3, 10] }, optimizer: { name: 'nadam', lr: 0.05, momentum_decay: 0.01 }, schedule: { name: 'polynomial', total_iters: 40, power: 0.9 }, steps: 60 },
    expect: ['torch.optim.NAdam([x], lr=0.05, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, momentum_decay=0.01, foreach=True)', 'PolynomialLR(optimizer, total_iters=40, power=0.9)'],
  },
  'radam, constant warm-up': {
    config: { problem: { name: 'double_well', x0: [2] }, optimizer: { name: 'radam', lr: 0.05 }, schedule: { name: 'constant', factor: 0.5, total_iters: 10 }, steps: 60 },
    expect: ['torch.optim.RAdam([x], lr=0.05, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)', 'ConstantLR(optimizer, factor=0.5, total_iters=10)', 'torch.tensor([2.0], requires_grad=True)'],
  },
  'lion, one-cycle past its end': {
    config: { problem: { name: 'himmelblau' }, optimizer: { name: 'lion', lr: 0.01, weight_decay: 0.1 }, schedule: { name: 'one_cycle', max_lr: 0.05, total_steps: 40, three_phase: true }, steps: 60 },
    expect: ['class Lion(torch.optim.Optimizer):', 'optimizer = Lion([x], lr=0.01, betas=(0.9, 0.99), weight_decay=0.1)', 'OneCycleLR(optimizer, max_lr=0.05, total_steps=40, pct_start=0.3, anneal_strategy=\'cos\', div_factor=25.0, final_div_factor=10000.0, three_phase=True, cycle_momentum=True, base_momentum=0.85, max_momentum=0.95)'],
  },
  'sgd momentum, one-cycle': {
    config: { problem: q, optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 }, schedule: { name: 'one_cycle', max_lr: 0.1, total_steps: 50, anneal_strategy: 'linear' }, steps: 50 },
    expect: ['OneCycleLR(optimizer, max_lr=0.1, total_steps=50', "anneal_strategy='linear'"],
  },
  'adam, sequential': {
    config: { problem: { name: 'rosenbrock' }, optimizer: { name: 'adam', lr: 0.02 }, schedule: { name: 'sequential', schedulers: [{ name: 'linear', start_factor: 0.1, total_iters: 5 }, { name: 'cosine', T_max: 45 }], milestones: [5] }, steps: 60 },
    expect: ['SequentialLR(optimizer, schedulers=[torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, end_factor=1.0, total_iters=5), torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=45, eta_min=0.0)], milestones=[5])'],
  },
  'sgd, chained': {
    config: { problem: { name: 'rosenbrock' }, optimizer: { name: 'sgd', lr: 0.001 }, schedule: { name: 'chained', schedulers: [{ name: 'constant', factor: 0.1, total_iters: 2 }, { name: 'exponential', gamma: 0.9 }] }, steps: 60 },
    expect: ['ChainedScheduler([torch.optim.lr_scheduler.ConstantLR(optimizer, factor=0.1, total_iters=2), torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9)])'],
  },
  'adagrad, warmup_cosine (LambdaLR)': {
    config: { problem: { name: 'rastrigin' }, optimizer: { name: 'adagrad', lr: 0.1 }, schedule: { name: 'warmup_cosine', warmup_steps: 10, total_steps: 60, eta_min: 0.001 }, steps: 80 },
    expect: ['LambdaLR(optimizer, lr_lambda=warmup_cosine)', 'def warmup_cosine(t, W=10, N=60, s=0.0, eta_min=0.001, lr0=0.1):'],
  },
  'sgd, none, diverges': {
    config: { problem: q, optimizer: { name: 'sgd', lr: 0.5 }, schedule: { name: 'none' }, steps: 60 },
    expect: ['A = torch.diag(torch.tensor([1.0, 10.0]))'],
  },
  'sgd, plateau with exponential decay': {
    config: { problem: q, optimizer: { name: 'sgd', lr: 0.19 }, schedule: { name: 'step', step_size: 7, gamma: 0.7 }, plateau: { factor: 0.5, patience: 1, threshold: 0.2 }, eval_every: 3, steps: 60 },
    expect: ["ReduceLROnPlateau(optimizer, mode='min', factor=0.5, patience=1, threshold=0.2, threshold_mode='rel', cooldown=0, min_lr=0.0, eps=1e-8)", 'if (step + 1) % 3 == 0:', 'plateau.step(val)'],
  },
  'adam, plateau alone, cooldown': {
    config: { problem: q, optimizer: { name: 'adam', lr: 0.3 }, plateau: { factor: 0.3, patience: 0, cooldown: 2, threshold: 0.1, threshold_mode: 'abs' }, eval_every: 4, steps: 60 },
    expect: ["threshold_mode='abs'", 'cooldown=2'],
  },
  'logistic regression, full batch': {
    config: { problem: { name: 'logistic_regression', l2: 0.01 }, optimizer: { name: 'sgd', lr: 0.5, momentum: 0.5 }, batch_size: 1437, eval_every: 10, steps: 30 },
    expect: ['from sklearn.datasets import load_digits', 'random.Random(20240601).shuffle(order)', 'batch_size = 1437', '0.005 * theta[:64].pow(2).sum()', 'F.binary_cross_entropy_with_logits'],
  },
  // Minibatches come from torch's generator: the script runs, but cannot
  // reproduce lrlab's batches, initial weights or synthetic data.
  'mlp, minibatches': {
    config: { problem: { name: 'mlp', hidden: 16, activation: 'tanh' }, optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 }, schedule: { name: 'cosine', T_max: 40 }, batch_size: 64, seed: 3, steps: 40 },
    expect: ['nn.Sequential(nn.Linear(64, 16), nn.Tanh(), nn.Linear(16, 10))', 'optimizer = torch.optim.SGD(model.parameters(), lr=0.1', 'batch_size = 64', 'torch.manual_seed(3)', 'F.cross_entropy'],
    compare: false,
  },
  'sparse linear, gradient noise': {
    config: { problem: { name: 'sparse_linear', n_samples: 200, dim: 10, rare_prob: 0.1 }, optimizer: { name: 'adagrad', lr: 0.5 }, gradient_noise: 0.1, steps: 40 },
    expect: ['n_train, dim = 200, 10', 'rare_prob, noise = 0.1, 0.1', 'p.grad.add_(torch.randn_like(p.grad), alpha=0.1)'],
    compare: false,
  },
  'saddle': {
    config: { problem: { name: 'saddle', a: 2, x0: [1, 0.01] }, optimizer: { name: 'sgd', lr: 0.1 }, steps: 40 },
    expect: ['0.5 * 2.0 * x[0] ** 2 + x[1] ** 4 / 4 - x[1] ** 2 / 2'],
  },
  'rotated quadratic': {
    config: { problem: { name: 'quadratic', diag: [1, 10], rotation: 30 }, optimizer: { name: 'sgd', lr: 0.1 }, steps: 40 },
    expect: ['theta = math.radians(30.0)', 'A = R @ A @ R.T', 'b = R @ b'],
  },
  'rotated dense quadratic with b, adam': {
    config: { problem: { name: 'quadratic', A: [[3, 1], [1, 2]], b: [1, -1], rotation: -50 }, optimizer: { name: 'adam', lr: 0.1 }, steps: 40 },
    expect: ['A = torch.tensor([[3.0, 1.0], [1.0, 2.0]])', 'theta = math.radians(-50.0)'],
  },
  'saddle, default start': {
    config: { problem: { name: 'saddle' }, optimizer: { name: 'sgd', lr: 0.1, momentum: 0.5 }, steps: 60 },
    expect: ['x = torch.tensor([1.5, 0.001], requires_grad=True)'],
  },
  'quadratic, sharpness': {
    config: { problem: { name: 'quadratic', diag: [1, 10, 4] }, optimizer: { name: 'sgd', lr: 0.05 }, record: { sharpness: { every: 5, iterations: 100 } }, steps: 20 },
    expect: ['sharpness_every, sharpness_iterations = 5, 100', 'torch.autograd.grad(flat @ v, sharp_params)', 'if step % sharpness_every == 0:'],
    sharpness: true,
  },
  'logistic regression on local data': {
    config: { problem: { name: 'logistic_regression', data: 'local', l2: 0.01 }, optimizer: { name: 'sgd', lr: 0.5 }, batch_size: 240, steps: 20 },
    expect: ["with open('lrlab-data.csv', newline='') as file:", 'targets = (labels == 1).double()', 'theta = torch.zeros(n_features + 1, requires_grad=True)', 'theta[:n_features].pow(2).sum()'],
    local: true,
  },
  'adam, cyclic without momentum cycling in torch 1.13': {
    config: { problem: { name: 'beale' }, optimizer: { name: 'adam', lr: 0.05 }, schedule: { name: 'cyclic', base_lr: 0.001, max_lr: 0.05, step_size_up: 10, mode: 'exp_range', gamma: 0.99 }, steps: 60 },
    expect: ["mode='exp_range', gamma=0.99, cycle_momentum=False)", 'refuses optimizers with'],
    compare: false,  // lrlab cycles β₁, torch 1.13 cannot (the script says so)
  },
};

test('every optimizer and every schedule is covered', () => {
  const optimizers = new Set(Object.values(CASES).map((c) => c.config.optimizer.name));
  assert.deepEqual([...optimizers].sort(), kindsOf('optimizers').sort());
  const schedules = new Set(['none']);
  const walk = (s) => { if (!s) return; schedules.add(s.name); (s.schedulers ?? []).forEach(walk); };
  for (const c of Object.values(CASES)) walk(c.config.schedule);
  assert.deepEqual([...schedules].sort(), kindsOf('schedules').sort());
});

test('the script names the right torch classes with the config\'s arguments', () => {
  for (const [name, { config, expect }] of Object.entries(CASES)) {
    const code = pytorchCode(config);
    for (const e of expect) assert.ok(code.includes(e), `${name}: expected ${JSON.stringify(e)} in\n${code}`);
    for (const cls of pytorchClasses(config)) {
      if (cls === 'Lion') assert.match(code, /optimizer = Lion\(/, name);
      else assert.ok(code.includes(`${cls}(`), `${name}: ${cls} missing`);
    }
    assert.ok(code.includes(`for step in range(${config.steps}):`), `${name}: the loop runs the config's steps`);
  }
});

// One Python process checks every script: {name: source} in, {name: error} out.
// A small table of the reader's kind (300 rows, 5 features, 2 classes).
const LOCAL_TABLE = prepareTable(parseCsv(blobs(300, 5)), { seed: 1 });

function python(executable, driver, input, { cwd } = {}) {
  const run = spawnSync(executable, ['-c', driver], { input: JSON.stringify(input), maxBuffer: 64 << 20, timeout: 120000, cwd });
  if (run.error) return { missing: true, error: run.error };
  if (run.status !== 0) throw new Error(`${executable} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.toString().trim().split('\n').pop());
}

const AST_DRIVER = `
import ast, json, sys
out = {}
for name, source in json.load(sys.stdin).items():
    try:
        ast.parse(source)
        out[name] = None
    except SyntaxError as e:
        out[name] = f'{e.msg} at line {e.lineno}: {e.text}'
print(json.dumps(out))
`;

test('every generated script is valid Python', (t) => {
  const sources = Object.fromEntries(Object.entries(CASES).map(([name, c]) => [name, pytorchCode(c.config)]));
  sources['unknown problem'] = pytorchCode({ problem: { name: 'nope' }, optimizer: { name: 'sgd', lr: 1 } });
  const result = python('python3', AST_DRIVER, sources);
  if (result.missing) {
    t.skip('python3 is not installed: the Python syntax check was skipped');
    return;
  }
  for (const [name, error] of Object.entries(result)) assert.equal(error, null, `${name}: ${error}`);
});

// Runs every script with torch (each in its own namespace, one process) and
// returns its per-step losses and η.
const RUN_DRIVER = `
import json, sys, io, contextlib
try:
    import torch, sklearn
except ImportError as e:
    print(json.dumps({'__skip__': str(e)}))
    sys.exit(0)
scripts = json.load(sys.stdin)
out = {}
for name, source in scripts.items():
    scope = {'__name__': '__lab__'}
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(source, name, 'exec'), scope)
        out[name] = {'loss': scope['losses'], 'lr': scope['lrs'], 'sharpness': scope.get('sharpnesses')}
    except Exception as e:
        out[name] = {'error': f'{type(e).__name__}: {e}'}
print(json.dumps(out, allow_nan=True).replace('NaN', 'null').replace('Infinity', '1e308'))
`;

// Debian's Python, where python3-torch and python3-sklearn install.
const TORCH_PYTHON = '/usr/bin/python3';

test('with PyTorch installed, the scripts run and reproduce the engine step by step', async (t) => {
  const wasm = path.join(ROOT, 'build/wasm/web/lrlab.wasm');
  let core = null;
  if (fs.existsSync(wasm)) {
    const { default: createLrlabModule } = await import('../../build/wasm/web/lrlab.mjs');
    const { createCore } = await import('../../web/src/engine/core.js');
    const module = await createLrlabModule({ wasmBinary: fs.readFileSync(wasm) });
    core = createCore(module, { loadDataset: async (name) => new Uint8Array(fs.readFileSync(path.join(ROOT, 'web/data', `${name}.bin`))) });
  }
  // The MLP from the engine's own initial weights, trained full-batch:
  // deterministic, so it must match too.
  const cases = { ...CASES };
  if (core) {
    const init = { problem: { name: 'mlp', hidden: 8, activation: 'tanh' }, optimizer: { name: 'sgd', lr: 0.1 }, steps: 0, record: { params: true } };
    await core.prepare(init);
    const x0 = core.runJson(init).params[0];
    cases['mlp from the engine\'s start, full batch'] = {
      config: { problem: { name: 'mlp', hidden: 8, activation: 'tanh', x0 }, optimizer: { name: 'sgd', lr: 0.5, momentum: 0.9 }, batch_size: 1437, steps: 20 },
    };
    // Its sharpness too: exact Hessian-vector products in both, power
    // iteration from different starts, so the estimates agree once settled.
    cases['mlp from the engine\'s start, full batch, sharpness'] = {
      config: { problem: { name: 'mlp', hidden: 8, activation: 'tanh', x0 }, optimizer: { name: 'sgd', lr: 0.5 }, batch_size: 1437, steps: 20, record: { sharpness: { every: 10, iterations: 300 } } },
      sharpness: true,
    };
    // The reader's table: the engine gets its bytes, the script its CSV.
    core.setLocalData(encodeTable(LOCAL_TABLE));
    const localInit = { problem: { name: 'mlp', data: 'local', hidden: 6 }, optimizer: { name: 'sgd', lr: 0.1 }, steps: 0, record: { params: true } };
    cases['mlp on local data from the engine\'s start, full batch'] = {
      config: { problem: { name: 'mlp', data: 'local', hidden: 6, x0: core.runJson(localInit).params[0] }, optimizer: { name: 'sgd', lr: 0.3, momentum: 0.9 }, batch_size: 240, steps: 20 },
      local: true,
    };
  }
  const scripts = Object.fromEntries(Object.entries(cases).map(([name, c]) => [name, pytorchCode(c.config)]));
  // The scripts of local-data runs read lrlab-data.csv from where they run.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrlab-export-'));
  fs.writeFileSync(path.join(dir, 'lrlab-data.csv'), tableCsv(LOCAL_TABLE));
  const ran = fs.existsSync(TORCH_PYTHON) ? python(TORCH_PYTHON, RUN_DRIVER, scripts, { cwd: dir }) : { missing: true };
  fs.rmSync(dir, { recursive: true, force: true });
  if (ran.missing || ran.__skip__) {
    t.skip(`${TORCH_PYTHON} with torch and sklearn is not available (${ran.__skip__ ?? 'no such file'}): the scripts were not run`);
    return;
  }
  let compared = 0;
  let sharpnessCompared = 0, localCompared = 0;
  for (const [name, { config, compare = true, sharpness = false, local = false }] of Object.entries(cases)) {
    const got = ran[name];
    assert.ok(!got.error, `${name}: the script failed: ${got.error}`);
    assert.ok(got.lr.length > 0 && Number.isFinite(got.loss[0]), `${name}: the script trained`);
    if (!compare || !core) continue;
    let expected;
    try {
      await core.prepare(config);
      expected = core.runJson(config);  // the CLI's JSON: non-finite numbers are null
    } catch (err) {
      t.diagnostic(`${name}: the engine refused the config (${err.message}); not compared`);
      continue;
    }
    assert.equal(got.loss.length, expected.loss.length, `${name}: number of losses (divergence at the same step)`);
    for (let i = 0; i < expected.loss.length; i++) {
      const e = expected.loss[i], g = got.loss[i];
      if (e === null) continue;
      assert.ok(Math.abs(g - e) <= 1e-9 * Math.max(1, Math.abs(e)), `${name}: loss[${i}] ${g} vs the engine's ${e}`);
    }
    for (let i = 0; i < got.lr.length; i++) {
      const e = expected.lr[i];
      assert.ok(Math.abs(got.lr[i] - e) <= 1e-12 * Math.max(1e-300, Math.abs(e)) + 1e-300, `${name}: η[${i}] ${got.lr[i]} vs the engine's ${e}`);
    }
    if (sharpness) {
      assert.deepEqual(got.sharpness.map(([step]) => step), expected.sharpness.steps, `${name}: sharpness steps`);
      got.sharpness.forEach(([, v], k) => {
        const e = expected.sharpness.values[k];
        assert.ok(Math.abs(v - e) <= 1e-6 * Math.abs(e), `${name}: sharpness[${k}] ${v} vs the engine's ${e}`);
      });
      sharpnessCompared++;
    }
    if (local) localCompared++;
    compared++;
  }
  t.diagnostic(`${compared} scripts matched the engine step by step (${sharpnessCompared} with sharpness, ${localCompared} on local data)`);
  if (core) {
    assert.ok(compared >= 15, 'most configs were compared');
    assert.equal(sharpnessCompared, 2);
    assert.equal(localCompared, 2);
  }
});
