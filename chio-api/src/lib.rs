//! The osu! client API concept (work in progress).
