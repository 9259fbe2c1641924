; Every `{ … }` folds: declarations and the nested blocks of statements.
(block) @fold
