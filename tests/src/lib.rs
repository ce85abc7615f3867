//! End-to-end support: the Partner Center simulator server.
