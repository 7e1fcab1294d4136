// The layers hold: no import or include crosses the design's arrows
// (scripts/check-layers.mjs, README "How the layers fit").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectFiles, violations } from '../../scripts/check-layers.mjs';

test('no forbidden import or include in the project', () => {
  const files = projectFiles();
  assert.ok(files.filter((f) => f.file.startsWith('cpp/')).length > 50, 'the C++ sources are scanned');
  assert.ok(files.filter((f) => f.file.startsWith('web/src/')).length > 40, 'the web sources are scanned');
  assert.deepEqual(violations(files), []);
});

test('each forbidden arrow is caught', () => {
  const cases = [
    ['web/src/ui/runs.js', "import { getEngine } from '../engine/engine.js';", 'ui → engine'],
    ['web/src/ui/chart.js', "const m = await import('../figures/lab.js');", 'ui → figures'],
    ['web/src/export/pytorch.js', "import { PROBLEMS } from '../figures/lab/charts.js';", 'export → figures'],
    ['web/src/model/catalog.js', "import { element } from '../ui/dom.js';", 'model → ui'],
    ['web/src/engine/core.js', "export { SCHEMA } from '../model/schema.js';", 'engine → model'],
    ['web/src/ui/share-bar.js', "import { downloadText } from '../export/download.js';", 'ui → export'],
    ['cpp/include/lrlab/optimizers/sgd.hpp', '#include "lrlab/schedules/schedule.hpp"', 'optimizers → schedules'],
    ['cpp/include/lrlab/core/rng.hpp', '#include "lrlab/config/reader.hpp"', 'core → config'],
    ['cpp/src/config.cpp', '#include "../bindings/adapters.hpp"', 'config → bindings'],
    ['cpp/src/engine.cpp', '#include "../cli/main.cpp"', 'engine → cli'],
  ];
  for (const [file, line, arrow] of cases) {
    const found = violations([{ file, text: `${line}\n` }]);
    assert.equal(found.length, 1, `${file}: ${line}`);
    assert.ok(found[0].startsWith(`${arrow}:`), found[0]);
  }
  // And what the design allows passes.
  const allowed = [
    ['web/src/figures/lab.js', "import { getEngine } from '../engine/engine.js';\nimport { element } from '../ui/dom.js';"],
    ['web/src/ui/runs.js', "import { formatNumber } from '../model/format.js';"],
    ['web/src/export/pytorch.js', "import { kind } from '../model/schema.js';"],
    ['cpp/src/engine.cpp', '#include "lrlab/config/config.hpp"\n#include "lrlab/core/facts.hpp"'],
    ['cpp/bindings/bindings.cpp', '#include "adapters.hpp"'],
  ];
  for (const [file, text] of allowed) assert.deepEqual(violations([{ file, text }]), [], file);
});
