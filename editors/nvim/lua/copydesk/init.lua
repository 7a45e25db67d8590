-- Copydesk for Neovim: `setup{}` options and the :Copydesk* commands over the LSP client.
local M = {}

---@class copydesk.Options
---@field cmd? string[]          server command; default { 'copydesk', 'serve' }
---@field filetypes? string[]    default { 'text', 'markdown' }
---@field settings? table        server settings (the keys of .copydesk.toml), sent as `copydesk`
---@field enable? boolean        call vim.lsp.enable('copydesk'); default true
---@field open_quickfix? boolean open the quickfix window after :CopydeskSources; default true

---@type copydesk.Options
M.options = { enable = true, open_quickfix = true }

local SERVER = 'copydesk'

--- The running Copydesk client attached to `bufnr`, if any.
---@param bufnr integer
---@return vim.lsp.Client?
function M.client(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr, name = SERVER })[1]
end

--- Converts an LSP position to a 1-based line and a 1-based byte column in `bufnr`.
local function to_buffer_position(bufnr, position, encoding)
  local line = vim.api.nvim_buf_get_lines(bufnr, position.line, position.line + 1, false)[1] or ''
  local ok, col = pcall(vim.str_byteindex, line, encoding, position.character, false)
  return position.line + 1, (ok and col or #line) + 1
end

--- The direct children of the top-level symbol group called `name` ("Sources", "People", …),
--- wherever the server nests it in the outline.
local function find_group(symbols, name)
  for _, symbol in ipairs(symbols or {}) do
    if symbol.name == name then
      return symbol
    end
    local nested = find_group(symbol.children, name)
    if nested then
      return nested
    end
  end
end

--- Quickfix items for every child of the group `name` and, one level down, their children
--- (a speaker and then each of their quotations).
---@return table[] items
function M.group_items(bufnr, symbols, name, encoding)
  local group = find_group(symbols, name)
  local items = {}
  if not group then
    return items
  end
  local file = vim.api.nvim_buf_get_name(bufnr)
  local function add(symbol, text)
    local range = symbol.selectionRange or symbol.range
    local lnum, col = to_buffer_position(bufnr, range.start, encoding)
    local end_lnum, end_col = to_buffer_position(bufnr, range['end'], encoding)
    items[#items + 1] = {
      bufnr = bufnr,
      filename = file,
      lnum = lnum,
      col = col,
      end_lnum = end_lnum,
      end_col = end_col,
      text = text,
      type = 'I',
    }
  end
  for _, member in ipairs(group.children or {}) do
    add(member, member.name)
    for _, child in ipairs(member.children or {}) do
      add(child, member.name .. ': ' .. child.name)
    end
  end
  return items
end

--- Asks the server for the outline of `bufnr` and fills the quickfix list with group `name`.
--- Calls `done(items, err)` when finished (tests wait on it).
function M.fill_quickfix(name, bufnr, done)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  done = done or function() end
  local client = M.client(bufnr)
  if not client then
    local message = 'Copydesk: no Copydesk server is attached to this buffer'
    vim.notify(message, vim.log.levels.WARN)
    return done(nil, message)
  end
  local params = { textDocument = vim.lsp.util.make_text_document_params(bufnr) }
  client:request('textDocument/documentSymbol', params, function(err, result)
    if err then
      vim.notify('Copydesk: ' .. err.message, vim.log.levels.ERROR)
      return done(nil, err.message)
    end
    local items = M.group_items(bufnr, result, name, client.offset_encoding)
    vim.fn.setqflist({}, ' ', { title = 'Copydesk ' .. name:lower(), items = items })
    if #items == 0 then
      vim.notify('Copydesk: the article has no ' .. name:lower(), vim.log.levels.INFO)
    elseif M.options.open_quickfix then
      vim.cmd.copen()
    end
    done(items, nil)
  end, bufnr)
end

local function restart()
  for _, client in ipairs(vim.lsp.get_clients({ name = SERVER })) do
    client:stop(true)
  end
  -- Re-enabling starts a fresh client for every open buffer of a matching filetype.
  vim.defer_fn(function()
    vim.lsp.enable(SERVER, false)
    vim.lsp.enable(SERVER)
  end, 100)
end

local function create_commands()
  local groups = { Sources = 'Sources', People = 'People', Organizations = 'Organizations', Places = 'Places' }
  for command, group in pairs(groups) do
    vim.api.nvim_create_user_command('Copydesk' .. command, function()
      M.fill_quickfix(group, 0)
    end, { desc = 'Copydesk: list the article’s ' .. group:lower() .. ' in the quickfix list' })
  end
  vim.api.nvim_create_user_command('CopydeskRestart', restart, { desc = 'Copydesk: restart the language server' })
  vim.api.nvim_create_user_command('CopydeskLog', function()
    vim.cmd.split(vim.fn.fnameescape(vim.lsp.log.get_filename()))
  end, { desc = 'Copydesk: open the LSP log' })
end

--- Configures and (by default) enables the Copydesk server; creates the :Copydesk* commands.
---@param opts? copydesk.Options
function M.setup(opts)
  M.options = vim.tbl_deep_extend('force', M.options, opts or {})
  local config = {}
  if M.options.cmd then
    config.cmd = M.options.cmd
  end
  if M.options.filetypes then
    config.filetypes = M.options.filetypes
  end
  if M.options.settings then
    config.settings = { copydesk = M.options.settings }
    config.init_options = M.options.settings
  end
  vim.lsp.config(SERVER, config)
  create_commands()
  if M.options.enable then
    vim.lsp.enable(SERVER)
  end
end

return M
