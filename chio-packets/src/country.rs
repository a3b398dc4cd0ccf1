//! The osu! client's country table.
//!
//! Bancho tells a client where a user is by a *country index*: the position of the
//! country in a table compiled into the client. [`Country`] is one entry of that table,
//! with its two-letter acronym and its English name.
//!
//! The order is the client's, not alphabetical: the table starts with `XX` (Unknown),
//! `OC` (Oceania) and `EU` (Europe), runs mostly alphabetically from `AD` to `ZW` with a
//! few late additions slotted in (`TL` after `TO`, `RS` after `YT`, `ME` after `ZM`), and
//! ends with the placeholder codes of the legacy GeoIP databases (`A1`, a second
//! "Unknown"; `A2`; `O1`) and the codes added after them (`AX` to `MF`). An index is only
//! meaningful against this exact order.
//!
//! The country's wire form depends on the build:
//!
//! | builds | sent as |
//! |---|---|
//! | b282–b1795 | the country's [name](Country::name) as a string, optionally `"Name / City"` |
//! | b1796+ | the country's [index](Country::index) as a byte (a separate city string until b20121203) |
//!
//! See [`BanchoUserPresence`](crate::presence::BanchoUserPresence) for the presence
//! fields that carry it.
//!
//! ```
//! use chio_packets::country::Country;
//!
//! let japan = Country::from_acronym("jp").unwrap();
//! assert_eq!(japan, Country::JP);
//! assert_eq!(japan.index(), 111);
//! assert_eq!(japan.name(), "Japan");
//! assert_eq!(Country::from_index(111), Some(japan));
//! assert_eq!(Country::from_index(253), None);
//! ```

use std::fmt;

/// An entry of the osu! client's country table, stored as its index.
///
/// Every value is a valid entry: the only ways to make one are the named constants
/// ([`Country::DE`], [`Country::JP`], ...), [`Country::from_index`],
/// [`Country::from_acronym`] and [`Country::ALL`]. Ordering follows the table, not the
/// acronyms or names.
///
/// With the `serde` feature a country is serialized as its acronym (`"DE"`) and
/// deserialized from one, in any ASCII case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country(u8);

impl Country {
    /// The number of entries in the table; indices run from 0 to `COUNT - 1`.
    pub const COUNT: usize = 253;

    /// The "Unknown" entry at index 0 (`XX`), sent when a user's location is not known.
    ///
    /// `A1` (index 244) is named "Unknown" too, but is a different entry.
    pub const UNKNOWN: Self = Self::XX;

    /// The country at `index`, or `None` past the end of the table (253 and above).
    pub const fn from_index(index: u8) -> Option<Self> {
        if (index as usize) < Self::COUNT { Some(Self(index)) } else { None }
    }

    /// The country whose acronym is `acronym`, ignoring ASCII case (`"de"` finds
    /// [`Country::DE`]); `None` for anything not in the table.
    pub fn from_acronym(acronym: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|country| country.acronym().eq_ignore_ascii_case(acronym))
    }

    /// The index sent to b1796+ clients.
    pub const fn index(self) -> u8 {
        self.0
    }

    /// The two-letter acronym in upper case, e.g. `"DE"`. Mostly ISO 3166-1 alpha-2
    /// codes, plus `XX`, `OC`, `EU`, `AN`, `FX`, `A1`, `A2` and `O1`.
    pub const fn acronym(self) -> &'static str {
        TABLE[self.0 as usize].0
    }

    /// The English name as the client knows it, e.g. `"Germany"`; the string b282–b1795
    /// clients were sent.
    pub const fn name(self) -> &'static str {
        TABLE[self.0 as usize].1
    }
}

impl Default for Country {
    /// [`Country::UNKNOWN`].
    fn default() -> Self {
        Self::UNKNOWN
    }
}

impl fmt::Display for Country {
    /// Writes the country's [name](Country::name), honouring width and alignment.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl From<Country> for u8 {
    /// The country's [index](Country::index).
    fn from(country: Country) -> Self {
        country.index()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Country {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.acronym())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Country {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AcronymVisitor;

        impl serde::de::Visitor<'_> for AcronymVisitor {
            type Value = Country;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the acronym of a country in the osu! country table, such as \"JP\"")
            }

            fn visit_str<E: serde::de::Error>(self, acronym: &str) -> Result<Country, E> {
                Country::from_acronym(acronym)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(acronym), &self))
            }
        }

        deserializer.deserialize_str(AcronymVisitor)
    }
}

