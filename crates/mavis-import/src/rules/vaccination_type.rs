//! SystmOne's `Vaccination type` (`import-csv.md` §5.9): a programme or a
//! vaccine, then the dose.

/// The parts of SystmOne's `Vaccination type` (§5.9).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct VaccinationType<'a> {
    pub programme: Option<&'a str>,
    pub vaccine: Option<&'a str>,
    pub dose: Option<&'a str>,
}

/// The programme prefixes of a `Vaccination type`, with the programme's
/// import name.
const TYPE_PREFIXES: [(&str, &str); 8] = [
    ("Flu", "Flu"),
    ("HPV", "HPV"),
    ("Human Papillomavirus", "HPV"),
    ("MMR", "MMR"),
    ("Measles/Mumps/Rubella", "MMR"),
    ("MenACWY", "MenACWY"),
    ("Meningococcal conjugate A,C, W135 + Y", "MenACWY"),
    ("Td/IPV", "Td/IPV"),
];

/// Split a `Vaccination type`: a programme's prefix and the dose after it,
/// or else a vaccine's name and the dose after the first space.
pub(crate) fn split_vaccination_type(text: &str) -> VaccinationType<'_> {
    fn non_empty(s: &str) -> Option<&str> {
        Some(s.trim()).filter(|s| !s.is_empty())
    }
    for (prefix, name) in TYPE_PREFIXES {
        if let Some(rest) = text.strip_prefix(prefix) {
            return VaccinationType {
                programme: Some(name),
                vaccine: None,
                dose: non_empty(rest),
            };
        }
    }
    let (word, rest) = text.split_once(' ').unwrap_or((text, ""));
    VaccinationType {
        programme: None,
        vaccine: non_empty(word),
        dose: non_empty(rest),
    }
}
