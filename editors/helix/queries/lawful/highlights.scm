; Lawful highlights for Helix: editors/tree-sitter-lawful/queries/highlights.scm with Helix's
; scope names (`constant.numeric`, `variable.other.member`). Copy to
; ~/.config/helix/runtime/queries/lawful/highlights.scm. No two patterns capture the same token.

(comment) @comment

(string) @string

[
  (integer)
  (date)
  (datetime)
] @constant.numeric

(duration
  unit: (unit) @type.builtin)

(kind) @keyword

(declaration
  name: (identifier) @type)

((statement
  key: (identifier) @variable.other.member)
  (#not-eq? @variable.other.member "allow"))

; References and vocabulary words (`country NL`, `data email, name`).
((statement
  key: (identifier) @_key
  values: (values
    (phrase
      (identifier) @variable)))
  (#not-eq? @_key "allow"))

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
