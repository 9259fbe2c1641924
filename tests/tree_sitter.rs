//! The tree-sitter grammar in `editors/tree-sitter-lawful`, for real and without the tree-sitter
//! CLI: its committed parser (`src/parser.c`) is compiled with the system C compiler and loaded
//! in headless Neovim, the editor that uses it. Neovim parses every example, UI fixture and
//! stdlib file that the compiler reads without a syntax error and must find no ERROR or MISSING
//! node in them; it parses each case of the corpus (`test/corpus/*.txt`, what `tree-sitter test`
//! runs) and must print the expected tree; it runs the highlight and fold queries and the
//! captures must land on the right tokens; and the plugin in `editors/nvim` must switch a buffer
//! to tree-sitter highlighting when the parser is installed and keep its syntax file when not.
//!
//! Neovim is required (`.ci/run` installs it; Debian's `neovim` package is 0.7, the oldest API
//! the scripts use): without it the tests fail, unless `LAWFUL_SKIP_NVIM=1` says to skip them.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

#[path = "support/dir.rs"]
mod dir;
use dir::Dir;
#[path = "support/nvim.rs"]
mod nvim;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn grammar() -> PathBuf {
    root().join("editors/tree-sitter-lawful")
}

fn find(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|path| path.is_file())
    })
}

/// Neovim, or `None` when it is missing and `LAWFUL_SKIP_NVIM=1` allows that. A missing Neovim
/// fails the test otherwise: a test that passes without running is not a test.
fn nvim() -> Option<PathBuf> {
    if let Some(nvim) = find("nvim") {
        return Some(nvim);
    }
    if std::env::var("LAWFUL_SKIP_NVIM").as_deref() == Ok("1") {
        println!("note: `nvim` is not installed and LAWFUL_SKIP_NVIM=1; skipped");
        return None;
    }
    panic!(
        "`nvim` is not on PATH: install Neovim (`apt-get install neovim`; `.ci/run` does) \
         or set LAWFUL_SKIP_NVIM=1 to skip the tree-sitter tests"
    );
}

/// The parser as a shared library, built once per test binary from the committed `src/parser.c`
/// (exactly the command nvim-treesitter and Helix run), in a directory laid out as a runtime
/// path (`parser/lawful.so`) so Neovim finds it the way it finds an installed parser.
fn parser_dir() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tree-sitter-lawful");
        std::fs::create_dir_all(dir.join("parser")).unwrap();
        // Built under a name of its own (that Neovim's `parser/lawful.*` does not match), then
        // renamed into place: concurrent runs never load a half-written library.
        let building = dir.join(format!("parser/.building-{}.so", std::process::id()));
        let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
        let src = grammar().join("src");
        let output = Command::new(&cc)
            .args(["-shared", "-fPIC", "-O1", "-I"])
            .arg(&src)
            .arg(src.join("parser.c"))
            .arg("-o")
            .arg(&building)
            .output()
            .unwrap_or_else(|e| panic!("could not run the C compiler `{cc}`: {e}"));
        assert!(
            output.status.success(),
            "`{cc}` could not compile src/parser.c: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        std::fs::rename(&building, dir.join("parser/lawful.so")).unwrap();
        dir
    })
}

