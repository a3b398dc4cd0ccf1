//! Session ids.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

/// Identifies one connection of one client for the life of the server process.
///
/// Ids come from a [`SessionIds`] counter and are never reused by it; they are not user
/// ids (one user may hold several sessions over time, or at once with tournament clients).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionId(u64);

impl SessionId {
    /// The session id with this number.
    pub const fn new(id: u64) -> Self {
        Self(id)
    }

    /// The number of this id.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for SessionId {
    /// The bare number: `42`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl From<SessionId> for u64 {
    fn from(id: SessionId) -> Self {
        id.0
    }
}

/// Hands out [`SessionId`]s: 1, 2, 3, … from any thread.
///
/// ```
/// use chio_server::session::SessionIds;
///
/// let ids = SessionIds::new();
/// let a = ids.next();
/// let b = ids.next();
/// assert_ne!(a, b);
/// assert_eq!(a.to_string(), "1");
/// ```
#[derive(Debug)]
pub struct SessionIds {
    next: AtomicU64,
}

impl SessionIds {
    /// A counter whose first id is 1.
    pub const fn new() -> Self {
        Self { next: AtomicU64::new(1) }
    }

    /// A fresh id, distinct from every id this counter gave before.
    ///
    /// A `u64` counter does not wrap in practice: at a billion sessions a second it lasts
    /// over 500 years.
    #[allow(clippy::should_implement_trait)] // Not an iterator: it never ends and takes `&self`.
    pub fn next(&self) -> SessionId {
        // Only uniqueness matters, which the atomic add gives at any ordering.
        SessionId(self.next.fetch_add(1, Ordering::Relaxed))
    }
}

impl Default for SessionIds {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::Arc;

    use super::*;

    #[test]
    fn ids_count_from_one() {
        let ids = SessionIds::new();
        assert_eq!(ids.next(), SessionId::new(1));
        assert_eq!(ids.next().get(), 2);
        assert_eq!(u64::from(ids.next()), 3);
        assert_eq!(format!("{}", SessionId::new(77)), "77");
    }

    #[test]
    fn ids_are_unique_across_threads() {
        let ids = Arc::new(SessionIds::new());
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let ids = Arc::clone(&ids);
                std::thread::spawn(move || (0..1000).map(|_| ids.next()).collect::<Vec<_>>())
            })
            .collect();
        let mut seen = HashSet::new();
        for thread in threads {
            for id in thread.join().unwrap() {
                assert!(seen.insert(id), "{id} given twice");
            }
        }
        assert_eq!(seen.len(), 8000);
        assert_eq!(ids.next().get(), 8001);
    }
}
