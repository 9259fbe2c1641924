#!/usr/bin/env node
// Prints the grammar.json that `tree-sitter generate` would write for grammar.js, without the
// tree-sitter CLI: the grammar DSL (the subset this grammar uses) as plain functions building
// the same JSON. tests/tree_sitter.rs compares its output with the committed src/grammar.json,
// so an edit of grammar.js without `tree-sitter generate` fails `cargo test`.
//
//   node test/grammar-json.js [grammar.js]
//
// A DSL function this file does not define makes grammar.js throw here: add it, matching what
// the CLI writes (the test compares with the CLI's own output).
'use strict';

const path = require('path');

function normalize(value) {
  if (typeof value === 'string') return { type: 'STRING', value };
  if (value instanceof RegExp) {
    return value.flags
      ? { type: 'PATTERN', value: value.source, flags: value.flags }
      : { type: 'PATTERN', value: value.source };
  }
  if (value && typeof value.type === 'string') return value;
  throw new TypeError(`not a grammar rule: ${JSON.stringify(value)}`);
}

const blank = () => ({ type: 'BLANK' });
const seq = (...members) => ({ type: 'SEQ', members: members.map(normalize) });
const choice = (...members) => ({ type: 'CHOICE', members: members.map(normalize) });
const optional = (value) => choice(value, blank());
const repeat = (value) => ({ type: 'REPEAT', content: normalize(value) });
const repeat1 = (value) => ({ type: 'REPEAT1', content: normalize(value) });
const field = (name, value) => ({ type: 'FIELD', name, content: normalize(value) });
const token = (value) => ({ type: 'TOKEN', content: normalize(value) });
token.immediate = (value) => ({ type: 'IMMEDIATE_TOKEN', content: normalize(value) });

function alias(value, to) {
  const content = normalize(value);
  if (typeof to === 'string') return { type: 'ALIAS', content, named: false, value: to };
  if (to && to.type === 'SYMBOL') return { type: 'ALIAS', content, named: true, value: to.name };
  throw new TypeError(`alias to ${JSON.stringify(to)}`);
}

function precedence(type) {
  return (number, value) => {
    if (value === undefined) return { type, value: 0, content: normalize(number) };
    return { type, value: number, content: normalize(value) };
  };
}
const prec = (number, value) => ({ type: 'PREC', value: number, content: normalize(value) });
prec.left = precedence('PREC_LEFT');
prec.right = precedence('PREC_RIGHT');
prec.dynamic = (number, value) => ({ type: 'PREC_DYNAMIC', value: number, content: normalize(value) });

// `$.name` is a reference to the rule `name`.
const symbols = new Proxy({}, { get: (_, name) => ({ type: 'SYMBOL', name }) });

function grammar(options) {
  const rules = {};
  for (const [name, rule] of Object.entries(options.rules)) {
    rules[name] = normalize(rule(symbols));
  }
  const list = (key) => (options[key] ? options[key](symbols) : []);
  const names = (key) => list(key).map((rule) => rule.name);
  return {
    $schema: 'https://tree-sitter.github.io/tree-sitter/assets/schemas/grammar.schema.json',
    name: options.name,
    word: options.word ? options.word(symbols).name : undefined,
    rules,
    extras: options.extras ? options.extras(symbols).map(normalize) : [
      { type: 'PATTERN', value: '\\s' },
    ],
    conflicts: list('conflicts').map((set) => set.map((rule) => rule.name)),
    precedences: list('precedences').map((level) => level.map(normalize)),
    externals: list('externals').map(normalize),
    inline: names('inline'),
    supertypes: names('supertypes'),
    reserved: {},
  };
}

Object.assign(globalThis, {
  grammar, seq, choice, optional, repeat, repeat1, field, token, alias, prec, blank,
});

const file = path.resolve(process.argv[2] || path.join(__dirname, '..', 'grammar.js'));
process.stdout.write(JSON.stringify(require(file), null, 2) + '\n');
