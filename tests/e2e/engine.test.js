// The engine as the page uses it (on embed.html, without a figure): the WASM
// module in a module Worker, data sets fetched on first use, config errors
// rejected with every message.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, startBrowser } from './browser.js';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

test('the Worker engine runs a digits MLP (loading the data set) and a sweep', async () => {
  const { page, problems } = await openPage(browser, '/embed.html');
  const out = await page.evaluate(async () => {
    const { getEngine } = await import('/src/engine/engine.js');
    const engine = getEngine();
    const mlp = await engine.run({
      problem: { name: 'mlp', hidden: 16 }, optimizer: { name: 'adam', lr: 0.01 },
      steps: 60, batch_size: 32, eval_every: 20, seed: 1,
    });
    const sweep = await engine.sweep({
      problem: { name: 'rosenbrock' }, optimizer: { name: 'sgd' }, steps: 100,
      sweep: { lr_min: 1e-5, lr_max: 0.1, num: 20 },
    });
    return {
      loss: mlp.loss.length,
      isTyped: mlp.loss instanceof Float64Array,
      firstVal: mlp.valLoss[0],
      lastVal: mlp.valLoss[mlp.valLoss.length - 1],
      valSteps: Array.from(mlp.valSteps),
      sweepLr: sweep.lr.length,
      diverged: sweep.diverged_at.filter((d) => d !== null).length,
    };
  });
  assert.equal(out.loss, 61);
  assert.ok(out.isTyped);
  assert.deepEqual(out.valSteps, [0, 20, 40, 60]);
  assert.ok(out.lastVal < out.firstVal * 0.7, `validation loss fell: ${out.firstVal} → ${out.lastVal}`);
  assert.equal(out.sweepLr, 20);
  assert.ok(out.diverged > 0 && out.diverged < 20, 'the largest η values diverge on Rosenbrock, the smallest do not');
  assert.deepEqual(problems, []);
});

test('an invalid config rejects through the Worker with every message', async () => {
  const { page, problems } = await openPage(browser, '/embed.html');
  const err = await page.evaluate(async () => {
    const { getEngine } = await import('/src/engine/engine.js');
    try {
      await getEngine().run({ optimizer: { name: 'adam', betas: [0.9, 1.5] }, steps: -1 });
      return null;
    } catch (e) {
      return { name: e.name, messages: e.messages };
    }
  });
  assert.deepEqual(err, {
    name: 'ConfigError',
    messages: ['optimizer.betas[1]: must be in [0, 1), got 1.5', 'steps: must be an integer in [0, 1000000], got -1'],
  });
  assert.deepEqual(problems, []);
});
