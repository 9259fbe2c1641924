mod support;
use std::fs;
use std::path::Path;
#[test]
fn dump() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui");
    let mut out = String::new();
    let mut paths: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    for path in paths.iter().filter(|p| p.extension().is_some_and(|e| e == "lawful")) {
        let text = fs::read_to_string(path).unwrap();
        let (sources, analysis) = support::check_snippet(&text);
        for d in &analysis.diagnostics {
            let at = d.location(&sources);
            let file = at.file.clone();
            if file.is_none() || file.as_deref() == Some("snippet.lawful") {
                out.push_str(&format!("{}\t{}\t{}\t{}\t{}\n", path.file_name().unwrap().to_string_lossy(), at.line, at.column, d.code, d.message.replace('\n'," ")));
            } else {
                out.push_str(&format!("{}\tOTHER:{}\t{}\t{}\t{}\n", path.file_name().unwrap().to_string_lossy(), at.line, at.column, d.code, d.message.replace('\n'," ")));
            }
        }
    }
    fs::write("/tmp/rules_ui_dump.tsv", out).unwrap();
}
