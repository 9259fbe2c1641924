-- Lawful buffers: `#` comments, two-space indentation (the formatter's layout).
vim.bo.commentstring = '# %s'
vim.bo.comments = ':#'
vim.bo.shiftwidth = 2
vim.bo.softtabstop = 2
vim.bo.expandtab = true

-- Tree-sitter highlighting when the `lawful` parser is installed, else the regex syntax of
-- syntax/lawful.vim. `vim.g.lawful_treesitter = false` keeps the regex syntax.
if vim.g.lawful_treesitter ~= false then
  require('lawful.treesitter').start(vim.api.nvim_get_current_buf())
end
