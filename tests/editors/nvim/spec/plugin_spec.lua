-- The plugin's own logic without a server: outline groups to quickfix items, in every encoding.
return function(T)
  local copydesk = require('copydesk')
  local bufnr = vim.api.nvim_create_buf(true, false)
  vim.api.nvim_buf_set_name(bufnr, T.workdir .. '/encoding.txt')
  -- Curly quotes are 3 bytes and 1 utf-16 unit; 👍 is 4 bytes, 2 utf-16 units, 1 utf-32 unit.
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, { 'Headline', '👍 “Quote one,” said Ana Ruiz.' })
  local line = vim.api.nvim_buf_get_lines(bufnr, 1, 2, false)[1]
  local quote_byte = line:find('“', 1, true) - 1 -- 0-based byte column of the opening mark
  local name_byte = line:find('Ana Ruiz', 1, true) - 1

  --- The outline a server would send, with columns counted in `encoding`.
  local function outline(encoding)
    local function col(byte)
      return vim.str_utfindex(line, encoding, byte)
    end
    local function range(from, to)
      return { start = { line = 1, character = col(from) }, ['end'] = { line = 1, character = col(to) } }
    end
    local quote_end = line:find('”', 1, true) + 2
    return {
      { name = 'Headline', kind = 1, range = range(0, 0), selectionRange = range(0, 0) },
      {
        name = 'Sources',
        kind = 4,
        range = range(quote_byte, #line),
        selectionRange = range(quote_byte, #line),
        children = {
          {
            name = 'Ana Ruiz',
            kind = 19,
            range = range(name_byte, name_byte + 8),
            selectionRange = range(name_byte, name_byte + 8),
            children = {
              { name = '“Quote one,”', kind = 24, range = range(quote_byte, quote_end), selectionRange = range(quote_byte, quote_end) },
            },
          },
        },
      },
    }
  end

  for _, encoding in ipairs({ 'utf-8', 'utf-16', 'utf-32' }) do
    T.it('group_items turns ' .. encoding .. ' outline positions into byte columns', function()
      local items = copydesk.group_items(bufnr, outline(encoding), 'Sources', encoding)
      T.eq(2, #items, 'a speaker and their quotation')
      T.eq({ 'Ana Ruiz', 'Ana Ruiz: “Quote one,”' }, { items[1].text, items[2].text }, 'item texts')
      T.eq({ 2, name_byte + 1, 2, name_byte + 9 }, { items[1].lnum, items[1].col, items[1].end_lnum, items[1].end_col }, 'speaker position (1-based)')
      T.eq({ 2, quote_byte + 1 }, { items[2].lnum, items[2].col }, 'quotation position (1-based)')
    end)
  end

  T.it('group_items finds nothing when the outline has no such group', function()
    T.eq({}, copydesk.group_items(bufnr, outline('utf-8'), 'Places', 'utf-8'), 'no Places group')
  end)

  vim.api.nvim_buf_delete(bufnr, { force = true })
end
