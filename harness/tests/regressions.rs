//! Replays every input kept under `fuzz/regressions/<target>/` (crashes the fuzzers found,
//! once fixed, and hand-picked hostile inputs) through its harness.

use std::path::Path;

#[test]
fn every_kept_input_runs_clean() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
    let mut total = 0;
    for (name, harness) in harness::TARGETS {
        let dir = root.join(name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .collect::<Result<Vec<_>, _>>()?;
        files.sort_by_key(|e| e.file_name());
        let inputs: Vec<_> = files.iter().filter(|e| e.file_name() != "README.md").collect();
        assert!(!inputs.is_empty(), "{name}: no regression inputs in {}", dir.display());
        for entry in inputs {
            let bytes = std::fs::read(entry.path())?;
            harness(&bytes);
            total += 1;
        }
    }
    assert!(total >= harness::TARGETS.len());
    Ok(())
}
