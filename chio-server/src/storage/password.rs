//! Password hashing: argon2id over the MD5 digest an osu! client sends.
//!
//! osu! clients never send the password itself, only its MD5 digest in hex. That digest is
//! therefore the real secret, and is stored only as a slow argon2id hash of it (PHC string
//! format, `$argon2id$v=19$m=…,t=…,p=…$salt$hash`), with a random 16-byte salt from the
//! operating system's random number generator.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{self, PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};

use super::StorageError;

/// The cost of the argon2id hash stored for each password.
///
/// A policy applies to new hashes. A stored hash records its own parameters, so hashes made
/// under another policy still verify; [`SqliteStorage`](super::SqliteStorage) re-hashes a
/// password under the current policy when its owner next authenticates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PasswordPolicy {
    /// Memory per hash, in KiB (at least `8 * parallelism`).
    pub memory_kib: u32,
    /// Passes over the memory (at least 1).
    pub iterations: u32,
    /// Lanes (at least 1). Lanes are computed one after the other here, so more lanes cost
    /// more time, not more threads.
    pub parallelism: u32,
}

impl PasswordPolicy {
    /// The OWASP recommendation for argon2id: 19 MiB, 2 iterations, 1 lane. This is the
    /// [default](Default). A hash takes some tens of milliseconds in a release build.
    pub const OWASP: Self = Self { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };

    /// The cheapest argon2id allowed (8 KiB, 1 iteration, 1 lane), **for tests and load tests
    /// only**: it offers no real protection against guessing passwords from a leaked
    /// database. Load tests register thousands of accounts, which takes minutes at
    /// [`OWASP`](Self::OWASP) cost.
    pub const FAST_FOR_TESTS: Self = Self { memory_kib: 8, iterations: 1, parallelism: 1 };

    fn params(self) -> Result<Params, StorageError> {
        Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|e| StorageError::Hash(e.into()))
    }
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self::OWASP
    }
}

/// Checks that `password_md5` is 32 hex digits and returns it in lowercase, the form that
/// is hashed (osu! clients send lowercase; an uppercase digest means the same password).
pub(crate) fn normalize_md5(password_md5: &str) -> Result<String, StorageError> {
    if password_md5.len() == 32 && password_md5.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(password_md5.to_ascii_lowercase())
    } else {
        Err(StorageError::InvalidPasswordMd5)
    }
}

/// Hashes and verifies passwords under one [`PasswordPolicy`].
#[derive(Debug)]
pub(crate) struct Hasher {
    argon2: Argon2<'static>,
    params: Params,
    /// A hash of nothing anyone knows, verified when there is no real hash to verify against
    /// (an unknown name, a system account) so that such logins take as long as real ones
    /// and do not reveal which names exist.
    dummy: String,
}

impl Hasher {
    /// A hasher for `policy`; fails if the policy is out of argon2's range.
    pub(crate) fn new(policy: PasswordPolicy) -> Result<Self, StorageError> {
        let params = policy.params()?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let mut hasher = Self { argon2, params, dummy: String::new() };
        hasher.dummy = hasher.hash("00000000000000000000000000000000")?;
        Ok(hasher)
    }

    /// The PHC string of a fresh argon2id hash of `md5` (already normalized).
    pub(crate) fn hash(&self, md5: &str) -> Result<String, StorageError> {
        let hash = self.argon2.hash_password(md5.as_bytes()).map_err(StorageError::Hash)?;
        Ok(hash.to_string())
    }

    /// Whether `md5` (already normalized) matches the stored PHC string `stored`, and if so
    /// whether `stored` was made under other parameters than this hasher's. With `None`
    /// (no hash to check against) it does the same work and answers no.
    pub(crate) fn verify(&self, md5: &str, stored: Option<&str>) -> Result<Verified, StorageError> {
        let phc = PasswordHash::new(stored.unwrap_or(&self.dummy))
            .map_err(|e| StorageError::CorruptRow(format!("unreadable password hash: {e}")))?;
        match self.argon2.verify_password(md5.as_bytes(), &phc) {
            Ok(()) if stored.is_none() => Ok(Verified::No),
            Ok(()) => Ok(Verified::Yes { outdated: !self.is_current(&phc) }),
            Err(password_hash::Error::PasswordInvalid) => Ok(Verified::No),
            Err(e) => Err(StorageError::CorruptRow(format!("password hash does not verify: {e}"))),
        }
    }

    fn is_current(&self, phc: &PasswordHash) -> bool {
        phc.algorithm.as_str() == "argon2id"
            && phc.version == Some(Version::V0x13.into())
            && Params::try_from(phc).is_ok_and(|p| {
                (p.m_cost(), p.t_cost(), p.p_cost())
                    == (self.params.m_cost(), self.params.t_cost(), self.params.p_cost())
            })
    }
}

/// The outcome of [`Hasher::verify`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verified {
    /// The password matches.
    Yes {
        /// The stored hash was made under other parameters and should be replaced.
        outdated: bool,
    },
    /// The password does not match, or there was nothing to match.
    No,
}

#[cfg(test)]
mod tests {
    use super::*;

    const MD5: &str = "5f4dcc3b5aa765d61d8327deb882cf99"; // "password"

    #[test]
    fn md5_must_be_32_hex_digits() {
        assert_eq!(normalize_md5(&MD5.to_uppercase()).unwrap(), MD5);
        for bad in ["", "5f4dcc3b", &format!("{MD5}0"), "zf4dcc3b5aa765d61d8327deb882cf99", "password"] {
            assert!(matches!(normalize_md5(bad), Err(StorageError::InvalidPasswordMd5)), "{bad:?}");
        }
    }

    #[test]
    fn hashes_are_salted_argon2id_and_verify() {
        let hasher = Hasher::new(PasswordPolicy::FAST_FOR_TESTS).unwrap();
        let a = hasher.hash(MD5).unwrap();
        let b = hasher.hash(MD5).unwrap();
        assert_ne!(a, b, "a fresh salt each time");
        assert!(a.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{a}");
        assert_eq!(hasher.verify(MD5, Some(&a)).unwrap(), Verified::Yes { outdated: false });
        assert_eq!(hasher.verify(&"0".repeat(32), Some(&a)).unwrap(), Verified::No);
        assert_eq!(hasher.verify(MD5, None).unwrap(), Verified::No);
        assert!(matches!(hasher.verify(MD5, Some("plain")), Err(StorageError::CorruptRow(_))));
    }

    #[test]
    fn hashes_under_another_policy_are_outdated() {
        let old = Hasher::new(PasswordPolicy::FAST_FOR_TESTS).unwrap();
        let new = Hasher::new(PasswordPolicy { memory_kib: 16, ..PasswordPolicy::FAST_FOR_TESTS }).unwrap();
        let hash = old.hash(MD5).unwrap();
        assert_eq!(new.verify(MD5, Some(&hash)).unwrap(), Verified::Yes { outdated: true });
    }

    #[test]
    fn policies_out_of_range_are_rejected() {
        let bad = PasswordPolicy { memory_kib: 1, ..PasswordPolicy::FAST_FOR_TESTS };
        assert!(matches!(Hasher::new(bad), Err(StorageError::Hash(_))));
        let bad = PasswordPolicy { iterations: 0, ..PasswordPolicy::FAST_FOR_TESTS };
        assert!(matches!(Hasher::new(bad), Err(StorageError::Hash(_))));
    }
}
