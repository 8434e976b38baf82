#!/usr/bin/env bash
# Try `emaillint lsp` in a real editor: Debian's Neovim (0.7, `apt-get
# install neovim`), headless, attaches the server to a draft with
# vim.lsp.start_client, prints the diagnostics it receives, fills in the
# placeholder (an incremental change), and prints them again.
#
#   scripts/nvim-lsp.sh [DRAFT]     (default: a draft written to a temp dir)
#
# EMAILLINT=path/to/emaillint picks the binary (default: target/debug/emaillint,
# built if missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${EMAILLINT:-$root/target/debug/emaillint}
if [ ! -x "$bin" ]; then
    (cd "$root" && cargo build --quiet)
fi
command -v nvim >/dev/null || { echo "nvim not found: apt-get install neovim" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
draft=${1:-}
if [ -z "$draft" ]; then
    draft=$work/draft.txt
    printf '%s\n' \
        'Dear Ms. Park,' \
        '' \
        '😀 [Name] here. Thank you for meeting me yesterday. I am still very interested in the role and would love to meet again at your convenience.' \
        '' \
        'Best regards,' \
        'Sam' >"$draft"
fi
draft=$(cd "$(dirname "$draft")" && pwd)/$(basename "$draft")

cat >"$work/attach.lua" <<'LUA'
local bin, draft = _G.emaillint_bin, _G.emaillint_draft
local out = function(s) io.stdout:write(s .. "\n") end
local received = 0
local severities = { "error", "warning", "info", "hint" }
local client = vim.lsp.start_client({
  name = "emaillint",
  cmd = { bin, "lsp" },
  root_dir = vim.fn.fnamemodify(draft, ":h"),
  handlers = {
    ["textDocument/publishDiagnostics"] = function(_, result)
      if result.uri ~= vim.uri_from_fname(draft) then return end
      received = received + 1
      out(string.format("publishDiagnostics #%d (version %s): %d diagnostics",
        received, tostring(result.version), #result.diagnostics))
      for _, d in ipairs(result.diagnostics) do
        out(string.format("  %d:%d-%d:%d %s[%s] %s", d.range.start.line + 1,
          d.range.start.character, d.range["end"].line + 1, d.range["end"].character,
          severities[d.severity] or "?", d.code or "", d.message))
      end
    end,
  },
})
if not client then out("could not start the server"); vim.cmd("cquit 2") end
vim.lsp.buf_attach_client(0, client)
if not vim.wait(10000, function() return received >= 1 end, 50) then
  out("no diagnostics within 10 s"); vim.cmd("cquit 1")
end
-- Fill in the placeholder on line 3: Neovim sends an incremental change.
local line = vim.api.nvim_buf_get_lines(0, 2, 3, false)[1] or ""
local s, e = line:find("[Name]", 1, true)
if s then
  out("edit: [Name] -> Sam Lee")
  vim.api.nvim_buf_set_text(0, 2, s - 1, 2, e, { "Sam Lee" })
  if not vim.wait(10000, function() return received >= 2 end, 50) then
    out("no diagnostics after the change"); vim.cmd("cquit 1")
  end
end
vim.lsp.stop_client(client)
vim.wait(2000, function() return vim.lsp.get_client_by_id(client) == nil end, 50)
vim.cmd("qall!")
LUA

nvim --headless --clean -n \
    --cmd "lua _G.emaillint_bin = [[$bin]]; _G.emaillint_draft = [[$draft]]" \
    -c "luafile $work/attach.lua" "$draft"
