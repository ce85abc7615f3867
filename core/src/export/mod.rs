//! Exports with a stable schema: CSV ([`csv`]) and JSON Lines ([`jsonl`]).
//!
//! Both write records and summaries with their exact money as Partner
//! Center wrote it. Column and field names are camelCase and documented on
//! each table; they don't change without a major version.

pub mod csv;
pub mod jsonl;
