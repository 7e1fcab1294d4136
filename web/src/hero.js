// The article's opening figure, live in the first screen: gradient descent
// on f(x) = ½ λ x² (λ = 1) from x₀ = 2, 30 steps, redrawn as the reader drags
// η. Left, the parabola with the iterates joined step by step (the zig-zag
// of an η past 1/λ); right, the loss per step on a log axis; under them a
// sentence on what this η does. Computed by the core's Quadratic and Sgd in
// the small module of cpp/hero (engine/hero.js), on the page's thread, so
// the first view loads ~10 KB instead of the Worker engine. Plain SVG, no
// chart library. On <figure id="hero">: data-state="ready" and the event
// "lrlab-hero-drawn" once drawn (for the tests and the bench).
import { loadHero } from './engine/hero.js';
import { createLogSlider } from './ui/slider.js';
import { formatNumber } from './model/format.js';

const LAMBDA = 1;
const X0 = 2;
const STEPS = 30;
const LR = { min: 0.05, max: 3, start: 0.3 };
const SVG = 'http://www.w3.org/2000/svg';
const f = formatNumber;

function svg(name, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  parent?.append(el);
  return el;
}

// The parabola panel: x in [−2.5, 2.5] across 400 × 180.
const CURVE = { w: 400, h: 180, x: [-2.5, 2.5], top: 3.4 };
const cx = (x) => 16 + ((x - CURVE.x[0]) / (CURVE.x[1] - CURVE.x[0])) * (CURVE.w - 32);
const cy = (v) => CURVE.h - 22 - (v / CURVE.top) * (CURVE.h - 36);
// The loss panel: steps 0 … STEPS across 320 × 150, log loss.
const LOSS = { w: 320, h: 150, left: 44, right: 12, top: 24, bottom: 26 };
const power = (e) => (e >= -2 && e <= 3 ? String(10 ** e >= 1 ? 10 ** e : Number((10 ** e).toFixed(-e))) : `1e${e < 0 ? '−' : ''}${Math.abs(e)}`);

function drawCurve(group, run) {
  group.replaceChildren();
  const pts = [];
  for (let i = 0; i <= 100; i++) {
    const x = CURVE.x[0] + ((CURVE.x[1] - CURVE.x[0]) * i) / 100;
    pts.push(`${cx(x).toFixed(1)},${cy(0.5 * LAMBDA * x * x).toFixed(1)}`);
  }
  svg('polyline', { points: pts.join(' '), class: 'hero-parabola' }, group);
  svg('line', { x1: cx(CURVE.x[0]), x2: cx(CURVE.x[1]), y1: cy(0), y2: cy(0), class: 'hero-axis' }, group);
  svg('text', { x: cx(0), y: CURVE.h - 6, class: 'hero-label', 'text-anchor': 'middle' }, group).textContent = 'x* = 0';
  svg('text', { x: cx(CURVE.x[0]) + 2, y: 14, class: 'hero-label' }, group).textContent = 'f(x) = ½x²';
  // The iterates while they stay on the plot; a ✕ where the run leaves it.
  const inside = (x) => x >= CURVE.x[0] && x <= CURVE.x[1] && 0.5 * LAMBDA * x * x <= CURVE.top;
  const shown = [];
  for (const x of run.x) {
    if (!inside(x)) break;
    shown.push(x);
  }
  const path = shown.map((x) => `${cx(x).toFixed(1)},${cy(0.5 * LAMBDA * x * x).toFixed(1)}`).join(' ');
  svg('polyline', { points: path, class: 'hero-path' }, group);
  shown.forEach((x, t) => svg('circle', { cx: cx(x), cy: cy(0.5 * LAMBDA * x * x), r: t === 0 ? 5 : 3, class: t === 0 ? 'hero-start' : 'hero-iterate' }, group));
  if (shown.length < run.x.length) {
    const edge = svg('text', { x: cx(0), y: 118, class: 'hero-danger', 'text-anchor': 'middle' }, group);
    edge.textContent = `x leaves the plot at step ${shown.length}\u00a0✕`;
  }
}

