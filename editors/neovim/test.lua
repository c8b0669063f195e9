-- Neovim's built-in LSP client against `flowc lsp`, headless (./test.sh):
--   FLOWC=target/debug/flowc FLOW_FILE=COPY/routing.flow \
--     nvim --headless --clean -c "luafile editors/neovim/test.lua"
-- where COPY is a copy of tests/lsp/project (the file beside its
-- flowc.toml). It breaks a reference and checks the diagnostic, hover,
-- definition and rename; exits 0 when every check holds, 1 otherwise (with
-- the reason). It uses `vim.lsp.start_client`, which Debian's Neovim 0.7
-- has and later versions keep.

local flowc = os.getenv("FLOWC") or "flowc"
local file = os.getenv("FLOW_FILE")

local function fail(message)
  io.stderr:write("neovim test: " .. message .. "\n")
  vim.cmd("cquit 1")
end

local function wait(ms, condition, what)
  if not vim.wait(ms, condition, 20) then
    fail("timed out waiting for " .. what)
  end
end

vim.filetype.add({ extension = { flow = "flow", flowtest = "flowtest" } })
vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = "flowc",
  cmd = { flowc, "lsp" },
  root_dir = vim.fn.fnamemodify(file, ":h"),
})
if not client_id then
  fail("the client did not start")
end
vim.lsp.buf_attach_client(buf, client_id)
wait(5000, function()
  local c = vim.lsp.get_client_by_id(client_id)
  return c and c.initialized
end, "initialize")

-- Break `<<lookup.output.status>>` on the line with é and 🚀.
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local row
for i, line in ipairs(lines) do
  if line:find("<<lookup.output.status>>", 1, true) then
    row = i - 1
  end
end
local line = lines[row + 1]
vim.api.nvim_buf_set_lines(buf, row, row + 1, false, { (line:gsub("<<lookup%.output%.status>>", "<<lokup.output.status>>")) })

wait(5000, function()
  return #vim.diagnostic.get(buf) == 1
end, "the E201 diagnostic")
local d = vim.diagnostic.get(buf)[1]
local byte_col = select(1, vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1]:find("<<lokup", 1, true)) - 1
if d.lnum ~= row or d.col ~= byte_col or d.code ~= "E201" or d.source ~= "flowc" then
  fail(string.format("unexpected diagnostic %s at %d:%d (want E201 at %d:%d)", tostring(d.code), d.lnum, d.col, row, byte_col))
end

local function request(method, params)
  local result = vim.lsp.buf_request_sync(buf, method, params, 5000)
  local answer = result and result[client_id]
  if not answer then
    fail("no answer to " .. method)
  end
  if answer.err then
    fail(method .. " failed: " .. vim.inspect(answer.err))
  end
  return answer.result
end

-- Positions in UTF-16 units: `lookup` of `channel: lookup.output.body`.
local body_row, body_col
for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  local col = l:find("channel: lookup", 1, true)
  if col then
    body_row, body_col = i - 1, col - 1 + #"channel: " + 1
  end
end
local position = { textDocument = vim.lsp.util.make_text_document_params(buf), position = { line = body_row, character = body_col } }
local hover = request("textDocument/hover", position)
if not hover.contents.value:find("**step `lookup`**", 1, true) then
  fail("unexpected hover " .. vim.inspect(hover))
end
local def = request("textDocument/definition", position)
if def.range.start.line ~= 5 or def.range.start.character ~= 7 then
  fail("unexpected definition " .. vim.inspect(def))
end
local rename = request("textDocument/rename", vim.tbl_extend("force", position, { newName = "crm" }))
local edits = rename.changes[vim.uri_from_bufnr(buf)]
if #edits ~= 4 then
  fail("expected 4 rename edits, got " .. vim.inspect(edits))
end
vim.lsp.util.apply_workspace_edit(rename, "utf-16")
local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
if text:find("lookup", 1, true) or not text:find("step crm: http-request", 1, true) then
  fail("the rename did not apply:\n" .. text)
end
vim.lsp.stop_client(client_id)
vim.cmd("qall!")
