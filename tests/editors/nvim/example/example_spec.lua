-- A real article given on the command line (`run-nvim --example ARTICLE`), checked in Neovim's own
-- LSP client against the analysis its `.expected.json` describes (format: ../shared/examples).
-- The article is never copied into the repository: the path comes from COPYDESK_EXAMPLE and
-- every position is found by searching the buffer.
--
-- Checked through vim.lsp, as a reporter would see it:
--   hover      on a bare-surname mention of every person the expectations give descriptors for
--              (the surname alias, else the full name): the card names them and each descriptor;
--   outline    textDocument/documentSymbol: every speaker of a full, non-term quotation is listed
--              under Sources;
--   diagnostics exactly `unattributed_expected` unattributed-quote warnings, and a markup-residue
--              diagnostic on every line that carries a wire story code ("[L1N2TZ2LJ]"); those lines
--              must match the expectations' `markup_lines`.
return function(T)
  local source = vim.env.COPYDESK_EXAMPLE
  local expected_path = vim.env.COPYDESK_EXAMPLE_EXPECTED
  if not source or source == '' then
    T.it('example article', function()
      T.skip('no article given (run-nvim --example ARTICLE)')
    end)
    return
  end
  if not expected_path or expected_path == '' then
    expected_path = (source:gsub('%.[^./]*$', '')) .. '.expected.json'
  end
  local expected
  T.it('reads ' .. source .. ' and ' .. expected_path, function()
    T.truthy(vim.fn.filereadable(source) == 1, 'cannot read the article ' .. source)
    T.truthy(vim.fn.filereadable(expected_path) == 1, 'cannot read the expectations ' .. expected_path)
    expected = vim.json.decode(table.concat(vim.fn.readfile(expected_path), '\n'))
  end)
  if not expected then
    return
  end

  -- A scratch copy inside a project root of its own, so root_markers find it and no
  -- .copydesk.toml of the machine applies.
  local dir = T.workdir .. '/example'
  vim.fn.mkdir(dir, 'p')
  vim.fn.writefile({}, dir .. '/.copydesk.toml')
  local article = dir .. '/' .. vim.fn.fnamemodify(source, ':t')
  vim.fn.writefile(vim.fn.readfile(source, 'b'), article, 'b')

  local copydesk = require('copydesk')
  copydesk.setup({ cmd = { T.bin, 'serve' }, open_quickfix = false })
  vim.cmd.edit(vim.fn.fnameescape(article))
  local bufnr = vim.api.nvim_get_current_buf()
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local client

  T.it('the server attaches to the article', function()
    T.wait_for('the copydesk client to attach', function()
      client = copydesk.client(bufnr)
      return client ~= nil and client.initialized
    end)
  end)
  if not client then
    return
  end

  local function request(method, params)
    local reply, err = client:request_sync(method, params, T.WAIT_MS, bufnr)
    T.truthy(reply, method .. ' got no reply: ' .. tostring(err))
    T.truthy(not reply.err, method .. ' failed: ' .. vim.inspect(reply.err))
    return reply.result
  end

  --- Is `s`..`e` (1-based, inclusive) in `line` a whole word?
  local function whole_word(line, s, e)
    local before = s > 1 and line:sub(s - 1, s - 1) or ' '
    local after = line:sub(e + 1, e + 1)
    return not before:match('[%w]') and not after:match('[%w]')
  end

  --- 0-based line and byte column of the first whole-word `needle` not preceded by `not_after `
  --- (so that a bare surname is not found inside the full name).
  local function find_mention(needle, not_after)
    for lnum, line in ipairs(lines) do
      local from = 1
      while true do
        local s, e = line:find(needle, from, true)
        if not s then
          break
        end
        local inside_full_name = not_after ~= nil and line:sub(math.max(1, s - #not_after - 1), s - 1) == not_after .. ' '
        if whole_word(line, s, e) and not inside_full_name then
          return lnum - 1, s - 1
        end
        from = e + 1
      end
    end
  end

  local function hover_text(lnum, col)
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      position = { line = lnum, character = vim.str_utfindex(lines[lnum + 1], client.offset_encoding, col) },
    }
    local result = request('textDocument/hover', params)
    T.truthy(result and result.contents, 'no hover card at line ' .. (lnum + 1))
    local contents = result.contents
    return type(contents) == 'table' and (contents.value or table.concat(vim.tbl_map(function(c)
      return type(c) == 'table' and c.value or c
    end, contents), '\n')) or tostring(contents)
  end

  local people = vim.tbl_keys(expected.descriptors or {})
  table.sort(people)
  for _, person in ipairs(people) do
    local given = person:match('^(.-) [^ ]+$')
    local surname = person:match('([^ ]+)$')
    local aliases = (expected.people or {})[person] or {}
    local bare = vim.tbl_contains(aliases, surname) and surname or nil
    local label = bare and ('"' .. bare .. '"') or ('"' .. person .. '"')
    T.it('hover on ' .. label .. ' names ' .. person .. ' and ' .. table.concat(expected.descriptors[person], ', '), function()
      local lnum, col
      if bare then
        lnum, col = find_mention(bare, given)
      end
      if not lnum then
        lnum, col = find_mention(person)
      end
      T.truthy(lnum, 'the article never mentions ' .. person)
      local text = hover_text(lnum, col + 1)
      T.truthy(text:find(person, 1, true), 'the card names ' .. person .. ':\n' .. text)
      for _, descriptor in ipairs(expected.descriptors[person]) do
        T.truthy(text:find(descriptor, 1, true), 'the card gives "' .. descriptor .. '":\n' .. text)
      end
      io.stdout:write('  hover at line ', lnum + 1, ', byte ', col + 1, ':\n')
      for i, card_line in ipairs(vim.split(text, '\n', { trimempty = true })) do
        if i > 6 then
          break
        end
        io.stdout:write('    | ', card_line, '\n')
      end
    end)
  end

  T.it('the outline lists every speaker of a full quotation under Sources', function()
    local symbols = request('textDocument/documentSymbol', { textDocument = { uri = vim.uri_from_bufnr(bufnr) } })
    local function find_group(list)
      for _, symbol in ipairs(list or {}) do
        if symbol.name == 'Sources' then
          return symbol
        end
        local nested = find_group(symbol.children)
        if nested then
          return nested
        end
      end
    end
    local sources = find_group(symbols)
    T.truthy(sources, 'no Sources group in the outline: ' .. vim.inspect(symbols, { depth = 2 }))
    local listed = vim.tbl_map(function(s)
      return s.name
    end, sources.children or {})
    local wanted = {}
    for _, quote in ipairs(expected.quotes or {}) do
      if not quote.term and not quote.partial then
        for _, speaker in ipairs(quote.speakers or {}) do
          if not vim.tbl_contains(wanted, speaker) then
            wanted[#wanted + 1] = speaker
          end
        end
      end
    end
    T.truthy(#wanted > 0, 'the expectations name no speaker')
    for _, speaker in ipairs(wanted) do
      T.truthy(vim.tbl_contains(listed, speaker), speaker .. ' is not under Sources: ' .. vim.inspect(listed))
    end
    io.stdout:write('  Sources: ', table.concat(listed, ', '), '\n')
  end)

  local diagnostics
  T.it('diagnostics arrive', function()
    T.wait_for('the first diagnostics', function()
      -- A published (possibly empty) set: the client records the buffer's namespace.
      diagnostics = vim.diagnostic.get(bufnr)
      return #diagnostics > 0
    end)
  end)

  T.it(string.format('%d unattributed-quote warnings', expected.unattributed_expected or 0), function()
    T.truthy(diagnostics, 'no diagnostics')
    local found = vim.tbl_filter(function(d)
      return d.code == 'unattributed-quote'
    end, diagnostics)
    T.eq(expected.unattributed_expected or 0, #found, 'unattributed-quote diagnostics: ' .. vim.inspect(found))
  end)

  T.it('a markup-residue diagnostic on every line with a wire story code', function()
    T.truthy(diagnostics, 'no diagnostics')
    -- A wire code: a bracketed run of capitals and digits, 6 or more long, with both.
    local code_lines = {}
    for lnum, line in ipairs(lines) do
      for code in line:gmatch('%[(n?[%u%d]+)%]') do
        if #code >= 6 and code:find('%d') and code:find('%u') then
          code_lines[#code_lines + 1] = lnum
          break
        end
      end
    end
    T.truthy(#code_lines > 0, 'no wire code found in the article')
    if expected.markup_lines then
      T.eq(expected.markup_lines, code_lines, 'lines with a wire code against markup_lines in the expectations')
    end
    for _, lnum in ipairs(code_lines) do
      local here = vim.tbl_filter(function(d)
        return d.code == 'markup-residue' and d.lnum == lnum - 1
      end, diagnostics)
      T.truthy(#here == 1, 'one markup-residue diagnostic on line ' .. lnum .. ': ' .. vim.inspect(diagnostics))
      io.stdout:write('  line ', lnum, ': ', here[1].message, ' (', lines[lnum]:sub(here[1].col + 1, here[1].end_col), ')\n')
    end
  end)
end
