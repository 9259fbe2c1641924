-- Lawful for Neovim: starts `lawful lsp` for `lawful` buffers and shows the read-only
-- documents the server serves (`lawful-stdlib:///…` files and `lawful-rule:///CODE.md` pages).
--
--   require('lawful').setup()                        -- `lawful` on $PATH
--   require('lawful').setup({ cmd = { '/path/to/lawful', 'lsp' } })
--
-- Neovim 0.11+ uses `vim.lsp.config` / `vim.lsp.enable`; 0.8–0.10 `vim.lsp.start`; 0.7
-- `vim.lsp.start_client`.
local M = {}

local function root_of(path)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  local found = vim.fn.findfile('lawful.toml', dir .. ';')
  if found ~= '' then
    return vim.fn.fnamemodify(found, ':p:h')
  end
  return dir
end

local function lawful_clients()
  local found = {}
  for _, client in pairs(vim.lsp.get_active_clients()) do
    if client.name == 'lawful' then
      table.insert(found, client)
    end
  end
  return found
end

-- Read-only documents: their text comes from the server's `lawful/content` request.
local function read_content(args)
  local buf = args.buf
  local uri = args.match
  for _, client in ipairs(lawful_clients()) do
    local reply = client.request_sync('lawful/content', { uri = uri }, 5000, buf)
    if reply and reply.result then
      vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(reply.result.text, '\n', { plain = true }))
      vim.bo[buf].buftype = 'nofile'
      vim.bo[buf].modifiable = false
      vim.bo[buf].readonly = true
      vim.bo[buf].filetype = uri:match('%.md$') and 'markdown' or 'lawful'
      return
    end
  end
  vim.notify('lawful: no running server could show ' .. uri, vim.log.levels.WARN)
end

function M.setup(opts)
  opts = opts or {}
  local cmd = opts.cmd or { 'lawful', 'lsp' }
  local group = vim.api.nvim_create_augroup('lawful', { clear = true })
  vim.api.nvim_create_autocmd('BufReadCmd', {
    group = group,
    pattern = { 'lawful-stdlib://*', 'lawful-rule://*' },
    callback = read_content,
  })
  if vim.lsp.config and vim.lsp.enable then
    vim.lsp.config('lawful', { cmd = cmd, filetypes = { 'lawful' }, root_markers = { 'lawful.toml' } })
    vim.lsp.enable('lawful')
    return
  end
  local client_id
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'lawful',
    callback = function(args)
      local name = vim.api.nvim_buf_get_name(args.buf)
      if name:match('^lawful%-') then
        return
      end
      local config = { name = 'lawful', cmd = cmd, root_dir = root_of(name) }
      if vim.lsp.start then
        vim.lsp.start(config, { bufnr = args.buf })
      else
        client_id = client_id or vim.lsp.start_client(config)
        if client_id then
          vim.lsp.buf_attach_client(args.buf, client_id)
        end
      end
    end,
  })
end

return M
