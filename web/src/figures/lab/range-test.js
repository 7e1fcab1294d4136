// The lab's LR range test (Smith, 2017) on the selected run: its panel (a
// chart of the loss while η grows exponentially, with the suggested η
// marked), the ramp's inputs, and a button that starts a one-cycle run
// (Smith & Topin, 2019) at the suggested η. The lab runs it while the panel
// is open (compute), draws it after every recompute (draw).
import { button, element } from '../../ui/dom.js';
import { forLogAxis } from '../../ui/chart.js';
import { RANGE_DEFAULTS, rangeTestConfig, rangeTestNote } from '../../model/lab-runs.js';
import { rangeChart } from './charts.js';

const EMPTY = [[1e-3, 1], [null, null], [null, null]];

export class LabRangeTest {
  // figure: the lab (for panels and charts); onChange(): the ramp changed;
  // onOneCycle(config): add this run.
  constructor(figure, { onChange, onOneCycle }) {
    this.figure = figure;
    this.open = false;
    this.test = null;  // {key, config, result, error, slot, runIndex}
    this.plot = null;
    this.onOneCycle = onOneCycle;
    this.box = figure.panel('LR range test: loss while η grows exponentially', { wide: true });
    this.panel = this.box.parentElement;
    this.panel.hidden = true;
    const row = element('div', 'lab-range-controls');
    this.inputs = {};
    for (const [key, label] of [['lr_min', 'from η'], ['lr_max', 'to η'], ['steps', 'steps']]) {
      const input = element('input');
      input.type = 'number';
      input.name = `range_test.${key}`;
      input.step = key === 'steps' ? '1' : 'any';
      input.min = key === 'steps' ? '2' : '0';
      input.value = String(RANGE_DEFAULTS[key]);
      input.addEventListener('input', () => { if (!input.validity.badInput && input.value.trim() !== '') onChange(); });
      const l = element('label', 'lab-field');
      l.append(element('span', 'lab-field-label', label), input);
      row.append(l);
      this.inputs[key] = input;
    }
    this.oneCycleButton = button('Start a one-cycle run with max_lr = suggested η', () => this.startOneCycle(), 'lab-onecycle');
    this.oneCycleButton.disabled = true;
    this.note = element('p', 'lr-hint lab-range-note');
    this.box.before(row);
    this.box.after(this.oneCycleButton, this.note);
  }

  toggle() {
    this.open = !this.open;
    this.panel.hidden = !this.open;
    return this.open;
  }

  get suggested() {
    return this.open ? this.test?.result?.suggested_lr ?? null : null;
  }

  // Runs the test for the selected run unless its config (and `data`, the
  // version of the reader's table it uses) is the last one's.
  async compute(engine, runs, data = '') {
    const run = runs.run;
    const read = (k) => Number(this.inputs[k].value);
    const config = rangeTestConfig(run.config, { lr_min: read('lr_min'), lr_max: read('lr_max'), steps: read('steps') });
    const key = JSON.stringify(config) + data;
    if (this.test?.key === key) return;
    const test = { key, config, result: null, error: null, slot: run.slot, runIndex: runs.selected };
    try {
      test.result = await engine.rangeTest(config);
    } catch (err) {
      if (!err?.issues) throw err;
      test.error = err.issues;
    }
    this.test = test;
  }

  draw(runs) {
    if (!this.open) return;
    const { test } = this;
    const r = test?.result;
    if (!this.plot || this.plotSlot !== test?.slot) {
      this.figure.dropChart(this.plot);
      this.plotSlot = test?.slot ?? 0;
      this.plot = this.figure.chart(this.box, rangeChart(this.figure.container, () => this.test?.result, this.plotSlot), EMPTY, { aspect: 0.4, minHeight: 220, maxHeight: 320 });
    }
    this.oneCycleButton.disabled = !(r?.suggested_lr > 0) || runs.full;
    const note = rangeTestNote(test, runs.runs);
    this.note.textContent = note.text;
    this.note.classList.toggle('lr-danger', note.danger);
    if (!r) {
      this.plot.setData(EMPTY);
      return;
    }
    const n = r.lr.length;
    this.plot.setData([Array.from(r.lr), forLogAxis(r.loss.slice(0, n)), forLogAxis(r.smoothed.slice(0, n))]);
  }

  startOneCycle() {
    const suggested = this.test?.result?.suggested_lr;
    if (suggested > 0) this.onOneCycle(this.test.runIndex, suggested);
  }

  // What the figure tracks and exports while the panel is open.
  shown() {
    return this.open && this.test?.result ? this.test : null;
  }
}

