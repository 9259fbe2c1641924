-- Neovim 0.11+: `vim.lsp.enable('lawful')` picks this up from the runtime path.
return {
  cmd = { 'lawful', 'lsp' },
  filetypes = { 'lawful' },
  root_markers = { 'lawful.toml' },
}
