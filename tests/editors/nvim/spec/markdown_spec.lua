-- Markdown articles: the server attaches to `markdown` buffers and checks them like plain copy.
return function(T)
  local fixture = T.root .. '/tests/editors/fixtures/library-hours.md'
  local article = T.workdir .. '/library-hours.md'
  vim.fn.writefile(vim.fn.readfile(fixture, 'b'), article, 'b')
  local lines = vim.fn.readfile(fixture)
  local analysis = T.analysis_of(fixture)
  local copydesk = require('copydesk')
  -- run.lua loads specs in order: article_spec.lua has already called setup{}.
  vim.cmd.edit(vim.fn.fnameescape(article))
  local bufnr = vim.api.nvim_get_current_buf()

  T.it('a Markdown article attaches and gets its unattributed-quote at the right bytes', function()
    T.eq('markdown', vim.bo[bufnr].filetype, 'filetype of a .md article')
    T.wait_for('the copydesk client on the Markdown buffer', function()
      local client = copydesk.client(bufnr)
      return client ~= nil and client.initialized
    end)
    T.require_analysis(analysis, 'quotes')
    local found
    T.wait_for('an unattributed-quote diagnostic', function()
      found = vim.tbl_filter(function(d)
        return d.code == 'unattributed-quote'
      end, vim.diagnostic.get(bufnr))
      return #found > 0
    end)
    T.eq(1, #found, 'number of unattributed-quote diagnostics')
    local at = T.find(lines, '“It is the cheapest way we have to keep teenagers off the streets on a Sunday afternoon.”')
    T.eq({ at.lnum, at.col, at.end_col }, { found[1].lnum, found[1].col, found[1].end_col }, 'diagnostic position (0-based bytes)')
  end)
end
