//! The editor integrations in `editors/`: the VS Code grammar against its fixtures (with
//! `vscode-tmgrammar-test`), the manifests, and the Neovim plugin under headless Neovim with the
//! real server. Tests needing a tool that is not installed print a note and pass.
#![cfg(feature = "lsp")]

#[path = "support/nvim.rs"]
mod nvim;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn editors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("editors")
}

#[test]
fn the_vscode_grammar_passes_its_fixtures() {
    let dir = editors().join("vscode");
    let tool = dir.join("node_modules/.bin/vscode-tmgrammar-test");
    if !tool.exists() {
        println!(
            "note: vscode-tmgrammar-test is not installed (`npm ci` in editors/vscode); skipped"
        );
        return;
    }
    let output = Command::new(&tool)
        .args(["-g", "syntaxes/lawful.tmLanguage.json", "test/shop.lawful"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("test/shop.lawful run successfuly"),
        "{stdout}"
    );
}

#[test]
fn the_vscode_manifest_declares_the_language_grammar_and_path_setting() {
    let dir = editors().join("vscode");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("package.json")).unwrap()).unwrap();
    let language = &manifest["contributes"]["languages"][0];
    assert_eq!(language["id"], "lawful");
    assert_eq!(language["extensions"][0], ".lawful");
    let grammar = manifest["contributes"]["grammars"][0]["path"]
        .as_str()
        .unwrap();
    let grammar: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(grammar)).unwrap()).unwrap();
    assert_eq!(grammar["scopeName"], "source.lawful");
    assert_eq!(
        manifest["contributes"]["configuration"]["properties"]["lawful.path"]["default"],
        "lawful"
    );
    let config = language["configuration"].as_str().unwrap();
    let config: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(config)).unwrap()).unwrap();
    assert_eq!(config["comments"]["lineComment"], "#");
    let client = std::fs::read_to_string(dir.join("extension.js")).unwrap();
    assert!(client.contains("args: [\"lsp\"]"), "{client}");
    assert!(client.contains("\"lawful/content\""), "{client}");
}

#[test]
fn the_helix_configuration_starts_lawful_lsp_for_lawful_files() {
    let text = std::fs::read_to_string(editors().join("helix/languages.toml")).unwrap();
    let config: toml::Table = toml::from_str(&text).unwrap();
    let server = &config["language-server"]["lawful"];
    assert_eq!(server["command"].as_str(), Some("lawful"));
    assert_eq!(server["args"].as_array().unwrap()[0].as_str(), Some("lsp"));
    let language = &config["language"].as_array().unwrap()[0];
    assert_eq!(
        language["file-types"].as_array().unwrap()[0].as_str(),
        Some("lawful")
    );
    assert_eq!(
        language["roots"].as_array().unwrap()[0].as_str(),
        Some("lawful.toml")
    );
}

const SCRIPT: &str = r#"
local results = {}
local ok, err = pcall(function()
  vim.opt.runtimepath:append(PLUGIN)
  vim.cmd('filetype on')
  vim.cmd('runtime! ftdetect/*.vim')
  require('lawful').setup({ cmd = { BIN, 'lsp' } })
  vim.cmd('edit ' .. ROOT .. '/a.lawful')
  local buf = vim.api.nvim_get_current_buf()
  results.filetype = vim.bo[buf].filetype
  results.attached = vim.wait(20000, function()
    return next(vim.lsp.buf_get_clients(buf)) ~= nil
  end, 20)
  results.diagnosed = vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
  local pos = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = 0, character = 42 } }
  local reply = vim.lsp.buf_request_sync(buf, 'textDocument/definition', pos, 10000)
  for _, r in pairs(reply or {}) do
    if r.result then
      local loc = r.result[1] or r.result
      results.uri = loc.uri
      results.line = loc.range.start.line
    end
  end
  vim.cmd('edit ' .. results.uri)
  local stdlib = vim.api.nvim_get_current_buf()
  results.text = vim.api.nvim_buf_get_lines(stdlib, results.line, results.line + 1, false)[1]
  results.modifiable = vim.bo[stdlib].modifiable
  results.stdlib_filetype = vim.bo[stdlib].filetype
end)
results.error = ok and vim.NIL or tostring(err)
vim.fn.writefile({ vim.fn.json_encode(results) }, OUT)
vim.cmd('qall!')
"#;

#[test]
fn the_neovim_plugin_detects_the_filetype_starts_the_server_and_opens_stdlib_documents() {
    let Some(nvim) = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("nvim"))
            .find(|path| path.is_file())
    }) else {
        println!("note: `nvim` is not installed; the Neovim plugin test is skipped");
        return;
    };
    let dir = std::env::temp_dir().join(format!("lawful-lsp-plugin-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let dir = std::fs::canonicalize(dir).unwrap();
    std::fs::write(
        dir.join("a.lawful"),
        "party p \"P\" { role processor; country CH }\nactivity a { purpose billing; subjects customers }\n",
    )
    .unwrap();
    // Line 0 has no `customers`; the definition is asked on line 1.
    let script = SCRIPT.replace("line = 0, character = 42", "line = 1, character = 41");
    let out = dir.join("out.json");
    let header = format!(
        "PLUGIN = {:?}\nBIN = {:?}\nROOT = {:?}\nOUT = {:?}\n",
        editors().join("nvim").display().to_string(),
        env!("CARGO_BIN_EXE_lawful"),
        dir.display().to_string(),
        out.display().to_string()
    );
    std::fs::write(dir.join("test.lua"), header + &script).unwrap();
    let child = Command::new(nvim)
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", dir.join("test.lua").display()))
        .env("XDG_STATE_HOME", &dir)
        .env("XDG_CACHE_HOME", &dir)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let results = nvim::results(child, &out);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(results["error"], Value::Null, "{results}");
    assert_eq!(results["filetype"], "lawful", "{results}");
    assert_eq!(results["attached"], true, "{results}");
    assert_eq!(results["diagnosed"], true, "{results}");
    assert_eq!(
        results["uri"], "lawful-stdlib:///subjects.lawful",
        "{results}"
    );
    assert!(
        results["text"]
            .as_str()
            .unwrap_or_default()
            .starts_with("subjects customers"),
        "{results}"
    );
    assert_eq!(results["modifiable"], false, "{results}");
    assert_eq!(results["stdlib_filetype"], "lawful", "{results}");
}

// The tree-sitter grammar (editors/tree-sitter-lawful) is tested in tests/tree_sitter.rs: its
// committed parser loaded in headless Neovim, with no tree-sitter CLI needed.
