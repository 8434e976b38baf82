//! Link the `emaillint` binary as a fixed-address executable on
//! x86-64 and AArch64 GNU/Linux.
//!
//! A position-independent executable has its 22,000 relocations applied by
//! the dynamic loader at every start, which writes to ~100 pages of
//! read-only data: on the project's machine that was 0.5–1 ms of a
//! one-email run of ~7 ms (`docs/performance.md`). Linked with `-no-pie`,
//! the linker applies them once. The cost is that the binary itself is not
//! placed at a random address (the heap, the stack and shared libraries
//! still are). Set `EMAILLINT_PIE=1` at build time to keep the default.
//! Only the binary is affected: the library, tests and other targets link
//! as usual.

fn main() {
    println!("cargo:rerun-if-env-changed=EMAILLINT_PIE");
    println!("cargo:rerun-if-changed=build.rs");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let linux_gnu = var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu";
    let arch = var("CARGO_CFG_TARGET_ARCH");
    let keep_pie = !var("EMAILLINT_PIE").is_empty() && var("EMAILLINT_PIE") != "0";
    if linux_gnu && matches!(arch.as_str(), "x86_64" | "aarch64") && !keep_pie {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
