// An lrlab run config → a self-contained PyTorch 1.13 script that trains the
// same problem with the same optimizer, schedule and plateau controller
// (torch.optim and torch.optim.lr_scheduler, whose option names the config
// already uses). Pure string building, no DOM: the lab figure shows the text
// and tests/js/pytorch-export.test.js checks it with Python.
//
//   import { pytorchCode } from './export/pytorch.js';
//   const text = pytorchCode({problem: {name: 'rosenbrock'}, optimizer: {name: 'adam', lr: 0.05}, steps: 300});
//
// What matches lrlab exactly (float64, same formulas): the deterministic
// problems with any optimizer and schedule, η_t per step, the plateau
// controller's decisions. What cannot: anything drawn from lrlab's own random
// generator — minibatch order, the MLP's initial weights, sparse_linear's
// data, gradient noise — which the script draws from torch's generator with
// the same distributions. Each such place says so in a comment.
import { defaultOf, fieldsOf, kind } from '../model/schema.js';
import { onLocalData } from '../model/catalog.js';

// --- Python literals ----------------------------------------------------------
function pyNumber(v) {
  if (v === Infinity) return "float('inf')";
  if (v === -Infinity) return "-float('inf')";
  if (typeof v !== 'number' || Number.isNaN(v)) return "float('nan')";
  // 1e-6 rather than JavaScript's 0.000001; both are exact Python literals.
  return v !== 0 && Math.abs(v) < 1e-4 ? v.toExponential() : String(v);
}

