//! Needs the pinned reference (`scripts/reference-env.sh`; see tests/README.md).
//!
//! The country table against the reference: every entry of chio 1.1.21's `Countries`, in
//! order, read from the venv that scripts/reference-env.sh installs in the workspace root.

use chio_packets::country::Country;
use chio_tests::reference;

/// Prints the reference's table as a JSON list of `[acronym, name]` pairs, in its order.
const PRINT_COUNTRIES: &str = "import json\njson.dump(list(chio.constants.Countries.items()), sys.stdout)";

fn reference_countries() -> Vec<(String, String)> {
    let output = reference::run_snippet(PRINT_COUNTRIES, b"");
    serde_json::from_slice(&output).expect("the reference prints [acronym, name] pairs")
}

#[test]
fn every_entry_matches_the_reference_in_order() {
    let reference = reference_countries();
    assert_eq!(reference.len(), Country::COUNT, "number of entries");
    for (index, (acronym, name)) in reference.iter().enumerate() {
        let index = u8::try_from(index).unwrap();
        let country = Country::from_index(index).unwrap_or_else(|| panic!("no country at index {index}"));
        assert_eq!(country.acronym(), acronym, "acronym at index {index}");
        assert_eq!(country.name(), name, "name at index {index}");
        assert_eq!(Country::from_acronym(acronym), Some(country), "index of {acronym}");
    }
    assert_eq!(Country::from_index(u8::try_from(reference.len()).unwrap()), None);
}

#[test]
fn serde_uses_the_acronym() {
    for country in Country::ALL {
        let json = serde_json::to_string(&country).unwrap();
        assert_eq!(json, format!("\"{}\"", country.acronym()));
        assert_eq!(serde_json::from_str::<Country>(&json).unwrap(), country);
    }
    assert_eq!(serde_json::from_str::<Country>("\"jp\"").unwrap(), Country::JP);
    let error = serde_json::from_str::<Country>("\"Japan\"").unwrap_err().to_string();
    assert!(error.contains("osu! country table"), "{error}");
    assert!(serde_json::from_str::<Country>("111").is_err());
}
