//! What the CLI's integration tests share: a throwaway site to serve, and `ecs-password serve`
//! started on a free port.
#![allow(dead_code)] // each test crate uses its own subset

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A project folder with a page and a (dummy) wasm package.
pub fn site() -> PathBuf {
    let root = std::env::temp_dir().join(format!(
        "ecs-serve-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(root.join("www")).unwrap();
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    std::fs::write(
        root.join("www/index.html"),
        format!("<!doctype html><title>t</title>{}", "x".repeat(4000)),
    )
    .unwrap();
    std::fs::write(root.join("www/app.js"), "export const a = 1;\n").unwrap();
    std::fs::write(
        root.join("pkg/ecs_password_bg.wasm"),
        [0u8, 97, 115, 109, 1, 0, 0, 0].repeat(500),
    )
    .unwrap();
    std::fs::write(root.join("pkg/ecs_password.js"), "export default 1;\n").unwrap();
    std::fs::write(root.join("secret.txt"), "outside www").unwrap();
    root
}

pub fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

pub struct Server {
    pub child: Child,
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

pub fn start(root: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecs-password"))
        .args(["serve", "--listen", "127.0.0.1:0", "--root"])
        .arg(root)
        .args(extra)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    Server { child, url }
}
