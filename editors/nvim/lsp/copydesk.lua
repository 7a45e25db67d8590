-- Copydesk's language-server configuration for Neovim 0.11+ (`vim.lsp.config` form).
-- Enable with `vim.lsp.enable('copydesk')`; override any field with `vim.lsp.config('copydesk', {...})`.

---@type vim.lsp.Config
return {
  cmd = { 'copydesk', 'serve' },
  filetypes = { 'text', 'markdown' },
  root_markers = { '.copydesk.toml', '.git' },
  -- Answered to the server's workspace/configuration requests for the `copydesk` section: the
  -- same keys as `.copydesk.toml` (docs/configuration.md). Empty: the project's file decides.
  settings = { copydesk = vim.empty_dict() },
}
