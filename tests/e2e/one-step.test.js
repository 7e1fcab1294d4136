// The one-step figure in real Chromium: it loads, draws, typesets its
// formula and responds to its controls, with no console errors or failed
// requests. Its layout at phone width in both themes: article.test.js.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mountFigure, shootFigure, startBrowser } from './browser.js';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

const figure = 'lrlab-figure[name="one-step"]';

// Reads the figure's state from its shadow root.
async function state(page) {
  return page.$eval(figure, (el) => {
    const c = el.shadowRoot.querySelector('.lr-figure');
    return {
      state: c.dataset.state,
      lr: c.dataset.lr,
      divergedAt: c.dataset.divergedAt,
      status: c.querySelector('.lr-status').textContent,
      // The formula is MathML, with its TeX source as an annotation.
      formula: c.querySelector('.lr-formula annotation')?.textContent ?? '',
      typeset: c.querySelectorAll('.lr-formula math mi, .lr-formula math mn').length > 10,
      katex: c.querySelectorAll('.katex').length,
      canvases: c.querySelectorAll('canvas').length,
      pixels: [...c.querySelectorAll('canvas')].map((cv) => cv.toDataURL().length),
    };
  });
}

async function setSlider(page, position) {
  await page.$eval(figure, (el, p) => {
    const input = el.shadowRoot.querySelector('input[type=range]');
    input.value = String(p);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, position);
}

test('one-step figure: loads, draws, and recomputes on every input', async () => {
  const { page, problems } = await mountFigure(browser, 'one-step');
  const first = await state(page);
  assert.equal(first.lr, '0.3');
  assert.equal(first.canvases, 2);
  assert.match(first.status, /loss goes from 2 to/);
  assert.equal(first.formula, "x_{1} = x_{0} - \\eta\\, f'(x_{0}) = 2 - 0.3 \\times 2 = 1.4");
  assert.equal(first.typeset, true);
  assert.equal(first.katex, 0);
  await shootFigure(page, figure, 'one-step-initial.png');

  // Step twice: the formula follows the iterate.
  const step = await page.evaluateHandle((sel) => document.querySelector(sel).shadowRoot.querySelector('button'), figure);
  await step.click();
  await step.click();
  assert.equal((await state(page)).formula, "x_{3} = x_{2} - \\eta\\, f'(x_{2}) = 0.98 - 0.3 \\times 0.98 = 0.686");

  // Drag the slider to a larger, still-stable η: a different curve.
  await setSlider(page, 750);
  await page.waitForFunction((sel) => document.querySelector(sel).shadowRoot.querySelector('.lr-figure').dataset.lr !== '0.3', figure);
  const moved = await state(page);
  assert.notEqual(moved.lr, first.lr);
  assert.notDeepEqual(moved.pixels, first.pixels, 'the charts were redrawn');
  assert.equal(moved.divergedAt, '');

  // Past 2/λ the run diverges and says so.
  await setSlider(page, 1000);  // η = 5
  await page.waitForFunction((sel) => document.querySelector(sel).shadowRoot.querySelector('.lr-figure').dataset.divergedAt !== '', figure);
  const diverged = await state(page);
  assert.equal(diverged.lr, '5');
  assert.match(diverged.status, /diverged at step \d+/);
  await shootFigure(page, figure, 'one-step-diverged.png');

  assert.deepEqual(problems, []);
});

test('a bad attribute falls back to the default and says so; an unknown figure says so', async () => {
  const { page, problems } = await mountFigure(browser, 'one-step', { lr: 'banana' });
  const note = await page.$eval(figure, (el) => el.shadowRoot.querySelector('.lr-note')?.textContent);
  assert.match(note, /lr="banana" is not a number in \[0\.01, 5\]; using 0\.3/);
  assert.equal((await state(page)).lr, '0.3');
  const unknown = await page.evaluate(async () => {
    const el = document.createElement('lrlab-figure');
    el.setAttribute('name', 'no-such-figure');
    document.querySelector('main').prepend(el);
    return el.shadowRoot.querySelector('.lr-error')?.textContent;
  });
  assert.match(unknown, /Unknown figure "no-such-figure"/);
  assert.deepEqual(problems, []);
});
