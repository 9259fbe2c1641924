; Lawful highlights (Neovim nvim-treesitter and Helix capture names).

(comment) @comment
(string) @string
(integer) @number
(date) @number
(datetime) @number

(kind) @keyword

(declaration
  name: (identifier) @type)

(statement
  key: (identifier) @property)

; `allow CODE "reason"`: the rule code.
((statement
  key: (identifier) @keyword.directive
  values: (values (phrase . (identifier) @constant)))
  (#eq? @keyword.directive "allow"))

; References and vocabulary words.
(phrase (identifier) @variable)

["{" "}"] @punctuation.bracket
["," ";"] @punctuation.delimiter
