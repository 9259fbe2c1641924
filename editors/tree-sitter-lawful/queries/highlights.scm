; Lawful highlights, with the capture names of Neovim (0.8+ and nvim-treesitter; 0.7 maps
; `keyword.directive` to `keyword`). Helix has a copy with Helix's names in
; editors/helix/queries/lawful/highlights.scm. No two patterns capture the same token, so the
; result does not depend on which pattern an editor lets win.

(comment) @comment

(string) @string

[
  (integer)
  (date)
  (datetime)
] @number

(duration
  unit: (unit) @type.builtin)

(kind) @keyword

(declaration
  name: (identifier) @type)

((statement
  key: (identifier) @property)
  (#not-eq? @property "allow"))

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
