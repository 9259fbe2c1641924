-- Tree-sitter highlighting for Lawful buffers, when the `lawful` parser is installed: by
-- nvim-treesitter (`:TSInstall lawful`) or by hand as `parser/lawful.so` in a directory of the
-- runtime path (see editors/nvim/README.md). The queries are this plugin's `queries/lawful/`.
-- Works on Neovim 0.7 and later: 0.9+ `vim.treesitter.language.add` and `vim.treesitter.start`,
-- 0.7–0.8 `require_language` and `vim.treesitter.highlighter.new`.
local M = {}

--- Whether Neovim can load the `lawful` parser.
function M.has_parser()
  local language = vim.treesitter.language
  if language.add then
    -- 0.11+ returns nil and a message when there is no parser; 0.9–0.10 throw.
    local ok, added, err = pcall(language.add, 'lawful')
    return ok and added ~= false and err == nil
  end
  return language.require_language('lawful', nil, true) == true
end

local function number(buf)
  return (buf == nil or buf == 0) and vim.api.nvim_get_current_buf() or buf
end

--- Whether tree-sitter highlights `buf` (0 or nil: the current buffer), by this plugin,
--- nvim-treesitter or the user.
function M.active(buf)
  return vim.treesitter.highlighter.active[number(buf)] ~= nil
end

--- Starts tree-sitter highlighting in `buf` when the parser is installed. It replaces the regex
--- syntax (`syntax/lawful.vim` then does nothing for the buffer). Returns whether it runs.
function M.start(buf)
  buf = number(buf)
  if M.active(buf) then
    return true
  end
  if not M.has_parser() then
    return false
  end
  local ok = pcall(function()
    if vim.treesitter.start then
      vim.treesitter.start(buf, 'lawful')
    else
      vim.treesitter.highlighter.new(vim.treesitter.get_parser(buf, 'lawful'))
    end
  end)
  return ok and M.active(buf)
end

return M