/// Runs `script` (Lua, Neovim 0.7+) in headless Neovim with `SO` (the parser), `PARSER_DIR`,
/// `PLUGIN` (editors/nvim), `ROOT` (the repository), `WORK` (a scratch directory) and `OUT`
/// defined; the script writes its results as JSON to `OUT`. `None` when Neovim is skipped.
fn run_nvim(script: &str) -> Option<Value> {
    let nvim = nvim()?;
    let parser = parser_dir();
    let work = Dir::new("tree-sitter-nvim");
    let out = work.path("out.json");
    let lua = |path: &Path| format!("{:?}", path.display().to_string());
    let header = format!(
        "SO = {}\nPARSER_DIR = {}\nPLUGIN = {}\nROOT = {}\nWORK = {}\nOUT = {}\n",
        lua(&parser.join("parser/lawful.so")),
        lua(parser),
        lua(&root().join("editors/nvim")),
        lua(root()),
        lua(&work.root),
        lua(&out),
    );
    let wrapped = format!(
        "{header}\nlocal results = {{}}\nlocal ok, err = pcall(function()\n{script}\nend)\n\
         results.error = ok and vim.NIL or tostring(err)\n\
         vim.fn.writefile({{ vim.fn.json_encode(results) }}, OUT)\nvim.cmd('qall!')\n"
    );
    let file = work.path("test.lua");
    std::fs::write(&file, wrapped).unwrap();
    let child = Command::new(nvim)
        .args(["--headless", "--clean", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", file.display()))
        .env("XDG_STATE_HOME", &work.root)
        .env("XDG_CACHE_HOME", &work.root)
        .env("XDG_DATA_HOME", &work.root)
        .env("XDG_CONFIG_HOME", &work.root)
        .current_dir(&work.root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let results = nvim::results(child, &out);
    assert_eq!(results["error"], Value::Null, "the Lua script failed");
    Some(results)
}

/// Lua shared by the scripts: load the parser (0.9+ `language.add`, 0.7–0.8
/// `require_language`), parse a string, find the first ERROR or MISSING node.
const LUA_HELPERS: &str = r#"
local ts = vim.treesitter
if ts.language.add then
  ts.language.add('lawful', { path = SO })
else
  ts.require_language('lawful', SO)
end
local parse_query = ts.query.parse or ts.query.parse_query
local function read(path)
  local f = assert(io.open(path, 'rb'))
  local text = f:read('*a')
  f:close()
  return text
end
local function tree_of(text)
  return ts.get_string_parser(text, 'lawful'):parse()[1]:root()
end
local function first_error(node)
  if node:type() == 'ERROR' or node:missing() then
    local row, col = node:start()
    return string.format('%d:%d %s %s', row + 1, col + 1, node:missing() and 'MISSING' or 'ERROR', node:type())
  end
  for child in node:iter_children() do
    local found = first_error(child)
    if found then return found end
  end
  return nil
end
"#;

fn lawful_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            lawful_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "lawful") {
            found.push(path);
        }
    }
}

fn has_syntax_error(text: &str) -> bool {
    lawful::syntax::parse(lawful::source::FileId(0), text)
        .diagnostics
        .iter()
        .any(|d| d.code == "E001")
}

