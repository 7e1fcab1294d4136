// Figure "lab": everything at once. Up to four runs, each a full engine
// config — problem (the 2-D surfaces, the 1-D double well, sparse linear
// regression, logistic regression and an MLP on the digits), any optimizer
// and its options, any schedule, the plateau controller, seed, batch size,
// steps — compared on one loss chart (log axis, training and validation)
// and one η chart, with the paths on a contour plot when the selected run's
// problem is 2-D. An LR range test (Smith, 2017) on the selected run
// suggests an η and can start a one-cycle run (Smith & Topin, 2019) from it.
// "Share and export" (figures/share.js) carries the runs; the selected run's
// PyTorch code is also shown in place.
//
// The parts: the run list and every rule about runs (model/lab-runs.js), the
// controls and form (lab/controls.js, lab/form.js), the plots (lab/plots.js),
// the range test (lab/range-test.js) and the code view (lab/code.js); this
// file wires them and recomputes.
//
// Attributes:
//   config  JSON of one run ({"problem": …, "optimizer": …, …}, the engine's
//           config format) or {"runs": [up to 4 of them]}, or base64url of
//           that JSON (share links: ?lab.config=…). Default: SGD with
//           momentum and Adam on Rosenbrock, 300 steps.
//           An old share link's #lab=<base64url of {"runs": […]}> takes
//           precedence. A state the lab cannot show (not JSON,
//           no runs, unknown names or keys) falls back to the default with a
//           note; values the engine rejects are shown as its messages next
//           to the form. At most 5000 steps per run.
//
// Engine work per edit: the edited run only (runs whose config did not
// change keep their results), plus the range test while its panel is open.
import { seriesColor } from '../ui/chart.js';
import { plainData, runStart } from '../export/figure-export.js';
import { onLocalData } from '../model/catalog.js';
import { latestOnly } from '../model/tasks.js';
import {
  RunList, defaultRuns, describeRun, engineConfig, oneCycleFrom, readInitialState, runsStatus, runsTable, toBase64Url, usesLocalData,
} from '../model/lab-runs.js';
import { Figure } from './figure.js';
import { LabCode } from './lab/code.js';
import { LabControls } from './lab/controls.js';
import { LabData } from './lab/data.js';
import { LabPlots } from './lab/plots.js';
import { LabRangeTest } from './lab/range-test.js';

export default class LabFigure extends Figure {
  constructor(container, host, engine) {
    super(container, host, engine, { label: 'The lab: compare up to four optimizer runs', dataFile: 'lrlab-lab.csv' });
    container.classList.add('lab');
    this.list = new RunList(readInitialState(host, location.hash, this.notes));
    this.setting('config', null, null);
    // η on a log axis when the runs' rates differ by more than 10×.
    const lrs = this.list.configs().map((c) => c.optimizer.lr).filter((v) => v > 0);
    this.logLr = lrs.length > 1 && Math.max(...lrs) / Math.min(...lrs) > 10;

    // The reader's CSV file, for runs with {"data": "local"}: a link cannot
    // carry it, so a link with such runs asks for one.
    const askForData = 'A run here trains on a reader\'s own CSV file, which no link or page carries: pick a CSV file under Problem to train it on yours.';
    this.localData = new LabData(this, {
      onChange: ({ rebuild }) => {
        // The request for a file is answered once one is in.
        if (this.localData.loaded) for (const note of this.noteList.querySelectorAll('.lr-note')) if (note.textContent === askForData) note.remove();
        this.changed({ form: rebuild });
      },
    });
    if (usesLocalData(this.list.configs())) this.notes.push(askForData);

    this.ui = new LabControls(this, {
      logLr: this.logLr,
      on: {
        dataPanel: () => this.localData.panel(),
        select: (i) => { if (this.list.select(i)) this.changed({ form: true }); },
        add: () => { if (this.list.add()) this.changed({ form: true }); },
        remove: (i) => { if (this.list.remove(i)) this.changed({ form: true }); },
        edit: ({ rebuild }) => this.changed({ form: rebuild }),
        toggleRange: () => {
          const open = this.range.toggle();
          this.ui.setRangeOpen(open);
          if (!open) this.computations.delete('rangeTest');
          this.compute();
        },
        logLr: (on) => {
          this.logLr = on;
          this.compute();  // nothing to recompute: redraws with the new axis
        },
      },
    });
    this.plots = new LabPlots(this);
    this.range = new LabRangeTest(this, {
      onChange: () => this.compute(),
      onOneCycle: (runIndex, suggested) => {
        const base = this.list.runs[runIndex] ?? this.list.run;
        if (this.list.add(oneCycleFrom(base.config, suggested))) this.changed({ form: true });
      },
    });
    this.code = new LabCode(this);
    this.timing = { computeMs: 0, drawMs: 0, runs: 0 };
    this.ui.renderChips(this.list);
    this.ui.renderForm(this.list);
    this.showNotes();
    this.compute = latestOnly(() => this.recompute());
    this.compute();
  }

  // A run was selected, added, removed or edited: redraw the chips (and the
  // form when asked), then recompute.
  changed({ form = false } = {}) {
    if (form) this.ui.renderForm(this.list);
    this.ui.renderChips(this.list);
    this.compute();
  }

