//! The media engine.