#[test]
fn every_file_the_compiler_parses_parses_without_error_nodes() {
    let mut files = Vec::new();
    for dir in ["examples", "tests/ui", "stdlib", "editors/vscode/test"] {
        lawful_files(&root().join(dir), &mut files);
    }
    // A file that is not UTF-8 is an E011 and never parsed, by the compiler or by an editor.
    files.retain(|path| std::str::from_utf8(&std::fs::read(path).unwrap()).is_ok());
    let (clean, broken): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|path| !has_syntax_error(&std::fs::read_to_string(path).unwrap()));
    // The fixtures this test relies on are all there: the compiler's syntax errors are real.
    assert!(clean.len() > 100, "{} clean files", clean.len());
    assert!(
        broken
            .iter()
            .any(|p| p.ends_with("e001_syntax_recovery.lawful")),
        "{broken:?}"
    );
    let list: Vec<String> = clean
        .iter()
        .map(|p| format!("{:?}", p.display().to_string()))
        .collect();
    let broken_list: Vec<String> = broken
        .iter()
        .map(|p| format!("{:?}", p.display().to_string()))
        .collect();
    let script = format!(
        "{LUA_HELPERS}\nlocal clean = {{ {} }}\nlocal broken = {{ {} }}\n{}",
        list.join(", "),
        broken_list.join(", "),
        r#"
results.errors = {}
results.parsed = 0
for _, path in ipairs(clean) do
  local root = tree_of(read(path))
  results.parsed = results.parsed + 1
  if root:type() ~= 'source_file' or root:has_error() then
    table.insert(results.errors, path .. ':' .. (first_error(root) or root:type()))
  end
end
results.broken = {}
for _, path in ipairs(broken) do
  local root = tree_of(read(path))
  results.broken[path] = root:has_error() or root:sexpr():find('unknown_kind', 1, true) ~= nil
end
"#
    );
    let Some(results) = run_nvim(&script) else {
        return;
    };
    assert_eq!(results["parsed"], clean.len(), "{results}");
    assert_eq!(
        results["errors"],
        serde_json::json!([]),
        "tree-sitter finds errors where the compiler finds none"
    );
    // The other way round: where the compiler reports a syntax error, tree-sitter has an ERROR
    // or MISSING node, or an `unknown_kind` (a declaration kind it reads but does not know).
    // Two are not syntax errors to tree-sitter: nesting deeper than the compiler's limit, and a
    // declaration inside an unclosed block, which the compiler takes for a forgotten `}` and
    // tree-sitter for a statement with a block.
    let valid_to_tree_sitter = ["e001_too_deep.lawful", "e002_nested_declaration.lawful"];
    for path in &broken {
        let key = path.display().to_string();
        let expected = !valid_to_tree_sitter.iter().any(|name| path.ends_with(name));
        assert_eq!(
            results["broken"][&key], expected,
            "{key}: the compiler reports E001; tree-sitter errors: {}",
            results["broken"][&key]
        );
    }
}

/// One case of a tree-sitter corpus file.
struct Case {
    file: String,
    name: String,
    input: String,
    expected: String,
}

/// Reads `test/corpus/*.txt` as `tree-sitter test` does: a header between two lines of `=`,
/// the input, a line of `-`, the expected tree.
fn corpus() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(grammar().join("test/corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let is_rule = |line: &str, c: char| {
            let line = line.trim_end();
            line.len() >= 3 && line.chars().all(|x| x == c)
        };
        let mut i = 0;
        while i < lines.len() {
            if !is_rule(lines[i], '=') {
                assert!(
                    lines[i].trim().is_empty(),
                    "{file}: stray line {:?}",
                    lines[i]
                );
                i += 1;
                continue;
            }
            let name = lines[i + 1].trim().to_string();
            assert!(is_rule(lines[i + 2], '='), "{file}: header of {name}");
            let mut j = i + 3;
            while !is_rule(lines[j], '-') {
                j += 1;
            }
            let mut k = j + 1;
            while k < lines.len() && !is_rule(lines[k], '=') {
                k += 1;
            }
            // The CLI drops the one line break before the `---` line, and the header's blank line.
            let mut input: String = lines[i + 3..j].concat();
            if input.starts_with('\n') {
                input.remove(0);
            }
            if input.ends_with('\n') {
                input.pop();
            }
            cases.push(Case {
                file: file.clone(),
                name,
                input,
                expected: lines[j + 1..k].concat(),
            });
            i = k;
        }
    }
    cases
}

