// The lab's controls: the row of run chips (pick, remove, add a copy), the
// form of the selected run (form.js), the engine's messages for every run
// next to it, and the range-test and log-axis switches. Plain DOM over the
// run list (model/lab-runs.js); what a change means is the lab's business
// (the callbacks).
import { seriesColor } from '../../ui/chart.js';
import { button, element } from '../../ui/dom.js';
import { MAX_RUNS, describeRun, issueText } from '../../model/lab-runs.js';
import { buildForm, markInvalid } from './form.js';

export class LabControls {
  // on: {select(i), remove(i), add(), edit({rebuild}), toggleRange(), logLr(on),
  //      dataPanel() → the "your data" panel element}
  constructor(figure, { logLr, on }) {
    this.figure = figure;
    this.on = on;
    this.chips = element('ul', 'lab-runs');
    this.chips.setAttribute('aria-label', 'runs');
    this.addButton = button('+ Add run', () => on.add(), 'lab-add');
    const runsBar = element('div', 'lab-runbar');
    runsBar.append(element('span', 'lab-runs-label', 'Runs'), this.chips, this.addButton);
    this.editing = element('p', 'lab-editing');
    this.formBox = element('div', 'lab-formbox');
    this.errors = element('div', 'lab-errors');
    this.errors.setAttribute('role', 'status');
    this.errors.setAttribute('aria-live', 'polite');
    const actions = element('div', 'lab-actions');
    this.rangeButton = button('LR range test', () => on.toggleRange(), 'lab-range-button');
    this.rangeButton.setAttribute('aria-expanded', 'false');
    const logLabel = element('label', 'checkbox');
    const logInput = element('input');
    logInput.type = 'checkbox';
    logInput.name = 'lab.logLr';
    logInput.checked = logLr;
    logInput.addEventListener('change', () => on.logLr(logInput.checked));
    logLabel.append(logInput, element('span', '', 'log η axis'));
    actions.append(this.rangeButton, logLabel);
    figure.controls.classList.add('lab-controls');
    figure.controls.append(runsBar, this.editing, this.formBox, this.errors, actions);
    figure.tag('runs', runsBar);
    figure.tag('form', this.editing, this.formBox, this.errors);
    figure.tag('range', actions);
  }

  swatch(slot) {
    const sw = element('span', 'lr-swatch lab-swatch');
    sw.style.color = seriesColor(this.figure.container, slot)();
    return sw;
  }

  renderChips(list) {
    this.chips.replaceChildren();
    list.runs.forEach((run, i) => {
      const li = element('li', 'lab-chip');
      li.classList.toggle('lab-chip-selected', i === list.selected);
      const pick = element('button', 'lab-chip-pick');
      pick.type = 'button';
      pick.dataset.run = String(i);
      pick.setAttribute('aria-pressed', String(i === list.selected));
      const diverged = run.result?.divergedAt;
      pick.append(this.swatch(run.slot), `${i + 1} · ${describeRun(run.config)}`);
      if (run.error) pick.append(element('span', 'lr-danger lab-chip-flag', ' ⚠ config error'));
      else if (diverged !== null && diverged !== undefined) pick.append(element('span', 'lr-danger lab-chip-flag', ` ✕ diverged at step ${diverged}`));
      pick.title = `Edit run ${i + 1}`;
      pick.addEventListener('click', () => this.on.select(i));
      li.append(pick);
      if (list.runs.length > 1) {
        const remove = button('✕', () => this.on.remove(i), 'lab-chip-remove');
        remove.setAttribute('aria-label', `remove run ${i + 1}`);
        remove.dataset.remove = String(i);
        li.append(remove);
      }
      this.chips.append(li);
    });
    this.addButton.disabled = list.full;
    this.addButton.title = list.full ? `At most ${MAX_RUNS} runs: remove one first` : 'Add a copy of the selected run';
  }

  // The form of the selected run; edits go to the run in place.
  renderForm(list) {
    const run = list.run;
    this.editing.replaceChildren(this.swatch(run.slot), ' Editing ', element('strong', '', `run ${list.selected + 1}`), ' — changes apply to this run only.');
    this.form = buildForm(run.config, {
      formErrors: run.formErrors, raw: run.raw, onEdit: (change) => this.on.edit(change ?? {}), dataPanel: this.on.dataPanel,
    });
    this.formBox.replaceChildren(this.form);
    this.renderErrors(list);
  }

  // Every run's issues, and the selected run's controls marked where they point.
  renderErrors(list) {
    const lines = [];
    list.runs.forEach((run, i) => {
      if (run.error) for (const issue of run.error) lines.push(`run ${i + 1}: ${issueText(issue)}`);
    });
    this.errors.replaceChildren();
    if (lines.length) {
      this.errors.append(element('p', 'lab-errors-title', 'The engine cannot run this config yet:'));
      const ul = element('ul');
      for (const line of lines) ul.append(element('li', '', line));
      this.errors.append(ul);
    }
    this.errors.hidden = lines.length === 0;
    if (this.form) markInvalid(this.form, list.run.error ?? []);
  }

  // Shown inside the errors box (a contour the engine could not draw).
  addError(text) {
    this.errors.hidden = false;
    this.errors.append(element('p', 'lr-error', text));
  }

  setRangeOpen(open) {
    this.rangeButton.setAttribute('aria-expanded', String(open));
    this.rangeButton.textContent = open ? 'Hide the LR range test' : 'LR range test';
  }
}