/// Declares the table, one named constant per row and [`Country::ALL`] from rows of
/// `index ACRONYM "Name",` in table order.
macro_rules! countries {
    ($($index:literal $acronym:ident $name:literal,)*) => {
        /// `(acronym, name)` of every entry, at its index.
        const TABLE: [(&str, &str); Country::COUNT] = [$((stringify!($acronym), $name)),*];

        impl Country {
            $(
                #[doc = concat!(
                    "`", stringify!($acronym), "`: ", $name, " (index ", stringify!($index), ")."
                )]
                pub const $acronym: Self = Self($index);
            )*

            /// Every entry of the table, in index order.
            pub const ALL: [Self; Self::COUNT] = [$(Self::$acronym),*];
        }
    };
}

// The index written on each row must be the row's position.
const _: () = {
    let mut index = 0;
    while index < Country::COUNT {
        assert!(Country::ALL[index].0 as usize == index, "a row's index is not its position");
        index += 1;
    }
};

countries! {
      0 XX "Unknown",
      1 OC "Oceania",
      2 EU "Europe",
      3 AD "Andorra",
      4 AE "United Arab Emirates",
      5 AF "Afghanistan",
      6 AG "Antigua and Barbuda",
      7 AI "Anguilla",
      8 AL "Albania",
      9 AM "Armenia",
     10 AN "Netherlands Antilles",
     11 AO "Angola",
     12 AQ "Antarctica",
     13 AR "Argentina",
     14 AS "American Samoa",
     15 AT "Austria",
     16 AU "Australia",
     17 AW "Aruba",
     18 AZ "Azerbaijan",
     19 BA "Bosnia and Herzegovina",
     20 BB "Barbados",
     21 BD "Bangladesh",
     22 BE "Belgium",
     23 BF "Burkina Faso",
     24 BG "Bulgaria",
     25 BH "Bahrain",
     26 BI "Burundi",
     27 BJ "Benin",
     28 BM "Bermuda",
     29 BN "Brunei Darussalam",
     30 BO "Bolivia",
     31 BR "Brazil",
     32 BS "The Bahamas",
     33 BT "Bhutan",
     34 BV "Bouvet Island",
     35 BW "Botswana",
     36 BY "Belarus",
     37 BZ "Belize",
     38 CA "Canada",
     39 CC "Cocos (Keeling) Islands",
     40 CD "Democratic Republic of the Congo",
     41 CF "Central African Republic",
     42 CG "Republic of the Congo",
     43 CH "Switzerland",
     44 CI "Côte d'Ivoire",
     45 CK "Cook Islands",
     46 CL "Chile",
     47 CM "Cameroon",
     48 CN "China",
     49 CO "Colombia",
     50 CR "Costa Rica",
     51 CU "Cuba",
     52 CV "Cape Verde",
     53 CX "Christmas Island",
     54 CY "Cyprus",
     55 CZ "Czech Republic",
     56 DE "Germany",
     57 DJ "Djibouti",
     58 DK "Denmark",
     59 DM "Dominica",
     60 DO "Dominican Republic",
     61 DZ "Algeria",
     62 EC "Ecuador",
     63 EE "Estonia",
     64 EG "Egypt",
     65 EH "Western Sahara",
     66 ER "Eritrea",
     67 ES "Spain",
     68 ET "Ethiopia",
     69 FI "Finland",
     70 FJ "Fiji",
     71 FK "Falkland Islands (Malvinas)",
     72 FM "Micronesia, Federated States of Micronesia",
     73 FO "Faroe Islands",
     74 FR "France",
     75 FX "France, Metropolitan",
     76 GA "Gabon",
     77 GB "United Kingdom",
     78 GD "Grenada",
     79 GE "Georgia",
     80 GF "French Guiana",
     81 GH "Ghana",
     82 GI "Gibraltar",
     83 GL "Greenland",
     84 GM "Gambia",
     85 GN "Guinea",
     86 GP "Guadeloupe",
     87 GQ "Equatorial Guinea",
     88 GR "Greece",
     89 GS "South Georgia and the South Sandwich Islands",
     90 GT "Guatemala",
     91 GU "Guam",
     92 GW "Guinea-Bissau",
     93 GY "Guyana",
     94 HK "Hong Kong",
     95 HM "Heard Island and McDonald Islands",
     96 HN "Honduras",
     97 HR "Croatia",
     98 HT "Haiti",
     99 HU "Hungary",
    100 ID "Indonesia",
    101 IE "Ireland",
    102 IL "Israel",
    103 IN "India",
    104 IO "British Indian Ocean Territory",
    105 IQ "Iraq",
    106 IR "Iran, Islamic Republic of Iran",
    107 IS "Iceland",
    108 IT "Italy",
    109 JM "Jamaica",
    110 JO "Jordan",
    111 JP "Japan",
    112 KE "Kenya",
    113 KG "Kyrgyzstan",
    114 KH "Cambodia",
    115 KI "Kiribati",
    116 KM "Comoros",
    117 KN "Saint Kitts and Nevis",
    118 KP "Korea, Democratic People's Republic of Korea",
    119 KR "Korea, Republic of Korea",
    120 KW "Kuwait",
    121 KY "Cayman Islands",
    122 KZ "Kazakhstan",
    123 LA "Lao People's Democratic Republic",
    124 LB "Lebanon",
    125 LC "Saint Lucia",
    126 LI "Liechtenstein",
    127 LK "Sri Lanka",
    128 LR "Liberia",
    129 LS "Lesotho",
    130 LT "Lithuania",
    131 LU "Luxembourg",
    132 LV "Latvia",
    133 LY "Libyan Arab Jamahiriya",
    134 MA "Morocco",
    135 MC "Monaco",
    136 MD "Moldova, Republic of Moldova",
    137 MG "Madagascar",
    138 MH "Marshall Islands",
    139 MK "Macedonia, the Former Yugoslav Republic of Macedonia",
    140 ML "Mali",
    141 MM "Myanmar",
    142 MN "Mongolia",
    143 MO "Macau",
    144 MP "Northern Mariana Islands",
    145 MQ "Martinique",
    146 MR "Mauritania",
    147 MS "Montserrat",
    148 MT "Malta",
    149 MU "Mauritius",
    150 MV "Maldives",
    151 MW "Malawi",
    152 MX "Mexico",
    153 MY "Malaysia",
    154 MZ "Mozambique",
    155 NA "Namibia",
    156 NC "New Caledonia",
    157 NE "Niger",
    158 NF "Norfolk Island",
    159 NG "Nigeria",
    160 NI "Nicaragua",
    161 NL "Netherlands",
    162 NO "Norway",
    163 NP "Nepal",
    164 NR "Nauru",
    165 NU "Niue",
    166 NZ "New Zealand",
    167 OM "Oman",
    168 PA "Panama",
    169 PE "Peru",
    170 PF "French Polynesia",
    171 PG "Papua New Guinea",
    172 PH "Philippines",
    173 PK "Pakistan",
    174 PL "Poland",
    175 PM "Saint Pierre and Miquelon",
    176 PN "Pitcairn",
    177 PR "Puerto Rico",
    178 PS "Palestinian Territory, Occupied",
    179 PT "Portugal",
    180 PW "Palau",
    181 PY "Paraguay",
    182 QA "Qatar",
    183 RE "Réunion",
    184 RO "Romania",
    185 RU "Russian Federation",
    186 RW "Rwanda",
    187 SA "Saudi Arabia",
    188 SB "Solomon Islands",
    189 SC "Seychelles",
    190 SD "Sudan",
    191 SE "Sweden",
    192 SG "Singapore",
    193 SH "Saint Helena, Ascension and Tristan da Cunha",
    194 SI "Slovenia",
    195 SJ "Svalbard and Jan Mayen",
    196 SK "Slovakia",
    197 SL "Sierra Leone",
    198 SM "San Marino",
    199 SN "Senegal",
    200 SO "Somalia",
    201 SR "Suriname",
    202 ST "Sao Tome and Principe",
    203 SV "El Salvador",
    204 SY "Syrian Arab Republic",
    205 SZ "Eswatini",
    206 TC "Turks and Caicos Islands",
    207 TD "Chad",
    208 TF "French Southern Territories",
    209 TG "Togo",
    210 TH "Thailand",
    211 TJ "Tajikistan",
    212 TK "Tokelau",
    213 TM "Turkmenistan",
    214 TN "Tunisia",
    215 TO "Tonga",
    216 TL "Timor-Leste",
    217 TR "Turkey",
    218 TT "Trinidad and Tobago",
    219 TV "Tuvalu",
    220 TW "Taiwan",
    221 TZ "Tanzania",
    222 UA "Ukraine",
    223 UG "Uganda",
    224 UM "United States Minor Outlying Islands",
    225 US "United States",
    226 UY "Uruguay",
    227 UZ "Uzbekistan",
    228 VA "Holy See",
    229 VC "Saint Vincent",
    230 VE "Venezuela",
    231 VG "Virgin Islands, British",
    232 VI "Virgin Islands, U.S.",
    233 VN "Vietnam",
    234 VU "Vanuatu",
    235 WF "Wallis and Futuna",
    236 WS "Samoa",
    237 YE "Yemen",
    238 YT "Mayotte",
    239 RS "Serbia",
    240 ZA "South Africa",
    241 ZM "Zambia",
    242 ME "Montenegro",
    243 ZW "Zimbabwe",
    244 A1 "Unknown",
    245 A2 "Satellite Provider",
    246 O1 "Other",
    247 AX "Aland Islands",
    248 GG "Guernsey",
    249 IM "Isle of Man",
    250 JE "Jersey",
    251 BL "St. Barthelemy",
    252 MF "Saint Martin",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_253_entries_in_index_order() {
        assert_eq!(Country::ALL.len(), 253);
        assert_eq!(TABLE.len(), 253);
        for (position, country) in Country::ALL.into_iter().enumerate() {
            assert_eq!(usize::from(country.index()), position);
            assert_eq!(Country::from_index(country.index()), Some(country));
            assert_eq!(u8::from(country), country.index());
        }
        assert!(Country::ALL.is_sorted());
    }

    #[test]
    fn indices_past_the_end_are_none() {
        for index in 253..=u8::MAX {
            assert_eq!(Country::from_index(index), None, "index {index}");
        }
    }

    #[test]
    fn reference_points_of_the_client_order() {
        let points = [
            (0, "XX", "Unknown"),
            (1, "OC", "Oceania"),
            (2, "EU", "Europe"),
            (3, "AD", "Andorra"),
            (56, "DE", "Germany"),
            (111, "JP", "Japan"),
            (215, "TO", "Tonga"),
            (216, "TL", "Timor-Leste"),
            (225, "US", "United States"),
            (239, "RS", "Serbia"),
            (242, "ME", "Montenegro"),
            (244, "A1", "Unknown"),
            (245, "A2", "Satellite Provider"),
            (246, "O1", "Other"),
            (247, "AX", "Aland Islands"),
            (252, "MF", "Saint Martin"),
        ];
        for (index, acronym, name) in points {
            let country = Country::from_index(index).unwrap();
            assert_eq!(country.acronym(), acronym, "index {index}");
            assert_eq!(country.name(), name, "index {index}");
        }
        assert_eq!(Country::DE.index(), 56);
        assert_eq!(Country::JP.index(), 111);
        assert_eq!(Country::TO.index(), 215);
        assert_eq!(Country::TL.index(), 216);
        assert_eq!(Country::US.index(), 225);
        assert_eq!(Country::RS.index(), 239);
        assert_eq!(Country::ME.index(), 242);
        assert_eq!(Country::A1.index(), 244);
        assert_eq!(Country::A2.index(), 245);
        assert_eq!(Country::O1.index(), 246);
        assert_eq!(Country::AX.index(), 247);
        assert_eq!(Country::MF.index(), 252);
    }

    #[test]
    fn names() {
        assert_eq!(Country::GB.name(), "United Kingdom");
        assert_eq!(Country::KR.name(), "Korea, Republic of Korea");
        assert_eq!(Country::CI.name(), "Côte d'Ivoire");
        assert_eq!(Country::RE.name(), "Réunion");
        assert_eq!(Country::SZ.name(), "Eswatini");
    }

    #[test]
    fn every_acronym_round_trips_in_any_case() {
        for country in Country::ALL {
            let acronym = country.acronym();
            assert_eq!(acronym.len(), 2);
            assert_eq!(acronym, acronym.to_ascii_uppercase());
            assert_eq!(Country::from_acronym(acronym), Some(country), "{acronym}");
            assert_eq!(Country::from_acronym(&acronym.to_ascii_lowercase()), Some(country), "{acronym}");
        }
        assert_eq!(Country::from_acronym("jP"), Some(Country::JP));
    }

    #[test]
    fn unknown_acronyms_are_none() {
        for acronym in ["", "D", "DEU", "ZZ", " DE", "Germany"] {
            assert_eq!(Country::from_acronym(acronym), None, "{acronym:?}");
        }
    }

    #[test]
    fn the_two_unknowns_are_different_entries() {
        assert_eq!(Country::UNKNOWN, Country::XX);
        assert_eq!(Country::UNKNOWN.index(), 0);
        assert_eq!(Country::default(), Country::UNKNOWN);
        assert_eq!(Country::A1.name(), Country::UNKNOWN.name());
        assert_ne!(Country::A1, Country::UNKNOWN);
        assert_eq!(Country::from_acronym("A1"), Some(Country::A1));
    }

    #[test]
    fn display_writes_the_name() {
        assert_eq!(Country::DE.to_string(), "Germany");
        assert_eq!(format!("[{:>8}]", Country::JP), "[   Japan]");
    }

    #[cfg(feature = "serde")]
    #[test]
    fn deserializes_from_the_acronym() {
        use serde::Deserialize;
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, StrDeserializer};

        let from = |text: &str| Country::deserialize::<StrDeserializer<'_, Error>>(text.into_deserializer());
        assert_eq!(from("DE").unwrap(), Country::DE);
        assert_eq!(from("jp").unwrap(), Country::JP);
        assert!(from("Germany").is_err());
    }
}
