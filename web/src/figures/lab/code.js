// The PyTorch code of the lab's selected run, readable in place with a copy
// button (every run's script is also in "Share and export").
import { copyText } from '../../ui/clipboard.js';
import { button, element } from '../../ui/dom.js';
import { pytorchCode } from '../../export/pytorch.js';
import { runStart } from '../../export/figure-export.js';

export class LabCode {
  constructor(figure) {
    const box = element('section', 'lab-export');
    box.setAttribute('aria-label', 'PyTorch code');
    this.note = element('span', 'lr-hint lab-export-note');
    this.note.setAttribute('aria-live', 'polite');
    this.details = element('details', 'lab-code');
    this.summary = element('summary', '', 'PyTorch code for the selected run');
    this.pre = element('pre', 'lab-pre');
    this.pre.tabIndex = 0;
    const copy = button('Copy code', () => this.copy(), 'lab-copy-code');
    this.details.append(this.summary, copy, this.note, this.pre);
    this.details.addEventListener('toggle', () => { if (this.details.open) this.render(); });
    box.append(this.details);
    figure.tag('code', box);
    figure.status.after(box);
    this.list = null;
  }

  // Shows the selected run of `list` (now, or when the panel opens).
  show(list) {
    this.list = list;
    if (this.details.open) this.render();
  }

  render() {
    if (!this.list) return;
    const { run, selected } = this.list;
    this.summary.textContent = `PyTorch code for run ${selected + 1}`;
    this.pre.textContent = pytorchCode(run.config, { start: runStart(run.result) });
  }

  async copy() {
    this.render();
    const copied = await copyText(this.pre.textContent, this.pre);
    this.note.textContent = copied ? 'Code copied.' : 'Code selected: press Ctrl+C (⌘C) to copy.';
  }
}
