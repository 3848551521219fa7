//! `target/release/jianyan` is always the server: no other binary in the workspace has its name.
//!
//! When the browser app's binary was also called `jianyan`, a newcomer's first `cargo build --release`
//! at the root left the browser app, compiled for the host, at `target/release/jianyan`, which aborts at
//! start ("function not implemented on non-wasm32 targets").

use std::process::Command;

#[test]
fn the_name_jianyan_belongs_to_the_server_binary_alone() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");

    let mut named_jianyan = Vec::new();
    for package in metadata["packages"].as_array().expect("packages") {
        for target in package["targets"].as_array().expect("targets") {
            let is_bin = target["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|kind| kind == "bin"));
            if is_bin && target["name"] == "jianyan" {
                named_jianyan.push(package["name"].as_str().unwrap_or("?").to_owned());
            }
        }
    }

    assert_eq!(named_jianyan, ["jianyan-server"]);
}
