; Lawful highlights, with the capture names of Neovim (0.8+ and nvim-treesitter; 0.7 falls
; back from `keyword.directive` to `keyword`). Helix has its own copy with Helix's names in
; editors/helix/queries/lawful/highlights.scm. In Neovim the last matching pattern wins, so the
; general patterns come first and the particular ones after them.

(comment) @comment

(string) @string

(integer) @number

[
  (date)
  (datetime)
] @number

(duration
  unit: (unit) @type.builtin)

(kind) @keyword

(declaration
  name: (identifier) @type)

(statement
  key: (identifier) @property)

; References and vocabulary words (`country NL`, `data email, name`).
(phrase
  (identifier) @variable)

; `allow CODE "reason"`: the key is a directive, the first word the rule code.
((statement
  key: (identifier) @keyword.directive
  values: (values
    .
    (phrase
      .
      (identifier) @constant)))
  (#eq? @keyword.directive "allow"))

[
  "{"
  "}"
] @punctuation.bracket

[
  ","
  ";"
] @punctuation.delimiter
