//! The wasm suites in Node (no configure line: wasm-bindgen-test-runner
//! runs them under Node).
#![cfg(target_arch = "wasm32")]

mod suite;
