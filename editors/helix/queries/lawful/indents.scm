; Helix indents the lines inside a `{ … }` and dedents its `}`.
(block) @indent

"}" @outdent
