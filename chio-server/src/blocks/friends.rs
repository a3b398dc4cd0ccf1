//! Friend lists of the users online, cached in front of [`Storage`].
//!
//! The server [loads](Friends::load) a user's list from [`Storage::friends`] at login and
//! [unloads](Friends::unload) it at logout; in between, [`Friends::add`] and
//! [`Friends::remove`] write through to storage first and change the cache only when the
//! write succeeded, so the cache never shows a friend the database does not have.
//!
//! # Blocking
//!
//! `add` and `remove` call the storage, which is blocking (SQLite on disk). A server should
//! call them where blocking is acceptable (a blocking-capable thread, or briefly under
//! its own lock for a small deployment), never on an async hot path. The reads
//! ([`Friends::list`], [`Friends::is_friend`]) never touch storage.

use std::collections::HashMap;

use crate::storage::{Storage, StorageError};

/// The most friends cached per user: a list longer than this in storage is cut, so one
/// account cannot make the cache (or its `FriendsList` packet) grow without bound.
pub const MAX_FRIENDS: usize = 1024;

/// Friend lists per online user id; see the [module documentation](self).
#[derive(Debug, Default)]
pub struct Friends {
    /// Sorted ascending, deduplicated, at most [`MAX_FRIENDS`] long.
    lists: HashMap<i32, Vec<i32>>,
}

impl Friends {
    /// No lists loaded.
    pub fn new() -> Self {
        Self::default()
    }

    /// Caches `user_id`'s list (what [`Storage::friends`] returned at login), replacing
    /// any list loaded before.
    pub fn load(&mut self, user_id: i32, mut ids: Vec<i32>) {
        ids.sort_unstable();
        ids.dedup();
        ids.truncate(MAX_FRIENDS);
        self.lists.insert(user_id, ids);
    }

    /// Puts `friend_id` on `user_id`'s list, in storage first, then in the cache if the
    /// user's list is loaded. Returns whether the stored list changed. A cache already at
    /// [`MAX_FRIENDS`] keeps its size (storage still records the friend).
    ///
    /// Blocking: see the [module documentation](self).
    ///
    /// # Errors
    ///
    /// What [`Storage::add_friend`] returns (an unknown account, befriending oneself); the
    /// cache is then unchanged.
    pub fn add(&mut self, storage: &dyn Storage, user_id: i32, friend_id: i32) -> Result<bool, StorageError> {
        let changed = storage.add_friend(user_id, friend_id)?;
        if let Some(list) = self.lists.get_mut(&user_id)
            && let Err(at) = list.binary_search(&friend_id)
            && list.len() < MAX_FRIENDS
        {
            list.insert(at, friend_id);
        }
        Ok(changed)
    }

    /// Takes `friend_id` off `user_id`'s list, in storage first, then in the cache.
    /// Returns whether the stored list changed.
    ///
    /// Blocking: see the [module documentation](self).
    ///
    /// # Errors
    ///
    /// What [`Storage::remove_friend`] returns; the cache is then unchanged.
    pub fn remove(
        &mut self,
        storage: &dyn Storage,
        user_id: i32,
        friend_id: i32,
    ) -> Result<bool, StorageError> {
        let changed = storage.remove_friend(user_id, friend_id)?;
        if let Some(list) = self.lists.get_mut(&user_id)
            && let Ok(at) = list.binary_search(&friend_id)
        {
            list.remove(at);
        }
        Ok(changed)
    }

    /// The ids on `user_id`'s list, ascending; empty if it is not loaded.
    pub fn list(&self, user_id: i32) -> &[i32] {
        self.lists.get(&user_id).map_or(&[], Vec::as_slice)
    }

    /// Whether `of` is on `user_id`'s list.
    pub fn is_friend(&self, user_id: i32, of: i32) -> bool {
        self.lists.get(&user_id).is_some_and(|list| list.binary_search(&of).is_ok())
    }

    /// Whether `user_id`'s list is loaded.
    pub fn is_loaded(&self, user_id: i32) -> bool {
        self.lists.contains_key(&user_id)
    }

    /// Drops `user_id`'s list from the cache (at logout of their last session).
    pub fn unload(&mut self, user_id: i32) {
        self.lists.remove(&user_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::{PasswordPolicy, SqliteStorage};

    const MD5: &str = "5f4dcc3b5aa765d61d8327deb882cf99";

    fn storage() -> (SqliteStorage, i32, i32, i32) {
        let storage = SqliteStorage::in_memory(PasswordPolicy::FAST_FOR_TESTS).unwrap();
        let a = storage.register("alice", MD5).unwrap().id;
        let b = storage.register("bob", MD5).unwrap().id;
        let c = storage.register("carol", MD5).unwrap().id;
        (storage, a, b, c)
    }

    #[test]
    fn friends_persist_through_storage() {
        let (storage, a, b, c) = storage();
        let mut friends = Friends::new();
        friends.load(a, storage.friends(a).unwrap());
        assert!(friends.list(a).is_empty());

        assert!(friends.add(&storage, a, c).unwrap());
        assert!(friends.add(&storage, a, b).unwrap());
        assert!(!friends.add(&storage, a, b).unwrap(), "adding twice changes nothing");
        assert_eq!(friends.list(a), [b, c]);
        assert!(friends.is_friend(a, b));
        assert!(!friends.is_friend(b, a), "friendship is one way");

        // A fresh cache (a new login) reads the same list back from storage.
        friends.unload(a);
        assert!(friends.list(a).is_empty() && !friends.is_loaded(a));
        friends.load(a, storage.friends(a).unwrap());
        assert_eq!(friends.list(a), [b, c]);

        assert!(friends.remove(&storage, a, b).unwrap());
        assert!(!friends.remove(&storage, a, b).unwrap());
        assert_eq!(friends.list(a), [c]);
        assert_eq!(storage.friends(a).unwrap(), [c]);
    }

    #[test]
    fn failed_writes_leave_the_cache_alone() {
        let (storage, a, _, _) = storage();
        let mut friends = Friends::new();
        friends.load(a, vec![]);
        assert!(matches!(friends.add(&storage, a, a), Err(StorageError::FriendSelf(_))));
        assert!(friends.add(&storage, a, 999_999).is_err());
        assert!(friends.list(a).is_empty());
    }

    #[test]
    fn adds_for_unloaded_users_only_reach_storage() {
        let (storage, a, b, _) = storage();
        let mut friends = Friends::new();
        assert!(friends.add(&storage, a, b).unwrap());
        assert!(!friends.is_loaded(a));
        assert_eq!(storage.friends(a).unwrap(), [b]);
    }

    #[test]
    fn loaded_lists_are_sorted_deduplicated_and_capped() {
        let mut friends = Friends::new();
        friends.load(1, vec![5, 3, 5, 4]);
        assert_eq!(friends.list(1), [3, 4, 5]);
        friends.load(2, (0..5000).rev().collect());
        assert_eq!(friends.list(2).len(), MAX_FRIENDS);
        assert_eq!(friends.list(2)[0], 0);
    }
}
