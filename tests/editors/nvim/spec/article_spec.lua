-- The plugin and Neovim's own LSP client on the harbour-vote fixture: every feature the
-- server offers, seen the way a reporter sees it in Neovim.
return function(T)
  local fixture = T.root .. '/tests/editors/fixtures/harbour-vote.txt'
  local article = T.workdir .. '/harbour-vote.txt'
  vim.fn.writefile(vim.fn.readfile(fixture, 'b'), article, 'b')
  -- A project root, so root_markers find one (as in a newsroom repository).
  vim.fn.writefile({}, T.workdir .. '/.copydesk.toml')
  local original = vim.fn.readfile(fixture)
  local analysis = T.analysis_of(fixture)
  local unattributed = '“The ferry operators have waited long enough, and the money will not wait forever.”'

  local copydesk = require('copydesk')
  copydesk.setup({ cmd = { T.bin, 'serve' }, open_quickfix = false })
  vim.cmd.edit(vim.fn.fnameescape(article))
  local bufnr = vim.api.nvim_get_current_buf()
  local client

  T.it('setup{} enables the server for text files and it attaches with utf-8 positions', function()
    T.eq('text', vim.bo[bufnr].filetype, 'filetype of a .txt article')
    T.wait_for('the copydesk client to attach', function()
      client = copydesk.client(bufnr)
      return client ~= nil and client.initialized
    end)
    T.eq('utf-8', client.offset_encoding, 'negotiated position encoding')
    T.eq(vim.fs.normalize(T.workdir), vim.fs.normalize(client.root_dir or ''), 'root_dir from .copydesk.toml')
    for _, name in ipairs({ 'CopydeskSources', 'CopydeskPeople', 'CopydeskRestart', 'CopydeskLog' }) do
      T.eq(2, vim.fn.exists(':' .. name), ':' .. name .. ' exists')
    end
  end)
  if not client then
    return
  end

  T.it('diagnostics: one unattributed-quote warning at the quotation’s exact bytes', function()
    T.require_analysis(analysis, 'quotes')
    local found
    T.wait_for('an unattributed-quote diagnostic', function()
      found = vim.tbl_filter(function(d)
        return d.code == 'unattributed-quote'
      end, vim.diagnostic.get(bufnr))
      return #found > 0
    end)
    T.eq(1, #found, 'number of unattributed-quote diagnostics')
    local at = T.find(original, unattributed)
    local d = found[1]
    T.eq({ at.lnum, at.col, at.lnum, at.end_col }, { d.lnum, d.col, d.end_lnum, d.end_col }, 'diagnostic position (0-based bytes)')
    T.eq(vim.diagnostic.severity.WARN, d.severity, 'severity')
    T.eq('copydesk', d.source, 'source')
    local href = vim.tbl_get(d, 'user_data', 'lsp', 'codeDescription', 'href') or ''
    T.truthy(href:find('docs/rules.md#unattributed-quote', 1, true), 'codeDescription links the rule: ' .. href)
    local rules = { 'unattributed-quote', 'unbalanced-quote', 'markup-residue', 'unresolved-pronoun-speaker', 'first-reference', 'name-variant' }
    for _, other in ipairs(vim.diagnostic.get(bufnr)) do
      T.truthy(vim.tbl_contains(rules, other.code), 'unknown code ' .. tostring(other.code))
      T.truthy(other.code ~= 'unbalanced-quote', 'unexpected unbalanced-quote: ' .. other.message)
    end
  end)

  T.it('hover on a surname opens a card naming the person and their quotation', function()
    T.require_capability(client, 'hoverProvider')
    T.require_analysis(analysis, 'entities')
    local at = T.find(original, 'Valderrama said her group')
    vim.api.nvim_win_set_cursor(0, { at.lnum + 1, at.col + 2 })
    vim.lsp.buf.hover()
    local float
    T.wait_for('the hover window', function()
      for _, win in ipairs(vim.api.nvim_list_wins()) do
        if vim.api.nvim_win_get_config(win).relative ~= '' then
          float = win
          return true
        end
      end
      return false
    end)
    local text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false), '\n')
    vim.api.nvim_win_close(float, true)
    T.truthy(text:find('Ines Valderrama', 1, true), 'hover names Ines Valderrama:\n' .. text)
    T.truthy(text:find('We were promised a beach', 1, true), 'hover quotes her:\n' .. text)
    T.truthy(text:find('chairs the Kestrel Point Residents’ Association', 1, true), 'hover gives her relative-clause descriptor:\n' .. text)
  end)

  T.it(':CopydeskSources lists every speaker and quotation in the quickfix list', function()
    T.require_capability(client, 'documentSymbolProvider')
    T.require_analysis(analysis, 'quotes')
    local items
    copydesk.fill_quickfix('Sources', bufnr, function(result, err)
      items = result or err
    end)
    T.wait_for('the document symbols', function()
      return items ~= nil
    end)
    T.truthy(type(items) == 'table', 'documentSymbol failed: ' .. tostring(items))
    local qf = vim.fn.getqflist({ title = 1, items = 1 })
    T.eq('Copydesk sources', qf.title, 'quickfix title')
    local texts = vim.tbl_map(function(item)
      return item.text
    end, qf.items)
    local function has(pattern)
      for _, text in ipairs(texts) do
        if text:find(pattern, 1, true) then
          return true
        end
      end
      return false
    end
    T.truthy(has('Ines Valderrama'), 'Ines Valderrama listed: ' .. vim.inspect(texts))
    T.truthy(has('Tobias Lindqvist'), 'Tobias Lindqvist listed: ' .. vim.inspect(texts))
    T.truthy(has('Ines Valderrama: '), 'her quotation listed under her: ' .. vim.inspect(texts))
    local quote = T.find(original, '“We were promised')
    for _, item in ipairs(qf.items) do
      if item.text:find('Ines Valderrama: ', 1, true) then
        T.eq(quote.lnum + 1, item.lnum, 'quickfix line of her quotation')
        T.eq(bufnr, item.bufnr, 'quickfix buffer')
      end
    end
  end)

  T.it('the dateline is a place: PORT ELLISON under Places, not People, and no diagnostic on it', function()
    T.require_capability(client, 'documentSymbolProvider')
    T.require_analysis(analysis, 'entities')
    local function group(name)
      local items
      copydesk.fill_quickfix(name, bufnr, function(result, err)
        items = result or err
      end)
      T.wait_for('the ' .. name .. ' group', function()
        return items ~= nil
      end)
      T.truthy(type(items) == 'table', 'documentSymbol failed: ' .. tostring(items))
      return vim.tbl_map(function(item)
        return item.text
      end, items)
    end
    T.truthy(vim.tbl_contains(group('Places'), 'PORT ELLISON'), 'PORT ELLISON under Places')
    T.truthy(not vim.tbl_contains(group('People'), 'PORT ELLISON'), 'PORT ELLISON not under People')
    local dateline = T.find(original, 'PORT ELLISON')
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      T.truthy(d.lnum ~= dateline.lnum or d.col > #'PORT ELLISON, March 4 (Copydesk Wire) —', 'a diagnostic on the dateline: ' .. d.message)
    end
  end)

  T.it('inlay hints name the speaker of the “he said” quotation', function()
    T.require_capability(client, 'inlayHintProvider')
    T.require_analysis(analysis, 'quotes')
    vim.lsp.inlay_hint.enable(true, { bufnr = bufnr })
    local at = T.find(original, 'he said.')
    local hints
    T.wait_for('inlay hints', function()
      hints = vim.lsp.inlay_hint.get({ bufnr = bufnr })
      return #hints > 0
    end)
    local labels = {}
    for _, h in ipairs(hints) do
      local label = h.inlay_hint.label
      if type(label) == 'table' then
        label = table.concat(vim.tbl_map(function(part)
          return part.value
        end, label))
      end
      if h.inlay_hint.position.line == at.lnum then
        labels[#labels + 1] = label
      end
    end
    T.truthy(table.concat(labels, ' '):find('Lindqvist', 1, true), 'hint on the pronoun line names Lindqvist: ' .. vim.inspect(labels))
  end)

  T.it('rename applies edits to every mention and keeps the possessive', function()
    T.require_capability(client, 'renameProvider')
    T.require_analysis(analysis, 'entities')
    -- On the possessive surname mention, so the name given is the surname alone.
    local at = T.find(original, 'Lindqvist’s')
    vim.api.nvim_win_set_cursor(0, { at.lnum + 1, at.col + 1 })
    local tick = vim.b[bufnr].changedtick
    vim.lsp.buf.rename('Lindquist')
    T.wait_for('the rename edits', function()
      return vim.b[bufnr].changedtick ~= tick
    end)
    local expected = vim.tbl_map(function(line)
      return (line:gsub('Lindqvist', 'Lindquist'))
    end, original)
    T.eq(expected, vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), 'buffer after rename')
    vim.cmd('silent! undo')
  end)

  T.it(':CopydeskRestart replaces the client with a fresh one that attaches again', function()
    local old = copydesk.client(bufnr)
    T.truthy(old, 'a client before the restart')
    vim.cmd('CopydeskRestart')
    T.wait_for('a new client on the buffer', function()
      local new = copydesk.client(bufnr)
      return new ~= nil and new.id ~= old.id and new.initialized
    end)
    T.truthy(old:is_stopped(), 'the old client stopped')
  end)
end
