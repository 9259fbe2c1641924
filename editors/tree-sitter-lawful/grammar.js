/**
 * Tree-sitter grammar for Lawful (`.lawful` policy files), for highlighting and structure in
 * Neovim and Helix. It follows the compiler's grammar (`grammar/lawful.pest`): declarations
 * `KIND NAME "title"? { … }`, statements `key values? block?` separated by newlines or `;`,
 * values as comma-separated phrases of words, strings, numbers, durations (`2 years`), dates
 * and date-times. The kinds and units are contextual keywords: `data` is a kind at the top
 * level and a key inside a block, `years` a unit only right after a number.
 * The compiler stays the judge of validity; this grammar only has to read valid files and
 * recover on the rest.
 */
const KINDS = [
  'controller', 'party', 'activity', 'data', 'subjects',
  'purpose', 'system', 'country', 'breach',
];

const UNITS = [
  'hours', 'hour', 'days', 'day', 'weeks', 'week', 'months', 'month', 'years', 'year',
];

module.exports = grammar({
  name: 'lawful',

  extras: $ => [/[ \t\uFEFF]/, $.comment],

  word: $ => $.identifier,

  rules: {
    source_file: $ => repeat(choice($.declaration, $._newline, ';')),

    declaration: $ => seq(
      field('kind', $.kind),
      field('name', $.identifier),
      optional(field('title', $.string)),
      repeat($._newline),
      field('body', $.block),
    ),

    kind: _ => choice(...KINDS),

    block: $ => seq(
      '{',
      repeat(choice($.statement, $._newline, ';')),
      '}',
    ),

    statement: $ => prec.right(seq(
      field('key', $.identifier),
      optional(field('values', $.values)),
      optional(field('body', $.block)),
    )),

    values: $ => prec.right(seq(
      $.phrase,
      repeat(seq(',', repeat($._newline), $.phrase)),
    )),

    phrase: $ => prec.right(repeat1($._value)),

    _value: $ => choice(
      $.string,
      $.datetime,
      $.date,
      $.duration,
      $.integer,
      $.identifier,
    ),

    duration: $ => seq(field('amount', $.integer), field('unit', $.unit)),

    unit: _ => choice(...UNITS),

    identifier: _ => /[A-Za-z_][A-Za-z0-9_-]*/,

    integer: _ => /[0-9][0-9_]*/,

    date: _ => /[0-9]{4}-[0-9]{2}-[0-9]{2}/,

    datetime: _ => /[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?/,

    string: _ => token(choice(
      seq('"""', /([^"\\]|\\.|"[^"]|""[^"])*/, '"""'),
      seq('"', /([^"\\\r\n]|\\.)*/, '"'),
    )),

    comment: _ => token(seq('#', /[^\r\n]*/)),

    _newline: _ => /\r?\n|\r/,
  },
});
