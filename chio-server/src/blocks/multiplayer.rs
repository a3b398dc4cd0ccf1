//! Multiplayer.
