//! End to end: the real `lawful` binary under a real editor client, headless Neovim. It opens
//! a multi-file workspace, waits for diagnostics, asks for hover, definition, references,
//! completion, code actions, rename and formatting, then edits a party in one file and sees the findings of another
//! file change. Skipped, with a note, when `nvim` is not installed (`.ci/run` installs it).

#![cfg(feature = "lsp")]

#[path = "support/lsp_workspace.rs"]
mod lsp_workspace;
#[path = "support/nvim.rs"]
mod nvim;
use lsp_workspace::{ACTIVITIES, CONTROLLER};

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const PARTIES: &str = "party  mailco \"Mail Co Inc.\" {
  role processor
  country US
  agreement {
    signed 2025-01-01
    clauses subject-matter, instructions, confidentiality, security, subprocessors,
            assistance-rights, assistance-obligations, deletion, audits
  }
}
";

/// The editor's side, in Lua that runs on Neovim 0.7 and later. Results go to a JSON file.
const SCRIPT: &str = r#"
local bin, root, out = BIN, ROOT, OUT
local results = {}
local function finish()
  vim.fn.writefile({ vim.fn.json_encode(results) }, out)
  vim.cmd('qall!')
end
local ok, err = pcall(function()
  local client_id = vim.lsp.start_client({
    name = 'lawful', cmd = { bin, 'lsp' }, root_dir = root,
  })
  results.client = client_id ~= nil
  local function open(name)
    vim.cmd('edit ' .. root .. '/' .. name)
    local buf = vim.api.nvim_get_current_buf()
    vim.lsp.buf_attach_client(buf, client_id)
    return buf, vim.uri_from_bufnr(buf)
  end
  local function codes(buf)
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      table.insert(found, d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?')
    end
    table.sort(found)
    return found
  end
  local activities, activities_uri = open('activities.lawful')
  results.waited = vim.wait(20000, function() return #vim.diagnostic.get(activities) > 0 end, 20)
  results.before = codes(activities)

  local pos = { textDocument = { uri = activities_uri }, position = { line = 6, character = 14 } }
  local hover = vim.lsp.buf_request_sync(activities, 'textDocument/hover', pos, 10000)
  for _, r in pairs(hover or {}) do
    if r.result then results.hover = r.result.contents.value end
  end
  local definition = vim.lsp.buf_request_sync(activities, 'textDocument/definition', pos, 10000)
  for _, r in pairs(definition or {}) do
    if r.result then
      local loc = r.result[1] or r.result
      results.definition = { uri = loc.uri, line = loc.range.start.line }
    end
  end
  local refs = vim.lsp.buf_request_sync(activities, 'textDocument/references',
    { textDocument = pos.textDocument, position = pos.position, context = { includeDeclaration = true } }, 10000)
  for _, r in pairs(refs or {}) do
    if r.result then results.references = #r.result end
  end
  local completion = vim.lsp.buf_request_sync(activities, 'textDocument/completion',
    { textDocument = pos.textDocument, position = { line = 6, character = 12 } }, 10000)
  for _, r in pairs(completion or {}) do
    if r.result then
      local items = r.result.items or r.result
      results.completion = {}
      for _, item in ipairs(items) do table.insert(results.completion, item.label) end
    end
  end
  local actions = vim.lsp.buf_request_sync(activities, 'textDocument/codeAction',
    { textDocument = pos.textDocument, range = { start = pos.position, ['end'] = pos.position },
      context = { diagnostics = {} } }, 10000)
  for _, r in pairs(actions or {}) do
    if r.result then
      results.actions = {}
      for _, a in ipairs(r.result) do table.insert(results.actions, a.kind .. ': ' .. a.title) end
    end
  end
  local rename = vim.lsp.buf_request_sync(activities, 'textDocument/rename',
    { textDocument = pos.textDocument, position = pos.position, newName = 'mailer' }, 10000)
  for _, r in pairs(rename or {}) do
    if r.result then
      local files = 0
      for _ in pairs(r.result.changes) do files = files + 1 end
      results.rename_files = files
    end
  end

  local parties, parties_uri = open('parties.lawful')
  local formatting = vim.lsp.buf_request_sync(parties, 'textDocument/formatting',
    { textDocument = { uri = parties_uri }, options = { tabSize = 2, insertSpaces = true } }, 10000)
  for _, r in pairs(formatting or {}) do
    if r.result and r.result[1] then results.formatted = r.result[1].newText end
  end

  -- The edit: `country US` becomes `country NL` (line 3, columns 10..12).
  vim.api.nvim_buf_set_text(parties, 2, 10, 2, 12, { 'NL' })
  results.cleared = vim.wait(20000, function() return #vim.diagnostic.get(activities) == 0 end, 20)
  results.after = codes(activities)
end)
results.error = ok and vim.NIL or tostring(err)
finish()
"#;

fn lua_string(text: &str) -> String {
    format!("{text:?}")
}

#[test]
fn neovim_gets_diagnostics_navigation_and_cross_file_updates_from_the_real_binary() {
    let Some(nvim) = find("nvim") else {
        println!("note: `nvim` is not installed; the Neovim end-to-end test is skipped");
        return;
    };
    let dir = std::env::temp_dir().join(format!("lawful-lsp-nvim-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let dir = std::fs::canonicalize(dir).unwrap();
    for (name, text) in [
        ("lawful.toml", "[workspace]\ntoday = \"2026-11-22\"\n"),
        ("controller.lawful", CONTROLLER),
        ("parties.lawful", PARTIES),
        ("activities.lawful", ACTIVITIES),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let out = dir.join("results.json");
    let script = dir.join("test.lua");
    let header = format!(
        "BIN = {}\nROOT = {}\nOUT = {}\n",
        lua_string(env!("CARGO_BIN_EXE_lawful")),
        lua_string(&dir.display().to_string()),
        lua_string(&out.display().to_string()),
    );
    std::fs::write(&script, header + SCRIPT).unwrap();
    let child = Command::new(nvim)
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("XDG_STATE_HOME", &dir)
        .env("XDG_CACHE_HOME", &dir)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let results = nvim::results(child, &out);
    let _ = std::fs::remove_dir_all(&dir);

    assert_eq!(results["error"], Value::Null, "{results}");
    assert_eq!(results["client"], true);
    assert_eq!(results["waited"], true, "{results}");
    assert_eq!(results["before"], serde_json::json!(["T002"]), "{results}");
    let hover = results["hover"].as_str().unwrap_or_default();
    assert!(hover.contains("role: processor"), "{results}");
    assert!(hover.contains("country: US (partial adequacy"), "{results}");
    let definition_uri = results["definition"]["uri"].as_str().unwrap_or_default();
    assert!(definition_uri.ends_with("/parties.lawful"), "{results}");
    assert_eq!(results["definition"]["line"], 0);
    assert_eq!(results["references"], 2, "{results}");
    assert_eq!(results["rename_files"], 2, "{results}");
    assert_eq!(
        results["completion"],
        serde_json::json!(["mailco"]),
        "{results}"
    );
    let actions: Vec<&str> = results["actions"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert!(
        actions.contains(&"quickfix: allow `T002` in `newsletter` (give the reason)"),
        "{results}"
    );
    let expected = lawful::fmt::format(lawful::source::FileId(0), PARTIES).unwrap();
    assert_eq!(results["formatted"], expected, "{results}");
    assert_eq!(results["cleared"], true, "{results}");
    assert_eq!(results["after"], serde_json::json!([]), "{results}");
}

fn find(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|path| is_executable(path))
    })
}

fn is_executable(path: &Path) -> bool {
    path.is_file()
}
