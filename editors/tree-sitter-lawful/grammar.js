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

const ESCAPE = /\\(["\\nt]|u\{[0-9A-Fa-f]{1,6}\})/;

const UNITS = [
  'hours', 'hour', 'days', 'day', 'weeks', 'week', 'months', 'month', 'years', 'year',
];

module.exports = grammar({
  name: 'lawful',

  extras: $ => [/[ \t\uFEFF]/, $.comment],

  word: $ => $.identifier,

  rules: {
    source_file: $ => repeat(choice($.declaration, $._newline, ';')),

    // A word that is no kind (`processor mailco { … }`, `activty orders { … }`) still heads a
    // declaration, as `unknown_kind`: the compiler reports it (E001), and the tree keeps its
    // shape, so the statements inside are not read as declarations of their own (`country NL`
    // as a `country`) and the declarations after it are not lost to error recovery.
    declaration: $ => seq(
      field('kind', choice($.kind, alias($.identifier, $.unknown_kind))),
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

    // The compiler's escapes only (`\" \\ \n \t \u{…}`): any other is an error there, so here.
    string: _ => token(choice(
      // Up to two quotes at a time inside `"""…"""`, and not at its end (as the compiler reads it).
      seq('"""', repeat(seq(/"{0,2}/, choice(/[^"\\]/, ESCAPE))), '"""'),
      seq('"', repeat(choice(/[^"\\\r\n]/, ESCAPE)), '"'),
    )),

    comment: _ => token(seq('#', /[^\r\n]*/)),

    _newline: _ => /\r?\n|\r/,
  },
});
