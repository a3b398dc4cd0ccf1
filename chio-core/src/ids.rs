//! Packet ids on the wire, per build.
//!
//! Every packet has a canonical (modern) id. Builds before b1788 number most packets one
//! higher, and the numbering shifted a few more times in 2008, around two packets that
//! only those builds have: `BanchoIrcJoin` (wire id 11) and `OsuMatchChangeBeatmap`.
//!
//! | builds | canonical → wire |
//! |---|---|
//! | b282–b322 | 11–44 → +1; 45–50 unchanged; 51+ → +1 |
//! | b323–b333 | 11–44 → +1; the rest unchanged; `OsuMatchChangeBeatmap` is 50 |
//! | b334–b339 | 11+ → +1, then +1 more if that reaches 51; `OsuMatchChangeBeatmap` is 51 |
//! | b340–b1787 | 11+ → +1 |
//! | b1788+ | unchanged |
//!
//! `BanchoIrcJoin` is 11 in every build before b1788. Reading maps a wire id back to the
//! one canonical id that is written as it; a wire id no packet is written as is unknown.
//! (The reference's reader also accepts a few such ids, mapping them onto neighbours.)

/// Canonical id of `BanchoIrcJoin`, a packet of builds before b1788 only.
pub const IRC_JOIN: u16 = 0xFFFF;

/// Canonical id of `OsuMatchChangeBeatmap`, a packet of b323–b339 only.
pub const MATCH_CHANGE_BEATMAP: u16 = 0xFFFE;

/// Highest modern canonical id.
pub const MAX_MODERN_ID: u16 = 109;

/// Highest id a downstream crate may give a packet of its own: ids from
/// `MAX_MODERN_ID + 1` to this one are translated per build like the standard ones and
/// read back; the ids above are the legacy packets' and the tables' own.
pub const MAX_CUSTOM_ID: u16 = 0xff00;

/// Whether `id` is a canonical packet id (0–109 except the unused 45 and 84, and the
/// two legacy packets).
#[inline]
pub const fn is_canonical(id: u16) -> bool {
    // One entry per modern id: a load instead of four comparisons.
    const MODERN: [bool; MAX_MODERN_ID as usize + 1] = {
        let mut table = [true; MAX_MODERN_ID as usize + 1];
        table[45] = false;
        table[84] = false;
        table
    };
    if id <= MAX_MODERN_ID { MODERN[id as usize] } else { matches!(id, IRC_JOIN | MATCH_CHANGE_BEATMAP) }
}

/// Whether `build` writes the standard ids (up to [`MAX_MODERN_ID`]) as they are: the
/// wire id of a standard packet is its canonical id (b1788 and later).
#[inline]
pub(crate) const fn writes_ids_as_they_are(build: u32) -> bool {
    matches!(Era::of(build), Era::Modern)
}

/// The numbering eras.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Era {
    /// b282–b322.
    First,
    /// b323–b333.
    ChangeBeatmapAt50,
    /// b334–b339.
    ChangeBeatmapAt51,
    /// b340–b1787.
    Shifted,
    /// b1788 and later.
    Modern,
}

impl Era {
    const ALL: [Self; 5] =
        [Self::First, Self::ChangeBeatmapAt50, Self::ChangeBeatmapAt51, Self::Shifted, Self::Modern];

    const fn of(build: u32) -> Self {
        match build {
            0..323 => Self::First,
            323..334 => Self::ChangeBeatmapAt50,
            334..340 => Self::ChangeBeatmapAt51,
            340..1788 => Self::Shifted,
            _ => Self::Modern,
        }
    }

    const fn index(self) -> usize {
        self as usize
    }

    /// Canonical → wire, for a canonical id.
    const fn wire_id(self, id: u16) -> u16 {
        match self {
            Self::Modern => id,
            _ if id == IRC_JOIN => 11,
            Self::First => match id {
                0..=10 | 45..=50 => id,
                11..=44 => id + 1,
                _ => id.saturating_add(1),
            },
            Self::ChangeBeatmapAt50 => match id {
                MATCH_CHANGE_BEATMAP => 50,
                11..=44 => id + 1,
                _ => id,
            },
            Self::ChangeBeatmapAt51 => match id {
                MATCH_CHANGE_BEATMAP => 51,
                0..=10 => id,
                _ if id + 1 >= 51 => id.saturating_add(2),
                _ => id + 1,
            },
            Self::Shifted => match id {
                0..=10 => id,
                _ => id.saturating_add(1),
            },
        }
    }
}

/// Wire ids 0–130 per era, mapped back to canonical ids ([`NONE`] marks "none"). Every
/// packet's wire id is in that range except the legacy ChangeBeatmap's 0xffff in the
/// eras that shift it, which [`canonical_id`] handles on its own.
const READ_TABLE_LEN: usize = 131;
const NONE: u16 = u16::MAX - 2;

