//! Permissions: the set an application asks for and is granted, and which one each request needs.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A set of permissions, written on the wire as `read|subscribe|notify|interact` or `full`.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Permissions(u8);

impl Permissions {
    /// No permission.
    pub const NONE: Self = Self(0);
    /// Request status, spectating and multiplayer state.
    pub const READ: Self = Self(1);
    /// Subscribe to state changes and receive them as they happen.
    pub const SUBSCRIBE: Self = Self(1 << 1);
    /// Pop up a notification in the client.
    pub const NOTIFY: Self = Self(1 << 2);
    /// Make the client perform actions (no request is defined yet), and see room passwords.
    pub const INTERACT: Self = Self(1 << 3);
    /// Every permission.
    pub const FULL: Self = Self(0b1111);

    /// The single permissions in wire order, with their wire names.
    pub const NAMED: [(Self, &'static str); 4] = [
        (Self::READ, "read"),
        (Self::SUBSCRIBE, "subscribe"),
        (Self::NOTIFY, "notify"),
        (Self::INTERACT, "interact"),
    ];

    /// Whether every permission of `other` is in `self`.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Both sets together.
    #[must_use]
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }
}

impl std::ops::BitOr for Permissions {
    type Output = Self;

    fn bitor(self, rhs: Self) -> Self {
        self.union(rhs)
    }
}

impl fmt::Display for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Self::FULL {
            return f.write_str("full");
        }
        let mut first = true;
        for (permission, name) in Self::NAMED {
            if self.contains(permission) {
                if !first {
                    f.write_str("|")?;
                }
                f.write_str(name)?;
                first = false;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Permissions({self})")
    }
}

/// A permissions string that is not a `|`-separated list of known names.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PermissionsParseError {
    /// The string (or one of its `|`-separated parts) is empty.
    #[error("empty permission in {0:?}")]
    Empty(String),
    /// A part names no permission.
    #[error("unknown permission {0:?}")]
    Unknown(String),
}

impl FromStr for Permissions {
    type Err = PermissionsParseError;

    /// Parses `read|notify`, `full`, and so on: names exactly as written, no spaces;
    /// repeats are allowed, an empty part is not.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut set = Self::NONE;
        for part in s.split('|') {
            set = set.union(match part {
                "" => return Err(PermissionsParseError::Empty(s.to_owned())),
                "full" => Self::FULL,
                _ => Self::NAMED
                    .iter()
                    .find(|(_, name)| *name == part)
                    .map(|(permission, _)| *permission)
                    .ok_or_else(|| PermissionsParseError::Unknown(part.to_owned()))?,
            });
        }
        Ok(set)
    }
}

impl Serialize for Permissions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Permissions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Every request an authenticated application can make, by its `type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// `status`.
    Status,
    /// `spectating_status`.
    SpectatingStatus,
    /// `multiplayer_status`.
    MultiplayerStatus,
    /// `subscribe`.
    Subscribe,
    /// `unsubscribe`.
    Unsubscribe,
    /// `notification`.
    Notification,
    /// `get_attention`.
    GetAttention,
    /// `disconnect`.
    Disconnect,
    /// `auth` (only valid as the first message).
    Auth,
}

impl RequestKind {
    /// Every request kind.
    pub const ALL: [Self; 9] = [
        Self::Status,
        Self::SpectatingStatus,
        Self::MultiplayerStatus,
        Self::Subscribe,
        Self::Unsubscribe,
        Self::Notification,
        Self::GetAttention,
        Self::Disconnect,
        Self::Auth,
    ];

    /// The `type` that names this request on the wire.
    pub const fn wire_name(self) -> &'static str {
        match self {
            Self::Status => "status",
            Self::SpectatingStatus => "spectating_status",
            Self::MultiplayerStatus => "multiplayer_status",
            Self::Subscribe => "subscribe",
            Self::Unsubscribe => "unsubscribe",
            Self::Notification => "notification",
            Self::GetAttention => "get_attention",
            Self::Disconnect => "disconnect",
            Self::Auth => "auth",
        }
    }

    /// The request of this `type`, if it is one.
    pub fn from_wire_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.wire_name() == name)
    }

    /// The permission a session needs to make this request (none for `unsubscribe`,
    /// `disconnect` and `auth`).
    ///
    /// `interact` covers `get_attention`; the server answers any `type` it does not know
    /// with `unsupported_feature`, whatever permission that request would need.
    pub const fn required_permission(self) -> Permissions {
        match self {
            Self::Status | Self::SpectatingStatus | Self::MultiplayerStatus => Permissions::READ,
            Self::Subscribe => Permissions::SUBSCRIBE,
            Self::Notification => Permissions::NOTIFY,
            Self::GetAttention => Permissions::INTERACT,
            // Stopping pushes harms nobody, and a reader (pushed to since its request) may
            // not hold subscribe.
            Self::Unsubscribe | Self::Disconnect | Self::Auth => Permissions::NONE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_sets() {
        let set: Permissions = "read|notify".parse().unwrap();
        assert!(set.contains(Permissions::READ) && set.contains(Permissions::NOTIFY));
        assert!(!set.contains(Permissions::SUBSCRIBE));
        assert_eq!(set.to_string(), "read|notify");
        assert_eq!("interact|read|read".parse::<Permissions>().unwrap().to_string(), "read|interact");
        assert_eq!("full".parse::<Permissions>().unwrap(), Permissions::FULL);
        assert_eq!("read|subscribe|notify|interact".parse::<Permissions>().unwrap().to_string(), "full");
    }

    #[test]
    fn refuses_unknown_and_empty_parts() {
        assert_eq!("".parse::<Permissions>(), Err(PermissionsParseError::Empty(String::new())));
        assert!(matches!("read|".parse::<Permissions>(), Err(PermissionsParseError::Empty(_))));
        assert_eq!("read|admin".parse::<Permissions>(), Err(PermissionsParseError::Unknown("admin".into())));
        // Names are exact: no case folding, no spaces.
        assert!("READ".parse::<Permissions>().is_err());
        assert!("read | notify".parse::<Permissions>().is_err());
    }

    #[test]
    fn every_request_names_its_permission() {
        for kind in RequestKind::ALL {
            assert_eq!(RequestKind::from_wire_name(kind.wire_name()), Some(kind));
        }
        assert_eq!(RequestKind::Status.required_permission(), Permissions::READ);
        assert!(RequestKind::Unsubscribe.required_permission().is_empty());
        assert_eq!(RequestKind::Notification.required_permission(), Permissions::NOTIFY);
        assert!(RequestKind::Disconnect.required_permission().is_empty());
        assert_eq!(RequestKind::from_wire_name("join_room"), None);
    }
}
