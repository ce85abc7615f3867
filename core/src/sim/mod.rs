//! The deterministic Partner Center simulator.