const READ_TABLES: [[u16; READ_TABLE_LEN]; 5] = {
    let mut tables = [[NONE; READ_TABLE_LEN]; 5];
    let mut era = 0;
    while era < Era::ALL.len() {
        let mut id: u32 = 0;
        while id <= u16::MAX as u32 {
            let id16 = id as u16;
            if is_canonical(id16) {
                let wire = Era::ALL[era].wire_id(id16) as usize;
                if wire < READ_TABLE_LEN {
                    tables[era][wire] = id16;
                }
            }
            // Only 0..=130 and the two legacy ids can be canonical; skip the gap.
            id = if id == 130 { MATCH_CHANGE_BEATMAP as u32 } else { id + 1 };
        }
        era += 1;
    }
    tables
};

/// The id `build` puts on the wire for the packet with canonical id `id`.
///
/// ```
/// use chio_core::ids::{wire_id, IRC_JOIN};
/// assert_eq!(wire_id(11, 20250306), 11); // BanchoUserStats
/// assert_eq!(wire_id(11, 1787), 12);
/// assert_eq!(wire_id(IRC_JOIN, 282), 11);
/// ```
#[inline]
pub const fn wire_id(id: u16, build: u32) -> u16 {
    Era::of(build).wire_id(id)
}

/// The canonical id of the packet `build` writes as wire id `wire`, if any.
///
/// Ids above the standard table up to [`MAX_CUSTOM_ID`] (a downstream crate's own
/// packets) map back by the same rule that [`wire_id`] applies to them, so a custom id
/// survives the trip in every era; any other id that no packet is written as is `None`.
///
/// ```
/// use chio_core::ids::{canonical_id, wire_id, MATCH_CHANGE_BEATMAP};
/// assert_eq!(canonical_id(12, 1787), Some(11));
/// assert_eq!(canonical_id(51, 334), Some(MATCH_CHANGE_BEATMAP));
/// assert_eq!(canonical_id(45, 20250306), None); // unused id
/// // A custom id, in a modern build and in one that shifts ids by one.
/// assert_eq!(canonical_id(1000, 20250306), Some(1000));
/// assert_eq!(canonical_id(wire_id(1000, 1787), 1787), Some(1000));
/// ```
#[inline]
pub fn canonical_id(wire: u16, build: u32) -> Option<u16> {
    let era = Era::of(build);
    if era == Era::Modern {
        return if wire <= MAX_MODERN_ID || wire > MAX_CUSTOM_ID {
            is_canonical(wire).then_some(wire)
        } else {
            Some(wire)
        };
    }
    match READ_TABLES[era.index()].get(usize::from(wire)) {
        Some(&id) if id != NONE => Some(id),
        Some(_) => None,
        // Eras that shift ids up write the legacy ChangeBeatmap (0xfffe) as 0xffff.
        None if wire == era.wire_id(MATCH_CHANGE_BEATMAP) => Some(MATCH_CHANGE_BEATMAP),
        // Above the table: an id of no standard packet, shifted by the era's rule.
        None => custom_id(era, wire),
    }
}

/// The id above the standard table that `era` writes as `wire`.
const fn custom_id(era: Era, wire: u16) -> Option<u16> {
    let shift = match era {
        Era::Modern | Era::ChangeBeatmapAt50 => 0,
        Era::First | Era::Shifted => 1,
        Era::ChangeBeatmapAt51 => 2,
    };
    match wire.checked_sub(shift) {
        Some(id) if id > MAX_MODERN_ID && id <= MAX_CUSTOM_ID && era.wire_id(id) == wire => Some(id),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_canonical_id_reads_back_in_every_era() {
        for era in Era::ALL {
            let build = match era {
                Era::First => 282,
                Era::ChangeBeatmapAt50 => 323,
                Era::ChangeBeatmapAt51 => 334,
                Era::Shifted => 340,
                Era::Modern => 1788,
            };
            for id in
                (0..=MAX_MODERN_ID).chain([IRC_JOIN, MATCH_CHANGE_BEATMAP]).filter(|&id| is_canonical(id))
            {
                let wire = wire_id(id, build);
                // One collision exists: in b323–b333 both BanchoMatchTransferHost (a packet
                // of b334 on) and OsuMatchChangeBeatmap are written as 50; 50 reads as the
                // packet those builds have.
                let expected =
                    if era == Era::ChangeBeatmapAt50 && id == 50 { MATCH_CHANGE_BEATMAP } else { id };
                assert_eq!(canonical_id(wire, build), Some(expected), "{era:?}: id {id} wire {wire}");
            }
            // Ids above the standard table come back too.
            for id in [131, 200, 1000, MAX_CUSTOM_ID] {
                assert_eq!(canonical_id(wire_id(id, build), build), Some(id), "{era:?}: custom id {id}");
            }
        }
    }
}