/// The S-expression with its whitespace normalised, as `tree-sitter test` compares them.
fn normalise(sexp: &str) -> String {
    let mut out = String::new();
    for word in sexp.split_whitespace() {
        if !out.is_empty() && !out.ends_with('(') && !word.starts_with(')') {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[test]
fn neovim_parses_every_corpus_case_to_its_expected_tree() {
    let cases = corpus();
    let names: Vec<&str> = cases.iter().map(|c| c.file.as_str()).collect();
    for file in [
        "blocks.txt",
        "comments.txt",
        "declarations.txt",
        "errors.txt",
        "values.txt",
    ] {
        assert!(names.contains(&file), "{file} is missing: {names:?}");
    }
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let inputs: Vec<String> = cases.iter().map(|c| format!("{:?}", c.input)).collect();
    let script = format!(
        "{LUA_HELPERS}\nlocal inputs = {{ {} }}\n{}",
        inputs.join(", "),
        r#"
results.trees = {}
for i, text in ipairs(inputs) do results.trees[i] = tree_of(text):sexpr() end
"#
    );
    let Some(results) = run_nvim(&script) else {
        return;
    };
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let got = results["trees"][i].as_str().unwrap_or_default();
        if normalise(got) != normalise(&case.expected) {
            failures.push(format!(
                "{} / {}:\n  expected {}\n  got      {}",
                case.file,
                case.name,
                normalise(&case.expected),
                normalise(got)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The error-recovery cases do recover: each has an ERROR or MISSING node and keeps the
    // declarations around it.
    for (i, case) in cases.iter().enumerate() {
        let tree = results["trees"][i].as_str().unwrap_or_default();
        assert_eq!(
            case.file == "errors.txt",
            tree.contains("(ERROR") || tree.contains("(MISSING"),
            "{} / {}: {tree}",
            case.file,
            case.name
        );
    }
}

/// A file with one of each thing the highlights name. Lines are 1-based below.
const HIGHLIGHTED: &str = r#"# the shop
activity orders "Orders" {
  allow B005 "balanced in LIA-2026-02"
  retention 7 years after last-order
  signed 2026-03-01; data name, email
  rights { access "account page" }
}
"#;

/// Every capture of a query file on [`HIGHLIGHTED`], as (capture name, line, column, text),
/// and the matched ranges' lines as (start, end) for folds.
fn captures(results: &Value, key: &str) -> Vec<(String, u64, u64, String)> {
    let mut found: Vec<_> = results[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} in {results}"))
        .iter()
        .map(|c| {
            (
                c["capture"].as_str().unwrap().to_string(),
                c["start"][0].as_u64().unwrap(),
                c["start"][1].as_u64().unwrap(),
                c["text"].as_str().unwrap().to_string(),
            )
        })
        .filter(|(name, ..)| !name.starts_with('_'))
        .collect();
    found.sort_by(|a, b| (a.1, a.2, &a.0).cmp(&(b.1, b.2, &b.0)));
    found
}

#[test]
fn the_highlight_queries_capture_the_right_tokens() {
    let script = format!(
        "{LUA_HELPERS}\nlocal text = {:?}\n{}",
        HIGHLIGHTED,
        r#"
local root = tree_of(text)
results.has_error = root:has_error()
local function run(path)
  local query = parse_query('lawful', read(ROOT .. '/editors/' .. path))
  local found = {}
  for _, match in query:iter_matches(root, text) do
    for id, nodes in pairs(match) do
      -- 0.11+ gives each capture a list of nodes, 0.7-0.10 one node.
      if type(nodes) ~= 'table' then nodes = { nodes } end
      for _, node in ipairs(nodes) do
        local row, col, start_byte = node:start()
        local end_row, end_col, end_byte = node:end_()
        table.insert(found, { capture = query.captures[id],
          start = { row + 1, col + 1 }, ['end'] = { end_row + 1, end_col + 1 },
          text = string.sub(text, start_byte + 1, end_byte) })
      end
    end
  end
  return found
end
results.highlights = run('tree-sitter-lawful/queries/highlights.scm')
results.folds = run('tree-sitter-lawful/queries/folds.scm')
results.helix = run('helix/queries/lawful/highlights.scm')
results.helix_indents = run('helix/queries/lawful/indents.scm')
"#
    );
    let Some(results) = run_nvim(&script) else {
        return;
    };
    assert_eq!(results["has_error"], false, "{results}");
    let highlights = captures(&results, "highlights");
    // No token has two captures: which pattern wins differs between editors (Neovim the last,
    // the tree-sitter CLI the first), so the queries never leave it to them.
    for pair in highlights.windows(2) {
        assert!(
            (pair[0].1, pair[0].2, &pair[0].3) != (pair[1].1, pair[1].2, &pair[1].3),
            "two captures on one token: {pair:?}"
        );
    }
    let expected = [
        ("comment", 1, 1, "# the shop"),
        ("keyword", 2, 1, "activity"),
        ("type", 2, 10, "orders"),
        ("string", 2, 17, "\"Orders\""),
        ("punctuation.bracket", 2, 26, "{"),
        ("keyword.directive", 3, 3, "allow"),
        ("constant", 3, 9, "B005"),
        ("string", 3, 14, "\"balanced in LIA-2026-02\""),
        ("property", 4, 3, "retention"),
        ("number", 4, 13, "7"),
        ("type.builtin", 4, 15, "years"),
        ("variable", 4, 21, "after"),
        ("variable", 4, 27, "last-order"),
        ("property", 5, 3, "signed"),
        ("number", 5, 10, "2026-03-01"),
        ("punctuation.delimiter", 5, 20, ";"),
        ("property", 5, 22, "data"),
        ("variable", 5, 27, "name"),
        ("punctuation.delimiter", 5, 31, ","),
        ("variable", 5, 33, "email"),
        ("property", 6, 3, "rights"),
        ("punctuation.bracket", 6, 10, "{"),
        ("property", 6, 12, "access"),
        ("string", 6, 19, "\"account page\""),
        ("punctuation.bracket", 6, 34, "}"),
        ("punctuation.bracket", 7, 1, "}"),
    ];
    let expected: Vec<(String, u64, u64, String)> = expected
        .iter()
        .map(|(name, line, col, text)| (name.to_string(), *line, *col, text.to_string()))
        .collect();
    // Every token of the file, each with its one capture.
    assert_eq!(highlights, expected);
    // Helix's copy captures the same tokens under Helix's names.
    let helix_name = |name: &str| match name {
        "number" => "constant.numeric".to_string(),
        "property" => "variable.other.member".to_string(),
        other => other.to_string(),
    };
    let renamed: Vec<_> = expected
        .iter()
        .map(|(name, line, col, text)| (helix_name(name), *line, *col, text.clone()))
        .collect();
    let mut helix = captures(&results, "helix");
    helix.sort_by(|a, b| (a.1, a.2, &a.0).cmp(&(b.1, b.2, &b.0)));
    assert_eq!(helix, renamed);
    // Folds: the declaration's block (lines 2–7) and the nested `rights { … }` (line 6).
    let folds: Vec<(u64, u64)> = results["folds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["capture"], "fold");
            (
                f["start"][0].as_u64().unwrap(),
                f["end"][0].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(folds, [(2, 7), (6, 6)], "{results}");
    // Helix indents inside every block and dedents at its `}`.
    let indents = captures(&results, "helix_indents");
    let indents: Vec<(&str, u64, u64)> = indents
        .iter()
        .map(|(name, line, col, _)| (name.as_str(), *line, *col))
        .collect();
    assert_eq!(
        indents,
        [
            ("indent", 2, 26),
            ("indent", 6, 10),
            ("outdent", 6, 34),
            ("outdent", 7, 1)
        ]
    );
}

#[test]
fn the_neovim_plugin_highlights_with_tree_sitter_when_the_parser_is_installed() {
    let script = r#"
vim.cmd('filetype plugin on')
vim.cmd('syntax on')
vim.opt.runtimepath:append(PLUGIN)
vim.cmd('runtime! ftdetect/*.vim')
local function open(name)
  vim.fn.writefile({ '# a comment', 'activity a { purpose billing }' }, WORK .. '/' .. name)
  vim.cmd('edit ' .. WORK .. '/' .. name)
  local buf = vim.api.nvim_get_current_buf()
  return {
    filetype = vim.bo[buf].filetype,
    treesitter = vim.treesitter.highlighter.active[buf] ~= nil,
    syntax = vim.fn.synIDattr(vim.fn.synID(1, 3, 1), 'name'),
  }
end
-- No parser installed: the plugin's syntax file highlights.
results.without = open('without.lawful')
-- The parser installed where Neovim looks for parsers (`parser/lawful.so` on the runtime path).
vim.opt.runtimepath:append(PARSER_DIR)
results.with = open('with.lawful')
local get_query = vim.treesitter.query.get or vim.treesitter.query.get_query
local query = get_query('lawful', 'highlights')
results.query_captures = query and #query.captures or 0
local folds = get_query('lawful', 'folds')
results.fold_captures = folds and folds.captures or {}
"#;
    let Some(results) = run_nvim(script) else {
        return;
    };
    assert_eq!(results["without"]["filetype"], "lawful", "{results}");
    assert_eq!(results["without"]["treesitter"], false, "{results}");
    assert_eq!(results["without"]["syntax"], "lawfulComment", "{results}");
    assert_eq!(results["with"]["filetype"], "lawful", "{results}");
    assert_eq!(results["with"]["treesitter"], true, "{results}");
    // Tree-sitter highlights alone: the regex syntax is off in that buffer.
    assert_eq!(results["with"]["syntax"], "", "{results}");
    assert!(
        results["query_captures"].as_u64().unwrap_or_default() >= 10,
        "{results}"
    );
    assert_eq!(results["fold_captures"], serde_json::json!(["fold"]));
}

#[test]
fn the_neovim_queries_are_the_grammars() {
    // The plugin ships the grammar's queries where Neovim looks for them; they must not drift.
    for name in ["highlights.scm", "folds.scm"] {
        let grammar = std::fs::read_to_string(grammar().join("queries").join(name)).unwrap();
        let plugin =
            std::fs::read_to_string(root().join("editors/nvim/queries/lawful").join(name)).unwrap();
        assert_eq!(
            plugin, grammar,
            "editors/nvim/queries/lawful/{name} differs from editors/tree-sitter-lawful/queries/{name}"
        );
    }
}

fn generated_grammar() -> Value {
    let text = std::fs::read_to_string(grammar().join("src/grammar.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The words of a pest rule written as `name = @{ ("a" | "b" | …) … }`.
fn pest_words(rule: &str) -> Vec<String> {
    let pest = std::fs::read_to_string(root().join("grammar/lawful.pest")).unwrap();
    let start = pest
        .find(&format!("\n{rule} "))
        .unwrap_or_else(|| panic!("no rule `{rule}` in grammar/lawful.pest"));
    let body = &pest[start..];
    let body = &body[body.find('(').unwrap()..body.find(')').unwrap()];
    let mut words: Vec<String> = body
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    words.sort();
    words
}

/// The strings of a generated rule that is a choice of strings.
fn tree_sitter_words(rule: &str) -> Vec<String> {
    let grammar = generated_grammar();
    let members = grammar["rules"][rule]["members"]
        .as_array()
        .unwrap_or_else(|| panic!("no choice `{rule}` in src/grammar.json"));
    let mut words: Vec<String> = members
        .iter()
        .map(|m| {
            assert_eq!(m["type"], "STRING", "{m}");
            m["value"].as_str().unwrap().to_string()
        })
        .collect();
    words.sort();
    words
}

#[test]
fn the_grammar_knows_the_compilers_kinds_and_units() {
    let kinds = pest_words("kind");
    assert!(kinds.contains(&"breach".to_string()), "{kinds:?}");
    assert_eq!(tree_sitter_words("kind"), kinds);
    let units = pest_words("unit");
    assert!(units.contains(&"weeks".to_string()), "{units:?}");
    assert_eq!(tree_sitter_words("unit"), units);
}

/// The names a grammar.json rule gives parser.c: its fields, aliases and keywords (strings
/// outside a `token`).
fn names_in(rule: &Value, found: &mut Vec<String>) {
    let text = |key: &str| rule[key].as_str().unwrap_or_default().to_string();
    match rule["type"].as_str().unwrap_or_default() {
        "STRING" => found.push(text("value")),
        "FIELD" => found.push(text("name")),
        "ALIAS" => found.push(text("value")),
        "TOKEN" | "IMMEDIATE_TOKEN" | "PATTERN" | "SYMBOL" | "BLANK" => return,
        _ => {}
    }
    if let Some(content) = rule.get("content") {
        names_in(content, found);
    }
    for member in rule["members"].as_array().into_iter().flatten() {
        names_in(member, found);
    }
}

#[test]
fn the_committed_parser_is_generated_from_grammar_js() {
    // grammar.js evaluated by Node with a stand-in for the CLI's grammar DSL gives exactly the
    // committed src/grammar.json: an edit of grammar.js without `tree-sitter generate` fails.
    let node = find("node").unwrap_or_else(|| {
        panic!("`node` is not on PATH: it evaluates grammar.js (`apt-get install nodejs`)")
    });
    let output = Command::new(node)
        .arg(grammar().join("test/grammar-json.js"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "test/grammar-json.js: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let evaluated: Value = serde_json::from_slice(&output.stdout).unwrap();
    let committed = generated_grammar();
    assert_eq!(committed["name"], "lawful");
    for (key, value) in committed.as_object().unwrap() {
        assert_eq!(
            &evaluated[key], value,
            "src/grammar.json `{key}` is not what grammar.js says: \
             run `tree-sitter generate --abi 14` in editors/tree-sitter-lawful"
        );
    }
    assert_eq!(evaluated, committed);
    // parser.c is generated from that grammar.json, for the ABI Neovim 0.7 (tree-sitter 0.20)
    // still loads: every rule, field, alias and keyword of it is a symbol or field name there.
    let parser = std::fs::read_to_string(grammar().join("src/parser.c")).unwrap();
    assert!(
        parser.contains("#define LANGUAGE_VERSION 14\n"),
        "generate with `--abi 14`: Neovim 0.7–0.9 load ABI 13–14 only"
    );
    let mut names = Vec::new();
    for (name, rule) in committed["rules"].as_object().unwrap() {
        if !name.starts_with('_') {
            names.push(name.clone()); // hidden rules have no name in parser.c
        }
        names_in(rule, &mut names);
    }
    assert!(names.contains(&"unknown_kind".to_string()), "{names:?}");
    assert!(names.contains(&"hours".to_string()), "{names:?}");
    for name in names {
        let quoted = serde_json::to_string(&name).unwrap();
        assert!(
            parser.contains(&format!("= {quoted},")),
            "{quoted} is not in src/parser.c: run `tree-sitter generate --abi 14`"
        );
    }
}

#[test]
fn the_helix_configuration_builds_this_grammar_with_its_queries() {
    let text = std::fs::read_to_string(root().join("editors/helix/languages.toml")).unwrap();
    let config: toml::Table = toml::from_str(&text).unwrap();
    let language = &config["language"].as_array().unwrap()[0];
    assert_eq!(language["name"].as_str(), Some("lawful"));
    let grammar_entry = &config["grammar"].as_array().unwrap()[0];
    assert_eq!(grammar_entry["name"].as_str(), Some("lawful"));
    // A local source: `hx --grammar build` compiles `<path>/src/parser.c`, committed here.
    let path = grammar_entry["source"]["path"].as_str().unwrap();
    assert!(path.ends_with("/editors/tree-sitter-lawful"), "{path}");
    assert!(grammar().join("src/parser.c").is_file());
    assert!(grammar().join("src/tree_sitter/parser.h").is_file());
    for query in ["highlights.scm", "indents.scm"] {
        assert!(
            root()
                .join("editors/helix/queries/lawful")
                .join(query)
                .is_file(),
            "{query}"
        );
    }
}
