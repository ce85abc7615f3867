//! Every hostile or broken response in `tests/corpus/` gives its expected
//! outcome: a correct result or a typed error, never a panic or a hang.

#[path = "support/corpus.rs"]
mod corpus;

#[test]
fn the_corpus_gives_the_expected_outcomes() {
    let cases: corpus::Corpus = serde_json::from_str(corpus::CORPUS).unwrap();
    assert!(
        cases.cases.len() >= 50,
        "the corpus has {} cases",
        cases.cases.len()
    );
    match corpus::check_all() {
        Ok(passed) => println!("corpus: {passed} runs passed, 0 failed"),
        Err(failures) => panic!(
            "{} corpus runs failed:\n{}",
            failures.len(),
            failures.join("\n")
        ),
    }
}
