// The README's reference against the core's schema: every problem,
// optimizer and schedule has its block, each block's option table lists
// exactly the options the core reads, with the core's default, and every
// range the table states in its "meaning" column is the core's range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SCHEMA, fieldsOf, kindsOf } from '../../web/src/model/schema.js';
import { ROOT } from '../util/core.js';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

// The lines of a `### title…` section, up to the next `##`/`###` heading.
function section(title) {
  const lines = README.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`### ${title}`));
  assert.ok(start >= 0, `README has no "### ${title}" section`);
  const end = lines.findIndex((l, i) => i > start && /^#{2,3} /.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

// {name: [{keys, meaning, default}]} for every "#### `name`" block, or one
// table for a section without blocks.
function tables(lines) {
  const out = {};
  let current = null;
  for (const line of lines) {
    const heading = /^#### `([^`]+)`/.exec(line);
    if (heading) {
      current = heading[1];
      out[current] = [];
      continue;
    }
    if (!line.startsWith('| `')) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const keys = [...cells[0].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    (out[current ?? ''] ??= []).push({ keys, meaning: cells[1], default: cells[2] });
  }
  return out;
}

// Powers of ten as the README writes them (10⁴).
const SUPERSCRIPTS = { '⁰': 0, '¹': 1, '²': 2, '³': 3, '⁴': 4, '⁵': 5, '⁶': 6, '⁷': 7, '⁸': 8, '⁹': 9 };
const powers = (t) => t.replace(/10([⁰¹²³⁴⁵⁶⁷⁸⁹]+)/g, (_, e) => String(10 ** Number([...e].map((c) => SUPERSCRIPTS[c]).join(''))));

// A README default cell as a value: '—' is none; JSON-ish literals parse.
function cellValue(text) {
  const t = powers(text.replaceAll('`', '').trim());
  if (t === '—') return undefined;
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^-?[\d.]+(e-?\d+)?$/.test(t)) return Number(t);
  const fraction = /^(\d+)\/(\d+)$/.exec(t);
  if (fraction) return Number(fraction[1]) / Number(fraction[2]);
  if (/^\[.*\]$/.test(t)) {
    try {
      return JSON.parse(t);
    } catch {
      return t;
    }
  }
  return t.replace(/^"(.*)"$/, '$1');
}

// Ranges written in a meaning cell: [a, b], (a, b], "≥ a", "> a".
function statedRanges(meaning) {
  const out = [];
  const num = (s) => (s === '∞' ? null : Number(s));
  for (const m of powers(meaning).matchAll(/([[(])\s*(-?[\d.e]+)\s*,\s*(-?[\d.e]+|∞)\s*([\])])/g)) {
    out.push({ min: num(m[2]), max: num(m[3]), min_open: m[1] === '(', max_open: m[4] === ')' || m[3] === '∞' });
  }
  for (const m of powers(meaning).matchAll(/(≥|>)\s*(-?[\d.]+)(?![\d.]*\s*[,)\]])/g)) {
    out.push({ min: Number(m[2]), min_open: m[1] === '>', lowerOnly: true });
  }
  return out;
}

function checkTable(where, rows, fields, { extraKeys = [] } = {}) {
  const documented = rows.flatMap((r) => r.keys);
  const schemaKeys = fields.map((f) => f.key);
  assert.deepEqual([...documented].sort(), [...schemaKeys, ...extraKeys].sort(), `${where}: the table's options are the core's`);
  for (const row of rows) {
    if (row.keys.length !== 1) continue;
    const field = fields.find((f) => f.key === row.keys[0]);
    if (!field) continue;
    const at = `${where}.${field.key}`;
    const value = cellValue(row.default);
    if (field.default !== null) {
      assert.deepEqual(value, field.default, `${at}: README default ${row.default}, the core's ${JSON.stringify(field.default)}`);
    } else if (field.required) {
      assert.equal(value, undefined, `${at}: required, so no default (—)`);
    }
    const range = field.range ?? field.items?.range;
    const stated = statedRanges(row.meaning);
    if (range && stated.length === 1) {
      // "≥ a" states the lower end only (the core caps counts far above any run).
      const { lowerOnly, ...said } = stated[0];
      const core = lowerOnly ? { min: range.min, min_open: range.min_open } : range;
      assert.deepEqual(said, core, `${at}: README says "${row.meaning}", the core ${JSON.stringify(range)}`);
    }
  }
}

test('every problem, optimizer and schedule is documented with exactly the core\'s options and defaults', () => {
  const blocks = [['Problems', 'problems'], ['Optimizers', 'optimizers'], ['Schedules', 'schedules']];
  let rows = 0;
  for (const [title, kind] of blocks) {
    const found = tables(section(title));
    const names = Object.keys(found).filter((n) => n !== '' && n !== 'Data');
    assert.deepEqual(names, kindsOf(kind), `README "${title}": a block per name, in the core's order`);
    for (const name of names) {
      // The none schedule's table documents its name only.
      checkTable(`${kind}.${name}`, found[name], fieldsOf(kind, name), { extraKeys: kind === 'schedules' && name === 'none' ? ['name'] : [] });
      rows += found[name].length;
    }
  }
  assert.ok(rows > 80, `${rows} rows`);
});

test('the plateau controller, the sharpness record and the range test are documented as the core reads them', () => {
  checkTable('plateau', tables(section('Reduce on plateau'))[''], fieldsOf('plateau'));
  checkTable('sharpness', tables(section('Sharpness'))[''], fieldsOf('sharpness'));
  const range = tables(section('LR range test'))[''];
  assert.deepEqual(range.flatMap((r) => r.keys).sort(), fieldsOf('range_test').map((f) => f.key).sort());
  assert.equal(SCHEMA.plateau.torch, 'ReduceLROnPlateau');
});