// A float literal: 1 → 1.0 (Python would take 1 as an int).
function pyFloat(v) {
  const s = pyNumber(v);
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

function pyInt(v) {
  return String(Math.trunc(Number(v)));
}

function pyString(s) {
  return `'${String(s).replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function pyValue(v) {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return pyNumber(v);
  if (typeof v === 'string') return pyString(v);
  if (Array.isArray(v)) return `[${v.map(pyValue).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${pyString(k)}: ${pyValue(x)}`).join(', ')}}`;
}

function pyFloatList(list) {
  return `[${list.map(pyFloat).join(', ')}]`;
}

// Names, defaults and kinds of options are the core's (its schema): PyTorch
// code for an option the config leaves out gets the core's default, which is
// PyTorch's wherever PyTorch has the option.
const schemaFields = (section, name) => fieldsOf(section, name);

// A keyword argument for an option of the schema's `fields`, with the core's
// default filled in when the config leaves it out.
function kwarg(fields, spec, key, { as = key } = {}) {
  const field = fields.find((f) => f.key === key);
  const value = spec?.[key] !== undefined ? spec[key] : field?.default ?? undefined;
  let text;
  if (value === undefined) text = field?.default_text ? 'None' : 'None  # required: missing in the config';
  else if (value === null) text = 'None';
  else if (field?.type === 'integer') text = pyInt(value);
  else if (field?.type === 'integer_list') text = `[${value.map(pyInt).join(', ')}]`;
  // A fixed-length pair (betas) is a tuple in torch.optim.
  else if (field?.type === 'number_list' && field.length === 2) text = `(${pyFloat(value[0])}, ${pyFloat(value[1])})`;
  else if (field?.type === 'number') text = pyFloat(value);
  else text = pyValue(value);
  return `${as}=${text}`;
}

const indent = (lines, n = 4) => lines.map((l) => (l ? ' '.repeat(n) + l : l));

// --- problems -------------------------------------------------------------------
// Each returns {lines, params, deterministic, batchLoss?, valLoss?, trainSize?}.
// Deterministic problems define loss_fn(); data problems define
// loss_fn(batch) (the mean over the minibatch indices) and val_loss().

// x₀: the config's, else the start the core reported for this run, else the
// core's documented default.
function startTensor(problem, start, fallback) {
  const x0 = Array.isArray(problem.x0) ? problem.x0 : (start ?? fallback);
  return [`x = torch.tensor(${pyFloatList(x0)}, requires_grad=True)`];
}

function quadratic(p, start) {
  const lines = [];
  let n;
  if (Array.isArray(p.A)) {
    n = p.A.length;
    lines.push(`A = torch.tensor([${p.A.map(pyFloatList).join(', ')}])`);
  } else {
    const diag = Array.isArray(p.diag) ? p.diag : defaultOf(schemaFields('problems', 'quadratic'), 'diag');
    n = diag.length;
    lines.push(`A = torch.diag(torch.tensor(${pyFloatList(diag)}))`);
  }
  lines.push(`b = torch.tensor(${pyFloatList(Array.isArray(p.b) ? p.b : new Array(n).fill(0))})`);
  if (p.rotation) {
    lines.push(
      `# rotation = ${pyNumber(p.rotation)}°: the function turned counter-clockwise about the`,
      '# origin, f(Rᵀx): A ← R A Rᵀ, b ← R b (the start x₀ is not turned)',
      `theta = math.radians(${pyFloat(p.rotation)})`,
      'R = torch.tensor([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])',
      'A = R @ A @ R.T',
      'b = R @ b',
    );
  }
  lines.push('', 'def loss_fn():', '    # f(x) = ½ xᵀA x − bᵀx', '    return 0.5 * x @ A @ x - b @ x', '');
  lines.push(...startTensor(p, start, new Array(n).fill(1)));
  return { lines, params: '[x]', deterministic: true };
}

function rosenbrock(p, start) {
  const a = p.a ?? 1, b = p.b ?? 100;
  return {
    lines: [
      'def loss_fn():',
      '    # Rosenbrock (1960): f = (a − x)² + b (y − x²)²',
      `    return (${pyFloat(a)} - x[0]) ** 2 + ${pyFloat(b)} * (x[1] - x[0] ** 2) ** 2`,
      '', ...startTensor(p, start, [-1.5, 2])],
    params: '[x]', deterministic: true,
  };
}

function beale(p, start) {
  return {
    lines: [
      'def loss_fn():',
      '    # Beale (1958), minimum 0 at (3, 0.5)',
      '    u, v = x[0], x[1]',
      '    return (1.5 - u + u * v) ** 2 + (2.25 - u + u * v ** 2) ** 2 + (2.625 - u + u * v ** 3) ** 2',
      '', ...startTensor(p, start, [1, 1.5])],
    params: '[x]', deterministic: true,
  };
}

function himmelblau(p, start) {
  return {
    lines: [
      'def loss_fn():',
      '    # Himmelblau (1972): four minima with f = 0',
      '    return (x[0] ** 2 + x[1] - 11) ** 2 + (x[0] + x[1] ** 2 - 7) ** 2',
      '', ...startTensor(p, start, [0, 0])],
    params: '[x]', deterministic: true,
  };
}

function rastrigin(p, start) {
  const n = p.dim ?? 2;
  return {
    lines: [
      'def loss_fn():',
      '    # Rastrigin (1974): 10 n + Σ (xᵢ² − 10 cos 2πxᵢ)',
      `    return 10 * ${pyInt(n)} + torch.sum(x ** 2 - 10 * torch.cos(2 * math.pi * x))`,
      '', ...startTensor(p, start, new Array(n).fill(2.2))],
    params: '[x]', deterministic: true,
  };
}

function doubleWell(p, start) {
  return {
    lines: [
      'def loss_fn():',
      '    # x⁴/4 + x³/3 − x² + 8/3: deep minimum at −2, shallow one at 1',
      '    return x[0] ** 4 / 4 + x[0] ** 3 / 3 - x[0] ** 2 + 8 / 3',
      '', ...startTensor(p, start, [2.5])],
    params: '[x]', deterministic: true,
  };
}

function saddle(p, start) {
  const a = p.a ?? 1;
  return {
    lines: [
      'def loss_fn():',
      '    # ½ a x² + y⁴/4 − y²/2 + 1/4: a saddle at the origin, minima (0, ±1) with f = 0',
      `    return 0.5 * ${pyFloat(a)} * x[0] ** 2 + x[1] ** 4 / 4 - x[1] ** 2 / 2 + 0.25`,
      '', ...startTensor(p, start, [1.5, 1e-3])],
    params: '[x]', deterministic: true,
  };
}

// The digits, loaded and split exactly as web/data/digits.bin was made
// (scripts/make_digits.py): sklearn's copy, shuffled once with
// random.Random(20240601), first 1437 rows for training.
const DIGITS = [
  'from sklearn.datasets import load_digits',
  '',
  '# The digits as lrlab splits them: sklearn\'s copy of the UCI set (Alpaydin &',
  '# Kaynak, CC BY 4.0), shuffled once with random.Random(20240601); the first',
  '# 1437 rows train, the last 360 validate (scripts/make_digits.py).',
  'digits = load_digits()',
  'order = list(range(len(digits.target)))',
  'random.Random(20240601).shuffle(order)',
  'pixels = torch.tensor(digits.data[order])',
  'labels = torch.tensor(digits.target[order])',
  'n_train = 1437',
];

// The reader's own table ({"data": "local"}), as the lab's data panel saves
// it ("Download the prepared table"): standardised features, the class
// index and the split of each row, training rows first (model/csv.js).
const LOCAL = [
  'import csv',
  '',
  '# Your data as the lab prepared it: lrlab-data.csv, saved from the lab\'s',
  '# data panel (standardised with the training rows\' statistics, training',
  '# rows first; columns: the features, then class, then split).',
  'with open(\'lrlab-data.csv\', newline=\'\') as file:',
  '    rows = list(csv.reader(file))[1:]',
  'pixels = torch.tensor([[float(v) for v in row[:-2]] for row in rows], dtype=torch.float64)',
  'labels = torch.tensor([int(row[-2]) for row in rows])',
  'n_train = sum(row[-1] == \'train\' for row in rows)',
  'n_features, n_classes = pixels.shape[1], int(labels.max()) + 1',
];

// The data a classifier trains on: the digits (64 pixels, 10 classes) or the
// reader's table (its own sizes, read by the script).
// `weights`/`theta`: logistic regression's parameters in words and their count.
function dataOf(p) {
  return onLocalData(p)
    ? { lines: LOCAL, d: 'n_features', classes: 'n_classes', positive: 'labels == 1', scaled: 'pixels  # already standardised', what: 'Is the row of class 1? Features', weights: 'the weights', theta: 'n_features + 1' }
    : { lines: DIGITS, d: '64', classes: '10', positive: 'labels >= 5', scaled: 'pixels / 16  # pixel counts 0..16 → [0, 1]', what: 'Is the digit 5 or more? Pixels', weights: '64 weights', theta: '65' };
}

function logisticRegression(p) {
  const l2 = p.l2 ?? 0;
  const data = dataOf(p);
  const d = data.d;
  const lines = [
    ...data.lines,
    `# ${data.what} standardised with the training split's`,
    '# mean and population standard deviation (1 where it is 0).',
    'mean = pixels[:n_train].mean(0)',
    'std = pixels[:n_train].std(0, unbiased=False)',
    'std[std == 0] = 1.0',
    'features = (pixels - mean) / std',
    `targets = (${data.positive}).double()`,
    'train_x, train_y = features[:n_train], targets[:n_train]',
    'val_x, val_y = features[n_train:], targets[n_train:]',
    '',
  ];
  const layout = `${data.weights}, then the bias`;
  lines.push(Array.isArray(p.x0)
    ? `theta = torch.tensor(${pyFloatList(p.x0)}, requires_grad=True)  # ${layout}`
    : `theta = torch.zeros(${data.theta}, requires_grad=True)  # ${layout}`);
  lines.push(
    '',
    'def loss_fn(batch):',
    `    z = train_x[batch] @ theta[:${d}] + theta[${d}]`,
    '    loss = F.binary_cross_entropy_with_logits(z, train_y[batch])',
  );
  if (l2 > 0) lines.push(`    # L2 penalty (l2/2)‖w‖² on the weights, not the bias (scikit-learn's convention)`, `    loss = loss + ${pyFloat(l2 / 2)} * theta[:${d}].pow(2).sum()`);
  lines.push(
    '    return loss',
    '',
    'def val_loss():',
    '    with torch.no_grad():',
    `        return F.binary_cross_entropy_with_logits(val_x @ theta[:${d}] + theta[${d}], val_y).item()`,
  );
  return { lines, params: '[theta]', deterministic: false, trainSize: 'n_train' };
}

function mlp(p) {
  const hidden = p.hidden ?? 32;
  const act = (p.activation ?? 'relu') === 'tanh' ? 'nn.Tanh()' : 'nn.ReLU()';
  const data = dataOf(p);
  const lines = [
    ...data.lines,
    `inputs = ${data.scaled}`,
    '',
    `model = nn.Sequential(nn.Linear(${data.d}, ${pyInt(hidden)}), ${act}, nn.Linear(${pyInt(hidden)}, ${data.classes}))`,
  ];
  if (Array.isArray(p.x0)) {
    lines.push(`nn.utils.vector_to_parameters(torch.tensor(${pyFloatList(p.x0)}), model.parameters())`);
  } else {
    lines.push(
      '# nn.Linear\'s default initialisation, U(−1/√fan_in, 1/√fan_in): the same',
      '# distribution lrlab draws from, not the same numbers.',
    );
  }
  lines.push(
    '',
    'def loss_fn(batch):',
    '    return F.cross_entropy(model(inputs[batch]), labels[batch])',
    '',
    'def val_loss():',
    '    with torch.no_grad():',
    '        return F.cross_entropy(model(inputs[n_train:]), labels[n_train:]).item()',
  );
  return { lines, params: 'model.parameters()', deterministic: false, trainSize: 'n_train' };
}

function sparseLinear(p) {
  const f = schemaFields('problems', 'sparse_linear');
  const get = (k) => p[k] ?? defaultOf(f, k);
  const n = get('n_samples'), dim = get('dim');
  const lines = [
    '# Synthetic data drawn as lrlab describes it (README, sparse_linear), from',
    '# torch\'s generator: the same distribution, not lrlab\'s numbers.',
    `n_train, dim = ${pyInt(n)}, ${pyInt(dim)}`,
    'n_val = (n_train + 3) // 4',
    `rare = round(${pyFloat(get('rare_fraction'))} * dim)  # the last \`rare\` features are rare`,
    `rare_prob, noise = ${pyFloat(get('rare_prob'))}, ${pyFloat(get('noise'))}`,
    'w_star = torch.randn(dim)',
    'def draw(n):',
    '    x = torch.randn(n, dim)',
    '    present = torch.ones(n, dim, dtype=torch.bool)',
    '    present[:, dim - rare:] = torch.rand(n, rare) < rare_prob',
    '    x = x * present',
    '    return x, x @ w_star + noise * torch.randn(n)',
    'train_x, train_y = draw(n_train)',
    'val_x, val_y = draw(n_val)',
    'for j in range(dim - rare, dim):  # every rare feature occurs at least once',
    '    if not train_x[:, j].any():',
    '        i = int(torch.randint(n_train, ()))',
    '        train_x[i, j] = torch.randn(())',
    '        train_y[i] = train_x[i] @ w_star + noise * torch.randn(())',
    '',
  ];
  lines.push(Array.isArray(p.x0) ? `w = torch.tensor(${pyFloatList(p.x0)}, requires_grad=True)` : 'w = torch.zeros(dim, requires_grad=True)');
  lines.push(
    '',
    'def loss_fn(batch):',
    '    return 0.5 * ((train_x[batch] @ w - train_y[batch]) ** 2).mean()',
    '',
    'def val_loss():',
    '    with torch.no_grad():',
    '        return (0.5 * ((val_x @ w - val_y) ** 2).mean()).item()',
  );
  return { lines, params: '[w]', deterministic: false, trainSize: 'n_train' };
}

const PROBLEM_CODE = {
  quadratic, rosenbrock, beale, himmelblau, rastrigin, double_well: doubleWell, saddle,
  logistic_regression: logisticRegression, mlp, sparse_linear: sparseLinear,
};

// --- optimizers --------------------------------------------------------------------
// Lion is not in torch.optim 1.13: the script carries a small implementation
// of the paper's update (Chen et al., 2023), lion-pytorch's option names.
const LION_CLASS = [
  'class Lion(torch.optim.Optimizer):',
  '    """Lion (Chen et al., 2023), not in torch.optim 1.13:',
  '    c = β₁m + (1 − β₁)g;  x ← (1 − ηλ)x − η sign(c);  m ← β₂m + (1 − β₂)g."""',
  '',
  '    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0):',
  '        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))',
  '',
  '    @torch.no_grad()',
  '    def step(self):',
  '        for group in self.param_groups:',
  "            beta1, beta2 = group['betas']",
  '            for p in group[\'params\']:',
  '                if p.grad is None:',
  '                    continue',
  "                m = self.state[p].setdefault('exp_avg', torch.zeros_like(p))",
  '                direction = torch.sign(beta1 * m + (1 - beta1) * p.grad)',
  "                p.mul_(1 - group['lr'] * group['weight_decay'])",
  "                p.add_(direction, alpha=-group['lr'])",
  '                m.mul_(beta2).add_(p.grad, alpha=1 - beta2)',
  '',
  '',
];

function optimizerCode(spec, params) {
  const name = kind('optimizers', spec?.name) ? spec.name : 'sgd';
  const info = kind('optimizers', name);
  const args = info.fields.map((f) => kwarg(info.fields, spec, f.key));
  const cls = name === 'lion' ? 'Lion' : `torch.optim.${info.torch}`;
  const lines = [];
  if (name === 'nadam') {
    lines.push(
      '# foreach=True: torch 1.13\'s default NAdam code multiplies μ_t into the',
      '# last product twice (fixed in 2.0); its foreach path computes the',
      '# documented formula, which is lrlab\'s.',
    );
    args.push('foreach=True');
  }
  lines.push(`optimizer = ${cls}(${params}, ${args.join(', ')})`);
  return lines;
}

// --- schedules -----------------------------------------------------------------------
// Returns {lines, expr, guard}: `expr` builds the scheduler; `guard` (a Python
// condition on `step`) limits scheduler.step() calls where PyTorch would raise.
function schedulerExpr(spec, optimizerName, notes) {
  const name = spec?.name ?? 'none';
  const info = kind('schedules', name);
  if (!info || name === 'none') return null;
  const args = (keys) => keys.map((k) => kwarg(info.fields, spec, k));
  const all = () => args(info.fields.map((f) => f.key));
  switch (name) {
    case 'sequential': {
      const inner = (spec.schedulers ?? []).map((s) => schedulerExpr(s, optimizerName, notes)).filter(Boolean);
      return `torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers=[${inner.join(', ')}], ${kwarg(info.fields, spec, 'milestones')})`;
    }
    case 'chained': {
      const inner = (spec.schedulers ?? []).map((s) => schedulerExpr(s, optimizerName, notes)).filter(Boolean);
      return `torch.optim.lr_scheduler.ChainedScheduler([${inner.join(', ')}])`;
    }
    case 'warmup_cosine':
      notes.warmupCosine = spec;
      return 'torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=warmup_cosine)';
    case 'cyclic': {
      const cycles = spec.cycle_momentum ?? true;
      const hasBetas = optimizerName !== 'sgd' && optimizerName !== 'rmsprop';
      if (cycles && hasBetas) {
        notes.cyclicBetas = true;
        return `torch.optim.lr_scheduler.CyclicLR(optimizer, ${args(['base_lr', 'max_lr', 'step_size_up', 'step_size_down', 'mode', 'gamma']).join(', ')}, cycle_momentum=False)`;
      }
      return `torch.optim.lr_scheduler.CyclicLR(optimizer, ${all().join(', ')})`;
    }
    case 'one_cycle':
      notes.oneCycleSteps = spec.total_steps;
      return `torch.optim.lr_scheduler.OneCycleLR(optimizer, ${all().join(', ')})`;
    default:
      return `torch.optim.lr_scheduler.${info.torch}(optimizer, ${all().join(', ')})`;
  }
}

function warmupCosineFunction(spec, lr0) {
  const f = schemaFields('schedules', 'warmup_cosine');
  const get = (k) => spec[k] ?? defaultOf(f, k);
  return [
    '# lrlab\'s warmup_cosine as a factor of the initial η (LambdaLR): a linear',
    '# warm-up (Goyal et al., 2017), then cosine decay to eta_min (Loshchilov &',
    '# Hutter, 2017), then eta_min. Up to total_steps it equals',
    '# SequentialLR([LinearLR(s, 1, W), CosineAnnealingLR(N − W, eta_min)], [W]).',
    `def warmup_cosine(t, W=${pyInt(get('warmup_steps'))}, N=${pyInt(get('total_steps'))}, s=${pyFloat(get('warmup_start_factor'))}, eta_min=${pyFloat(get('eta_min'))}, lr0=${pyFloat(lr0)}):`,
    '    if t < W:',
    '        return s + (1 - s) * t / W',
    '    if t <= N:',
    '        return (eta_min + (lr0 - eta_min) * (1 + math.cos(math.pi * (t - W) / (N - W))) / 2) / lr0',
    '    return eta_min / lr0',
    '',
  ];
}

function plateauCode(spec) {
  const fields = schemaFields('plateau');
  const args = fields.map((f) => kwarg(fields, spec, f.key));
  return `plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, ${args.join(', ')})`;
}

// --- the script ----------------------------------------------------------------------
// `start`: the run's x₀ as the core reported it (params[0]), used for
// problems whose config leaves x0 to the core's default.
// record.sharpness: λmax of the full-batch loss's Hessian every `every`
// steps, computed as the core does (README "Sharpness"): power iteration on
// exact Hessian-vector products (here torch's double backward), warm-started,
// stopping once the Rayleigh quotient settles to 1e-10, and shifted by the
// dominant eigenvalue when that is negative. Only the start vector differs.
function sharpnessCode(spec, pb) {
  const every = spec.every ?? defaultOf(schemaFields('sharpness'), 'every');
  const iterations = spec.iterations ?? defaultOf(schemaFields('sharpness'), 'iterations');
  const full = pb.deterministic ? 'loss_fn()' : `loss_fn(torch.arange(${pb.trainSize}))`;
  return [
    `# --- sharpness: λmax of the full-batch loss's Hessian every ${pyInt(every)} steps (record.sharpness) ---`,
    '# Power iteration on Hessian-vector products, warm-started from the last',
    '# eigenvector, as lrlab computes it; lrlab starts from its own fixed random',
    '# vector, this script from torch\'s, so estimates agree once they settle.',
    `sharpness_every, sharpness_iterations = ${pyInt(every)}, ${pyInt(iterations)}`,
    `sharp_params = list(${pb.params})`,
    'def hvp(v):',
    `    grads = torch.autograd.grad(${full}, sharp_params, create_graph=True)`,
    '    flat = torch.cat([g.reshape(-1) for g in grads])',
    '    return torch.cat([h.reshape(-1) for h in torch.autograd.grad(flat @ v, sharp_params)])',
    '',
    'def power_iteration(v, shift):',
    '    lam = 0.0',
    '    for k in range(sharpness_iterations):',
    '        w = hvp(v) - shift * v',
    '        new, norm = (v @ w).item(), w.norm().item()',
    '        if not math.isfinite(norm) or norm == 0:',
    '            return new, v',
    '        settled = k > 0 and abs(new - lam) <= 1e-10 * max(abs(new), 1e-300)',
    '        lam, v = new, w / norm',
    '        if settled:',
    '            break',
    '    return lam, v',
    '',
    'def random_unit():',
    '    v = torch.rand(sum(p.numel() for p in sharp_params)) - 0.5',
    '    return v / v.norm()',
    '',
    'sharp_v = None',
    'def sharpness():',
    '    global sharp_v',
    '    if sharp_v is None:',
    '        sharp_v = random_unit()',
    '    lam, sharp_v = power_iteration(sharp_v, 0.0)',
    '    if lam < 0:  # the dominant eigenvalue is negative: the top of the spectrum above it',
    '        top, sharp_v = power_iteration(random_unit(), lam)',
    '        lam = top + lam',
    '    return lam',
    '',
  ];
}

export function pytorchCode(config, { start = null } = {}) {
  const cfg = config ?? {};
  const problem = cfg.problem ?? { name: 'quadratic' };
  const build = PROBLEM_CODE[problem.name];
  const run = (k) => cfg[k] ?? defaultOf(schemaFields('run'), k);
  const steps = run('steps');
  const evalEvery = run('eval_every');
  const seed = run('seed');
  const noise = cfg.gradient_noise ?? 0;
  const optimizerName = cfg.optimizer?.name ?? 'sgd';
  const lr0 = cfg.optimizer?.lr ?? defaultOf(schemaFields('optimizers', optimizerName), 'lr');

  const out = [
    '# PyTorch 1.13 version of an lrlab run, written by lrlab, the interactive',
    '# article "What is the learning rate for?". The lrlab config:',
    `#   ${JSON.stringify(cfg)}`,
    '# lrlab computes in float64, so does this script. loss[t] is the loss at the',
    '# parameters before optimizer step t, and η_t the rate that step uses.',
    'import math',
  ];
  if (!build) {
    out.push('', 'import torch', '', `# The problem "${problem.name}" is not one this export knows: define loss_fn() and params yourself.`);
    return out.join('\n') + '\n';
  }
  const pb = build(problem, Array.isArray(start) && start.length <= 64 ? start : null);
  const digits = problem.name === 'mlp' || problem.name === 'logistic_regression';
  if (digits) out.push('import random');
  out.push('', 'import torch');
  if (!pb.deterministic) out.push('import torch.nn.functional as F');
  if (problem.name === 'mlp') out.push('from torch import nn');
  out.push(
    '',
    'torch.set_default_dtype(torch.float64)',
    `torch.manual_seed(${pyInt(seed)})  # torch's generator: lrlab's seed ${pyInt(seed)} draws different numbers`,
    '',
    `# --- problem: ${problem.name} ---`,
    ...pb.lines,
    '',
  );

  out.push('# --- optimizer, schedule ---');
  if (optimizerName === 'lion') out.push(...LION_CLASS);
  out.push(...optimizerCode(cfg.optimizer, pb.params));
  const notes = {};
  const sched = schedulerExpr(cfg.schedule, optimizerName, notes);
  if (notes.warmupCosine) out.push(...warmupCosineFunction(notes.warmupCosine, lr0));
  if (notes.cyclicBetas) {
    out.push(
      '# torch 1.13\'s CyclicLR cycles only `momentum` and refuses optimizers with',
      '# betas; lrlab cycles β₁ for them (as later PyTorch releases do). Here η',
      '# cycles and β₁ stays fixed, so the run differs from the lab\'s.',
    );
  }
  if (sched) out.push(`scheduler = ${sched}`);
  if (cfg.plateau) {
    out.push(plateauCode(cfg.plateau));
    if (sched) {
      out.push(
        '# lrlab scales the schedule by the plateau controller: η_t = schedule(t)·m.',
        '# In PyTorch a cut changes param_groups\' lr, which StepLR, MultiStepLR,',
        '# ExponentialLR, LinearLR, ConstantLR, PolynomialLR and CosineAnnealingLR',
        '# with eta_min = 0 carry on (the same product); CosineAnnealingWarmRestarts,',
        '# OneCycleLR, CyclicLR and LambdaLR recompute η and drop the cut.',
      );
    }
  }
  out.push('');

  // Minibatches: a fresh permutation each epoch, full batches only.
  if (!pb.deterministic) {
    out.push(
      '# Minibatches without replacement, reshuffled every epoch, a partial last',
      '# batch skipped — lrlab\'s sampler, with torch\'s random numbers.',
      `batch_size = ${pyInt(run('batch_size'))}`,
      'def minibatches():',
      '    while True:',
      `        order = torch.randperm(${pb.trainSize})`,
      `        for start in range(0, ${pb.trainSize} - batch_size + 1, batch_size):`,
      '            yield order[start:start + batch_size]',
      '',
      'batches = minibatches()',
    );
  }
  const sharp = cfg.record?.sharpness;
  if (sharp) out.push(...sharpnessCode(sharp, pb));
  const lossCall = pb.deterministic ? 'loss_fn()' : 'loss_fn(next(batches))';
  const valCall = pb.deterministic ? 'loss_fn().item()' : 'val_loss()';
  const stepLines = [
    ...(sharp ? ['if step % sharpness_every == 0:', '    sharpnesses.append((step, sharpness()))'] : []),
    `loss = ${lossCall}`,
    'losses.append(loss.item())',
    'if not math.isfinite(losses[-1]) or losses[-1] > 1e6 * losses[0]:',
    "    print(f'diverged at step {step}')  # lrlab stops a run here too",
    '    break',
    "lrs.append(optimizer.param_groups[0]['lr'])",
    'optimizer.zero_grad()',
    'loss.backward()',
  ];
  if (noise > 0) {
    stepLines.push(
      `for p in ${pb.params === 'model.parameters()' ? 'model.parameters()' : pb.params}:  # gradient noise σ = ${pyNumber(noise)} (torch's numbers)`,
      `    p.grad.add_(torch.randn_like(p.grad), alpha=${pyFloat(noise)})`,
    );
  }
  stepLines.push('optimizer.step()');
  if (sched) {
    // OneCycleLR raises when stepped past total_steps N; lrlab gives PyTorch's
    // value at t = N, then holds the t = N − 1 values (README, one_cycle).
    const total = cfg.schedule?.name === 'one_cycle' ? notes.oneCycleSteps : undefined;
    if (Number.isInteger(total) && steps > total) {
      const n = pyInt(total);
      stepLines.push(
        `if step + 1 < ${n}:`,
        '    scheduler.step()',
        `elif step + 1 == ${n}:  # keep the t = N − 1 values, then take PyTorch's t = N`,
        "    held = {k: v for k, v in optimizer.param_groups[0].items() if k in ('lr', 'momentum', 'betas')}",
        '    scheduler.step()',
        `elif step + 1 == ${n} + 1:  # past N OneCycleLR would raise; lrlab holds the t = N − 1 values`,
        '    optimizer.param_groups[0].update(held)',
      );
    } else {
      stepLines.push('scheduler.step()');
    }
  }
  const evalLines = [
    `if (step + 1) % ${pyInt(evalEvery)} == 0:`,
    `    val = ${valCall}`,
    '    val_losses.append((step + 1, val))',
  ];
  if (cfg.plateau) evalLines.push('    plateau.step(val)  # fed after the step that produced it');
  evalLines.push("    print(f'step {step + 1}: loss {losses[-1]:.6g}, validation {val:.6g}, lr {lrs[-1]:.3g}')");
  stepLines.push(...evalLines);

  out.push(
    '# --- training ---',
    `losses, lrs, val_losses${sharp ? ', sharpnesses' : ''} = [], [], []${sharp ? ', []' : ''}`,
    `for step in range(${pyInt(steps)}):`,
    ...indent(stepLines),
    'else:  # no divergence: the loss at the final parameters too, as lrlab records it',
    `    losses.append(${lossCall}.item())`,
    ...(sharp ? [`    if ${pyInt(steps)} % sharpness_every == 0:`, `        sharpnesses.append((${pyInt(steps)}, sharpness()))`] : []),
    "print(f'final loss {losses[-1]:.6g} after {len(lrs)} steps')",
  );
  if (sharp) out.push("print('sharpness (step, λmax):', [(t, round(v, 6)) for t, v in sharpnesses])");
  return out.join('\n') + '\n';
}

// The PyTorch class names a config uses, for tests and the lab's summary.
export function pytorchClasses(config) {
  const out = [];
  const name = config?.optimizer?.name ?? 'sgd';
  out.push(name === 'lion' ? 'Lion' : `torch.optim.${kind('optimizers', name)?.torch}`);
  const walk = (s) => {
    if (!s || s.name === 'none') return;
    if (s.name === 'warmup_cosine') out.push('torch.optim.lr_scheduler.LambdaLR');
    else if (kind('schedules', s.name)?.torch) out.push(`torch.optim.lr_scheduler.${kind('schedules', s.name).torch}`);
    for (const inner of s.schedulers ?? []) walk(inner);
  };
  walk(config?.schedule);
  if (config?.plateau) out.push('torch.optim.lr_scheduler.ReduceLROnPlateau');
  return out;
}