function drawLoss(group, run) {
  group.replaceChildren();
  const floor = 1e-12;
  const logs = Array.from(run.loss, (v) => Math.log10(Math.max(v, floor)));
  let lo = Math.floor(Math.min(...logs));
  let hi = Math.ceil(Math.max(...logs));
  if (hi - lo < 2) lo = hi - 2;
  const x = (t) => LOSS.left + (t / STEPS) * (LOSS.w - LOSS.left - LOSS.right);
  const y = (l) => LOSS.top + ((hi - l) / (hi - lo)) * (LOSS.h - LOSS.top - LOSS.bottom);
  for (const l of [lo, hi]) {
    svg('line', { x1: LOSS.left, x2: LOSS.w - LOSS.right, y1: y(l), y2: y(l), class: 'hero-grid' }, group);
    svg('text', { x: LOSS.left - 5, y: y(l) + 4, class: 'hero-label', 'text-anchor': 'end' }, group).textContent = power(l);
  }
  svg('text', { x: LOSS.left, y: 12, class: 'hero-label' }, group).textContent = 'loss per step (log scale)';
  svg('text', { x: LOSS.left, y: LOSS.h - 6, class: 'hero-label', 'text-anchor': 'middle' }, group).textContent = '0';
  svg('text', { x: LOSS.w - LOSS.right, y: LOSS.h - 6, class: 'hero-label', 'text-anchor': 'middle' }, group).textContent = String(STEPS);
  svg('text', { x: (LOSS.left + LOSS.w - LOSS.right) / 2, y: LOSS.h - 6, class: 'hero-label', 'text-anchor': 'middle' }, group).textContent = 'step';
  svg('polyline', { points: logs.map((l, t) => `${x(t).toFixed(1)},${y(l).toFixed(1)}`).join(' '), class: 'hero-path' }, group);
  if (run.divergedAt !== null) {
    svg('text', { x: x(run.divergedAt), y: y(logs.at(-1)) + 5, class: 'hero-danger', 'text-anchor': 'middle' }, group).textContent = '✕';
  }
}

// What this η does, in words, with the run's numbers.
function describe(lr, run) {
  const r = Math.abs(1 - lr * LAMBDA);
  const keep = `|1 − ηλ| = ${f(r)}`;
  const end = f(run.loss.at(-1));
  if (run.divergedAt !== null) return `η = ${f(lr)} is past 2/λ = 2: each step overshoots the minimum and lands farther away than it started (${keep} > 1), so the loss grows until the run diverges at step ${run.divergedAt}.`;
  if (lr === 2 / LAMBDA) return `η = 2/λ exactly: every step lands as far on the other side (${keep}), so x bounces between 2 and −2 for ever.`;
  if (lr === 1 / LAMBDA) return `η = 1/λ: the first step lands on the minimum itself.`;
  if (lr < 1 / LAMBDA) return `η = ${f(lr)}: each step keeps a fraction ${keep} of the distance to the minimum, so x creeps in from one side; after ${STEPS} steps the loss is ${end}.`;
  if (lr < 2 / LAMBDA) return `η = ${f(lr)}: each step overshoots to the other side of the minimum, but lands closer (${keep} < 1), so the run zig-zags in; after ${STEPS} steps the loss is ${end}.`;
  return `η = ${f(lr)}: each step overshoots the minimum and lands farther away (${keep} > 1); after ${STEPS} steps the loss is ${end}.`;
}

export async function startHero(figure) {
  const live = figure.querySelector('.hero-live');
  const status = figure.querySelector('.hero-status');
  let hero;
  try {
    hero = await loadHero();
  } catch (err) {
    status.textContent = `This figure could not start: ${err.message}`;
    figure.dataset.state = 'error';
    return;
  }
  const panels = document.createElement('div');
  panels.className = 'hero-panels';
  const curve = svg('svg', { viewBox: `0 0 ${CURVE.w} ${CURVE.h}`, class: 'hero-curve', role: 'img', 'aria-label': 'the parabola f(x) = ½x² and the iterates of gradient descent on it' });
  const loss = svg('svg', { viewBox: `0 0 ${LOSS.w} ${LOSS.h}`, class: 'hero-loss', role: 'img', 'aria-label': 'the loss per step, on a log axis' });
  const curveGroup = svg('g', {}, curve);
  const lossGroup = svg('g', {}, loss);
  panels.append(curve, loss);
  const draw = (lr) => {
    const run = hero.run({ lambda: LAMBDA, x0: X0, lr, steps: STEPS });
    drawCurve(curveGroup, run);
    drawLoss(lossGroup, run);
    status.textContent = describe(lr, run);
    figure.dataset.lr = String(lr);
  };
  const slider = createLogSlider({ label: 'learning rate η', symbol: 'η', min: LR.min, max: LR.max, value: LR.start, onInput: draw });
  slider.element.classList.add('hero-slider');
  live.replaceChildren(slider.element, panels);
  draw(LR.start);
  figure.dataset.state = 'ready';
  figure.dispatchEvent(new CustomEvent('lrlab-hero-drawn', { detail: { time: performance.now() } }));
}