  // --- computing --------------------------------------------------------------------------------
  // Runs every run whose engine config changed since its last result.
  async computeRuns() {
    let computed = 0;
    for (const run of this.list.runs) {
      if (this.disposed) break;
      if (run.formErrors.size) {
        run.error = [...run.formErrors.values()];
        run.result = null;
        run.key = '';
        continue;
      }
      const config = engineConfig(run.config);
      const key = JSON.stringify(config) + this.dataKey(config);
      if (key === run.key) continue;
      try {
        run.result = await this.engine.run(config);
        run.error = null;
      } catch (err) {
        if (!err?.issues) throw err;
        run.result = null;
        run.error = err.issues;
      }
      run.key = key;
      run.engineConfig = config;
      computed++;
    }
    return computed;
  }

  // What a result on the reader's data also depends on: the table's version
  // (a run on it re-runs when another table is registered).
  dataKey(config) {
    return onLocalData(config.problem) ? ` data ${this.localData.version}` : '';
  }

  async recompute() {
    if (this.disposed) return;
    const started = performance.now();
    let computed;
    try {
      computed = await this.computeRuns();
      if (this.range.open && !this.disposed) await this.range.compute(this.engine, this.list, this.dataKey(this.list.run.config));
    } catch (err) {
      this.fail(err);
      return;
    }
    if (this.disposed) return;
    const computedAt = performance.now();
    await this.redrawAll();
    const end = performance.now();
    if (computed) this.timing = { computeMs: computedAt - started, drawMs: end - computedAt, runs: computed };
    this.container.dataset.computeMs = this.timing.computeMs.toFixed(1);
    this.container.dataset.drawMs = this.timing.drawMs.toFixed(1);
    this.container.dataset.runsComputed = String(computed);
    this.drawn();
  }

  // --- drawing ----------------------------------------------------------------------------------
  async redrawAll() {
    const maxSteps = this.plots.draw(this.list, this.logLr);
    this.ui.renderChips(this.list);
    this.ui.renderErrors(this.list);
    const grid = await this.plots.drawContour(this.list, (message) => this.ui.addError(message));
    this.range.draw(this.list);
    // What is drawn is what is tracked: the runs, the grid, the open range test.
    for (const key of [...this.computations.keys()]) if (key.startsWith('run:') || key === 'rangeTest' || key === 'grid') this.computations.delete(key);
    this.list.runs.forEach((run, i) => { if (run.result) this.track(`run:${i}`, 'run', run.engineConfig, run.result); });
    if (grid) this.track('grid', 'grid', grid.config, grid.result);
    const test = this.range.shown();
    if (test) this.track('rangeTest', 'rangeTest', test.config, test.result);
    const status = runsStatus(this.list.runs, this.range.suggested);
    this.status.textContent = status.text;
    this.status.classList.toggle('lr-danger', status.danger);
    const { columns, rows } = runsTable(this.list.runs, maxSteps);
    this.data.update(columns, rows, this.list.runs.map((run, i) => `run ${i + 1}: ${describeRun(run.config, { problem: true })}`).join('; '));
    this.code.show(this.list);
  }

  redraw() {
    super.redraw();
    this.ui.renderChips(this.list);
  }

  // --- share and export (hooks of figures/share.js) ----------------------------------------------
  // The state a link carries: config = base64url of {"runs": […]}, unless
  // the runs are the defaults.
  shareState() {
    const runs = this.list.configs();
    return JSON.stringify(runs) === JSON.stringify(defaultRuns()) ? [] : [['config', toBase64Url(JSON.stringify({ runs }))]];
  }

  shareCaveat() {
    return usesLocalData(this.list.configs())
      ? 'This link does not carry your CSV file (it never leaves your machine): whoever opens it sees the runs\' settings and is asked for a file of their own.'
      : null;
  }

  pytorchRuns() {
    return this.list.runs.map((run, i) => ({ label: `run ${i + 1}, ${describeRun(run.config, { problem: true })}`, config: run.config, start: runStart(run.result), note: null }));
  }

  pngHeader() {
    return this.list.runs.map((run, i) => ({ text: `run ${i + 1}: ${describeRun(run.config, { problem: true })}`, color: seriesColor(this.container, run.slot)() }));
  }

  // The JSON export: every run's config and result, the range test when open.
  exportJson() {
    const runs = this.list.runs.map((run, i) => {
      const r = run.result;
      return {
        run: i + 1,
        config: run.config,
        error: run.error,
        result: r && plainData({
          steps: r.steps, diverged_at: r.divergedAt, loss: r.loss, lr: r.lr,
          val_steps: r.valSteps, val_loss: r.valLoss, problem: r.problem,
          ...(r.plateau ? { plateau: r.plateau } : {}),
          ...(r.dim <= 2 ? { params: r.params, dim: r.dim } : {}),
        }),
      };
    });
    const out = { figure: this.id, link: this.share.link(), runs };
    const test = this.range.shown();
    if (test) out.range_test = { config: test.config, result: plainData(test.result) };
    return out;
  }

}
