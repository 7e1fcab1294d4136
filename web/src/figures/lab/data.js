// The lab's "your data" panel: shown in the Problem section when the run's
// problem trains on {"data": "local"}. The reader picks or drops a CSV file;
// it is read, checked and prepared in this page (model/csv.js) and handed to
// the engine's own Workers (engine.setLocalData); nothing is uploaded. The
// panel keeps the file's text, so the label column and the split's seed can
// be changed without picking the file again. Every change that registers a
// new table bumps `version`, and the lab re-runs the runs on local data.
import { button, element } from '../../ui/dom.js';
import { downloadText } from '../../export/download.js';
import { CsvError, MAX_BYTES, describeTable, encodeTable, parseCsv, prepareTable, tableCsv } from '../../model/csv.js';

export class LabData {
  // onChange(): a new table is registered (or the last one was refused).
  constructor(figure, { onChange }) {
    this.figure = figure;
    this.onChange = onChange;
    this.version = 0;       // tables registered so far
    this.fileName = null;
    this.parsed = null;     // parseCsv's result for the current file
    this.label = null;      // index of the label column
    this.seed = 0;
    this.table = null;      // the table registered now, or null
    this.tableName = null;  // the file it came from
    this.message = null;    // {text, error}
  }

  get loaded() {
    return this.table !== null;
  }

  // The panel, built afresh with each form (its state lives here).
  panel() {
    const root = element('div', 'lab-data');
    root.setAttribute('role', 'group');
    root.setAttribute('aria-label', 'your data');
    const pick = element('label', 'lab-field lab-data-pick');
    const input = element('input');
    input.type = 'file';
    input.name = 'data.file';
    input.accept = '.csv,.tsv,.txt,text/csv,text/plain';
    input.addEventListener('change', () => { if (input.files?.[0]) this.readFile(input.files[0]); });
    pick.append(element('span', 'lab-field-label', this.loaded ? 'another CSV file' : 'CSV file'), input);
    const hint = element('p', 'lr-hint lab-hint',
      'Numeric feature columns and a label column (the last, unless you pick another), one row per example; a header row is optional. ' +
      'Drop a file here or pick one: it is read in this page and never leaves your machine.');
    this.status = element('p', 'lab-data-status');
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    root.append(pick, this.status);
    this.renderMessage();

    if (this.parsed) {
      const labelSelect = element('select');
      labelSelect.name = 'data.label';
      this.parsed.columns.forEach((name, j) => {
        const o = element('option', '', name);
        o.value = String(j);
        labelSelect.append(o);
      });
      labelSelect.value = String(this.label);
      labelSelect.addEventListener('change', () => this.prepare({ label: Number(labelSelect.value) }));
      const seedInput = element('input');
      seedInput.type = 'number';
      seedInput.name = 'data.seed';
      seedInput.min = '0';
      seedInput.max = '4294967295';
      seedInput.step = '1';
      seedInput.value = String(this.seed);
      seedInput.addEventListener('input', () => {
        if (seedInput.value.trim() === '' || seedInput.validity.badInput) return;  // still being typed
        const v = Number(seedInput.value);
        if (Number.isInteger(v) && v >= 0 && v <= 0xFFFFFFFF) this.prepare({ seed: v });
        else this.show('The split seed must be a whole number from 0 to 4294967295.', true);
      });
      const row = element('div', 'lab-data-options');
      const labelField = element('label', 'lab-field');
      labelField.append(element('span', 'lab-field-label', 'label column'), labelSelect);
      const seedField = element('label', 'lab-field');
      seedField.append(element('span', 'lab-field-label', 'split seed'), seedInput);
      row.append(labelField, seedField);
      root.append(row);
    }
    if (this.loaded) {
      // For the PyTorch export, which reads it as lrlab-data.csv.
      root.append(button('Download the prepared table (CSV)', () => downloadText('lrlab-data.csv', tableCsv(this.table), 'text/csv'), 'lab-data-download'));
    }
    root.append(hint);

    // Drop a file anywhere on the panel.
    root.addEventListener('dragover', (event) => {
      event.preventDefault();
      root.classList.add('lab-data-over');
    });
    root.addEventListener('dragleave', () => root.classList.remove('lab-data-over'));
    root.addEventListener('drop', (event) => {
      event.preventDefault();
      root.classList.remove('lab-data-over');
      const file = event.dataTransfer?.files?.[0];
      if (file) this.readFile(file);
    });
    return root;
  }

  show(text, error = false) {
    this.message = { text, error };
    this.renderMessage();
  }

  renderMessage() {
    if (!this.status) return;
    const m = this.message ?? { text: this.loaded ? describeTable(this.table, this.tableName) : 'No file yet: the runs on your data wait for one.', error: false };
    this.status.textContent = m.text;
    this.status.classList.toggle('lr-error', m.error);
  }

  async readFile(file) {
    if (file.size > MAX_BYTES) {
      this.show(`${file.name} is ${(file.size / 1048576).toFixed(1)} MB; the lab reads files up to ${MAX_BYTES / 1048576} MB.`, true);
      return;
    }
    let text;
    try {
      text = await file.text();
    } catch {
      this.show(`${file.name} could not be read.`, true);
      return;
    }
    try {
      this.parsed = parseCsv(text);
    } catch (err) {
      this.refuse(file.name, err);
      return;
    }
    this.fileName = file.name;
    this.label = this.parsed.columns.length - 1;
    await this.prepare({ rebuild: true });
  }

  // Prepares and registers the table for the current file, label and seed.
  async prepare({ label = this.label, seed = this.seed, rebuild = false } = {}) {
    if (!this.parsed) return;
    this.label = label;
    this.seed = seed;
    let table;
    try {
      table = prepareTable(this.parsed, { label, seed });
    } catch (err) {
      this.refuse(this.fileName, err, rebuild);
      return;
    }
    this.show(`Reading ${this.fileName}…`);
    try {
      await this.figure.engine.setLocalData(encodeTable(table));
    } catch (err) {
      this.refuse(this.fileName, err, rebuild);
      return;
    }
    this.table = table;
    this.tableName = this.fileName;
    this.version++;
    this.message = null;
    this.renderMessage();
    this.onChange({ rebuild });
  }

  // A file the lab cannot use: its reason, and the last good table stays.
  refuse(name, err, rebuild = false) {
    const why = err instanceof CsvError || err instanceof Error ? err.message : String(err);
    const kept = this.loaded ? ` The runs keep the last table that worked (${this.tableName}, label "${this.table.labelName}").` : '';
    this.show(`${name} cannot be used: ${why}${/[.!?]$/.test(why) ? '' : '.'}${kept}`, true);
    if (rebuild) this.onChange({ rebuild, refused: true });
  }
}
