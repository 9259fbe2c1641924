//! Scaffolding for the tests that run the real binary on a workspace written to disk: a fresh
//! directory that deletes itself, a complete controller, and an activity with one known finding.
#![allow(dead_code)]

use std::fs;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A controller with every rights channel and the measures the examples need: it adds no finding.
pub const CONTROLLER: &str = r#"controller acme "Acme B.V." {
  country NL
  contact "privacy@acme.example"
  notice "https://acme.example/privacy"
  measures encryption, access-control, https
  rights {
    access "account page"
    rectification "account page"
    erasure "privacy@acme.example"
    restriction "privacy@acme.example"
    objection "privacy@acme.example"
    portability "account page" { format json }
    withdraw-consent "preference centre"
    verify-identity "login"
  }
}
"#;

/// `NAME` without a basis: one B001 at line 1, column 10.
pub fn no_basis(name: &str) -> String {
    format!(
        "activity {name} \"Orders\" {{\n  purpose billing\n  subjects customers\n  data name, email\n  retention 7 years\n}}\n"
    )
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh directory under the temp dir (its real path), deleted on drop.
pub struct Dir {
    pub root: PathBuf,
}

impl Dir {
    pub fn new(name: &str) -> Dir {
        let unique = format!(
            "lawful-test-{name}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let root = fs::canonicalize(std::env::temp_dir()).unwrap().join(unique);
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).unwrap();
        Dir { root }
    }

    pub fn file(&self, relative: &str, contents: impl AsRef<[u8]>) -> &Dir {
        let path = self.root.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
        self
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}
