-- Runs the Neovim specs against the real server: `nvim --clean --headless -l run.lua`.
-- Environment: COPYDESK_BIN (server binary), COPYDESK_WORKDIR (a scratch folder for the article),
-- COPYDESK_EXAMPLE / COPYDESK_EXAMPLE_EXPECTED (an article and its expectations: example/).
local here = vim.fs.dirname(vim.fs.abspath(debug.getinfo(1, 'S').source:sub(2)))
local root = vim.fs.normalize(here .. '/../../..')
vim.opt.runtimepath:prepend(root .. '/editors/nvim')
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'

local T = { passed = 0, failed = 0, skipped = 0, root = root, here = here, failures = {} }
T.WAIT_MS = tonumber(vim.env.COPYDESK_WAIT_MS or '') or 15000
T.bin = vim.env.COPYDESK_BIN or (root .. '/target/debug/copydesk')
T.workdir = vim.env.COPYDESK_WORKDIR or vim.fn.tempname()
vim.fn.mkdir(T.workdir, 'p')

--- Waits for `cond` (every 20 ms) or fails with `what` after T.WAIT_MS.
function T.wait_for(what, cond)
  local ok = vim.wait(T.WAIT_MS, cond, 20)
  if not ok then
    error('timed out after ' .. T.WAIT_MS .. ' ms waiting for ' .. what, 2)
  end
end

function T.eq(expected, actual, what)
  if not vim.deep_equal(expected, actual) then
    error(string.format('%s\n  expected: %s\n  actual:   %s', what or 'values differ', vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

function T.truthy(value, what)
  if not value then
    error(what or 'expected a true value', 2)
  end
end

--- What the analysis core finds in a fixture (`copydesk check --format json`): no capability
--- announces quotations or entities, so specs needing them skip, saying so, while it finds none.
function T.analysis_of(file)
  local result = vim.system({ T.bin, 'check', '--format', 'json', '--fail-on', 'never', file }, { text = true }):wait(T.WAIT_MS)
  local ok, report = pcall(vim.json.decode, vim.split(result.stdout or '', '\n')[1] or '')
  if not ok or type(report) ~= 'table' then
    error('copydesk check gave no JSON report: ' .. tostring(result.stderr), 2)
  end
  return { quotes = #(report.quotes or {}), entities = #(report.entities or {}) }
end

local Skip = {}
--- Ends the current spec as skipped, printing why: never a silent pass.
function T.skip(reason)
  error(setmetatable({ reason = reason }, Skip), 0)
end

--- Skips unless the attached server advertises `capability`.
function T.require_capability(client, capability)
  local value = client.server_capabilities[capability]
  if value == nil or value == false then
    T.skip('the server does not advertise ' .. capability .. ' yet')
  end
end

--- Skips unless the analysis found `what` ('quotes' or 'entities') in the fixture.
function T.require_analysis(analysis, what)
  if analysis[what] == 0 then
    T.skip('copydesk check finds no ' .. what .. ' in the fixture: that analysis has not landed in this build')
  end
end

function T.it(name, fn)
  local ok, err = xpcall(fn, function(e)
    if getmetatable(e) == Skip then
      return e
    end
    return debug.traceback(tostring(e), 2)
  end)
  if ok then
    T.passed = T.passed + 1
    io.stdout:write('ok - ', name, '\n')
  elseif getmetatable(err) == Skip then
    T.skipped = T.skipped + 1
    io.stdout:write('SKIPPED - ', name, ': ', err.reason, '\n')
  else
    T.failed = T.failed + 1
    T.failures[#T.failures + 1] = name
    io.stdout:write('not ok - ', name, '\n', err, '\n')
  end
end

--- Byte range (0-based, end exclusive) of the `n`-th (1-based) occurrence of `needle` in `lines`.
function T.find(lines, needle, n)
  n = n or 1
  local seen = 0
  for lnum, line in ipairs(lines) do
    local from = 1
    while true do
      local s, e = line:find(needle, from, true)
      if not s then
        break
      end
      seen = seen + 1
      if seen == n then
        return { lnum = lnum - 1, col = s - 1, end_col = e }
      end
      from = e + 1
    end
  end
  error('fixture has no occurrence ' .. n .. ' of ' .. needle, 2)
end

-- COPYDESK_EXAMPLE (run-nvim --example ARTICLE) runs the example specs instead of the fixture specs.
local spec_dir = (vim.env.COPYDESK_EXAMPLE or '') ~= '' and '/example/' or '/spec/'
local specs = vim.fn.sort(vim.fn.glob(here .. spec_dir .. '*_spec.lua', false, true))
for _, file in ipairs(specs) do
  io.stdout:write('# ', vim.fn.fnamemodify(file, ':t'), '\n')
  local ok, err = pcall(function()
    dofile(file)(T)
  end)
  if not ok then
    T.failed = T.failed + 1
    io.stdout:write('not ok - loading ', file, '\n', tostring(err), '\n')
  end
end

for _, client in ipairs(vim.lsp.get_clients()) do
  client:stop(true)
end
vim.wait(2000, function()
  return #vim.lsp.get_clients() == 0
end, 20)
local example = vim.env.COPYDESK_EXAMPLE or ''
io.stdout:write(string.format('%s: %d passed, %d failed, %d skipped%s\n', example ~= '' and ('nvim example ' .. example) or 'nvim',
  T.passed, T.failed, T.skipped, T.failed == 0 and ' -> PASS' or ' -> FAIL'))
io.stdout:flush()
os.exit(T.failed == 0 and 0 or 1)
