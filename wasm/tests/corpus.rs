//! The hostile-response corpus (`tests/corpus/corpus.json`), run in wasm
//! (Node) with the same runner as the native suite.
#![cfg(target_arch = "wasm32")]

#[path = "../../core/tests/support/corpus.rs"]
mod corpus;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn the_corpus_gives_the_expected_outcomes_in_wasm() {
    match corpus::check_all() {
        Ok(passed) => assert!(passed >= 50, "only {passed} runs"),
        Err(failures) => panic!(
            "{} corpus runs failed in wasm:\n{}",
            failures.len(),
            failures.join("\n")
        ),
    }
}
