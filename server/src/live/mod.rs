//! The server side of live collaboration: one task per WebSocket ([`socket`]) over the
//! process's `domain::live::Hub`.

pub mod limit;
pub mod socket;
