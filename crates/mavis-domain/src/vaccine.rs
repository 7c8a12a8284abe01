//! The vaccine catalogue, vaccine and delivery methods, and anatomical sites.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::programme::{MmrVariant, Programme};

/// How a vaccine is given: the method a consent or triage names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VaccineMethod {
    /// An injection (intramuscular or subcutaneous).
    Injection,
    /// A nasal spray (flu only).
    Nasal,
}

impl VaccineMethod {
    /// The method as consent texts name it: `injection`, `nasal spray`.
    pub fn label(self) -> &'static str {
        match self {
            VaccineMethod::Injection => "injection",
            VaccineMethod::Nasal => "nasal spray",
        }
    }

    /// The sites a vaccine of this method may be given at.
    pub fn allowed_sites(self) -> &'static [AnatomicalSite] {
        match self {
            VaccineMethod::Injection => &AnatomicalSite::ALL[..8],
            VaccineMethod::Nasal => &AnatomicalSite::ALL[8..],
        }
    }
}

// The programme's methods live here, beside `VaccineMethod`, so that
// `programme.rs` needs nothing of this module (no `programme` <-> `vaccine`
// cycle).
impl Programme {
    /// The vaccine methods the programme has; flu alone has two.
    pub fn vaccine_methods(self) -> &'static [VaccineMethod] {
        match self {
            Programme::Flu => &[VaccineMethod::Injection, VaccineMethod::Nasal],
            _ => &[VaccineMethod::Injection],
        }
    }
}

/// How a dose was delivered. The upload records intramuscular for every
/// injection site; subcutaneous has no site text and is set in Mavis by hand
/// after the upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryMethod {
    /// Into the muscle.
    Intramuscular,
    /// Under the skin.
    Subcutaneous,
    /// Sprayed into the nose.
    NasalSpray,
}

impl DeliveryMethod {
    /// The vaccine method the delivery method belongs to.
    pub fn vaccine_method(self) -> VaccineMethod {
        match self {
            DeliveryMethod::NasalSpray => VaccineMethod::Nasal,
            _ => VaccineMethod::Injection,
        }
    }
}

/// Where on the body a dose was given.
///
/// # Examples
///
/// ```
/// use mavis_domain::{AnatomicalSite, DeliveryMethod};
///
/// let site = AnatomicalSite::parse("Left Deltoid")?;
/// assert_eq!(site, AnatomicalSite::LeftArmUpper);
/// assert_eq!(site.text(), "left upper arm");
/// assert_eq!(AnatomicalSite::Nose.delivery_method(), DeliveryMethod::NasalSpray);
/// # Ok::<(), mavis_domain::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AnatomicalSite {
    /// Left thigh.
    #[serde(rename = "left_thigh")]
    LeftThigh,
    /// Right thigh.
    #[serde(rename = "right_thigh")]
    RightThigh,
    /// Left arm, upper position (deltoid).
    #[serde(rename = "left_arm_upper_position")]
    LeftArmUpper,
    /// Left arm, lower position.
    #[serde(rename = "left_arm_lower_position")]
    LeftArmLower,
    /// Right arm, upper position (deltoid).
    #[serde(rename = "right_arm_upper_position")]
    RightArmUpper,
    /// Right arm, lower position.
    #[serde(rename = "right_arm_lower_position")]
    RightArmLower,
    /// Left buttock.
    #[serde(rename = "left_buttock")]
    LeftButtock,
    /// Right buttock.
    #[serde(rename = "right_buttock")]
    RightButtock,
    /// Nose (nasal spray).
    #[serde(rename = "nose")]
    Nose,
}

/// Every site text the importer accepts, lower case, in the order of the
/// spreadsheet's dropdown, with the site it names (`import-csv.md` §9.1).
pub const SITE_TEXTS: [(&str, AnatomicalSite); 13] = [
    ("left thigh", AnatomicalSite::LeftThigh),
    ("right thigh", AnatomicalSite::RightThigh),
    ("left upper arm", AnatomicalSite::LeftArmUpper),
    ("left deltoid", AnatomicalSite::LeftArmUpper),
    ("left arm (upper position)", AnatomicalSite::LeftArmUpper),
    ("left arm (lower position)", AnatomicalSite::LeftArmLower),
    ("right upper arm", AnatomicalSite::RightArmUpper),
    ("right deltoid", AnatomicalSite::RightArmUpper),
    ("right arm (upper position)", AnatomicalSite::RightArmUpper),
    ("right arm (lower position)", AnatomicalSite::RightArmLower),
    ("left buttock", AnatomicalSite::LeftButtock),
    ("right buttock", AnatomicalSite::RightButtock),
    ("nasal", AnatomicalSite::Nose),
];

impl AnatomicalSite {
    /// Every site: the eight injection sites, then the nose.
    pub const ALL: [AnatomicalSite; 9] = [
        AnatomicalSite::LeftThigh,
        AnatomicalSite::RightThigh,
        AnatomicalSite::LeftArmUpper,
        AnatomicalSite::LeftArmLower,
        AnatomicalSite::RightArmUpper,
        AnatomicalSite::RightArmLower,
        AnatomicalSite::LeftButtock,
        AnatomicalSite::RightButtock,
        AnatomicalSite::Nose,
    ];

    /// The canonical text the spreadsheet writes: `left upper arm`, `nasal`…
    pub fn text(self) -> &'static str {
        match self {
            AnatomicalSite::LeftThigh => "left thigh",
            AnatomicalSite::RightThigh => "right thigh",
            AnatomicalSite::LeftArmUpper => "left upper arm",
            AnatomicalSite::LeftArmLower => "left arm (lower position)",
            AnatomicalSite::RightArmUpper => "right upper arm",
            AnatomicalSite::RightArmLower => "right arm (lower position)",
            AnatomicalSite::LeftButtock => "left buttock",
            AnatomicalSite::RightButtock => "right buttock",
            AnatomicalSite::Nose => "nasal",
        }
    }

    /// Read any accepted site text, any case, surrounding spaces ignored.
    ///
    /// # Errors
    ///
    /// [`crate::ErrorKind::Unknown`] listing the accepted texts.
    pub fn parse(text: &str) -> Result<AnatomicalSite> {
        let key = text.trim();
        SITE_TEXTS
            .iter()
            .find(|(t, _)| crate::text::lower_eq(key, t, b' '))
            .map(|(_, s)| *s)
            .ok_or_else(|| {
                let names: Vec<&str> = SITE_TEXTS.iter().map(|(t, _)| *t).collect();
                Error::unknown("anatomical site", text, names.join(", "))
            })
    }

    /// The delivery method the upload records for this site: nasal spray for
    /// the nose, intramuscular for every other site.
    pub fn delivery_method(self) -> DeliveryMethod {
        match self {
            AnatomicalSite::Nose => DeliveryMethod::NasalSpray,
            _ => DeliveryMethod::Intramuscular,
        }
    }

    /// The vaccine method given at this site.
    pub fn vaccine_method(self) -> VaccineMethod {
        self.delivery_method().vaccine_method()
    }
}

impl fmt::Display for AnatomicalSite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

impl FromStr for AnatomicalSite {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        AnatomicalSite::parse(s)
    }
}

/// A vaccine of the static catalogue (`reference-data.md` §4), serialised by
/// its key (`gardasil_9`).
///
/// # Examples
///
/// ```
/// use mavis_domain::{Programme, Vaccine};
///
/// let v = Vaccine::from_upload_or_nivs_name("AstraZeneca Fluenz LAIV").unwrap();
/// assert_eq!(v, Vaccine::Fluenz);
/// assert_eq!(v.upload_name(), "AstraZeneca Fluenz");
/// let hpv: Vec<_> = Vaccine::active_for(Programme::Hpv, None).map(Vaccine::upload_name).collect();
/// assert_eq!(hpv, ["Gardasil9"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // each variant is documented by its catalogue entry
pub enum Vaccine {
    CellBasedTrivalent,
    Fluenz,
    Vaxigrip,
    Viatris,
    Cervarix,
    Gardasil,
    #[serde(rename = "gardasil_9")]
    Gardasil9,
    Menquadfi,
    Menveo,
    Nimenrix,
    Priorix,
    Vaxpro,
    ProQuad,
    PriorixTetra,
    Revaxis,
}

/// One entry of the vaccine catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VaccineInfo {
    /// The catalogue key, e.g. `gardasil_9`.
    pub key: &'static str,
    /// The programme the vaccine belongs to.
    pub programme: Programme,
    /// For MMR(V) vaccines, the variant.
    pub variant: Option<MmrVariant>,
    /// The brand, e.g. `Gardasil 9`.
    pub brand: &'static str,
    /// The manufacturer as Mavis spells it.
    pub manufacturer: &'static str,
    /// Injection or nasal.
    pub method: VaccineMethod,
    /// The name written in `VACCINE_GIVEN` and matched exactly on upload.
    pub upload_name: &'static str,
    /// The NIVS name, also accepted on upload.
    pub nivs_name: Option<&'static str>,
    /// Discontinued vaccines are accepted on upload but not offered.
    pub discontinued: bool,
    /// Whether the vaccine contains gelatine.
    pub contains_gelatine: bool,
    /// The dose volume in millilitres, as written.
    pub dose_ml: &'static str,
    /// The SNOMED product code.
    pub snomed_product_code: &'static str,
}

macro_rules! info {
    ($key:literal, $prog:ident, $variant:expr, $brand:literal, $maker:literal, $method:ident,
     $upload:literal, $nivs:expr, $disc:literal, $gel:literal, $ml:literal, $snomed:literal) => {
        VaccineInfo {
            key: $key,
            programme: Programme::$prog,
            variant: $variant,
            brand: $brand,
            manufacturer: $maker,
            method: VaccineMethod::$method,
            upload_name: $upload,
            nivs_name: $nivs,
            discontinued: $disc,
            contains_gelatine: $gel,
            dose_ml: $ml,
            snomed_product_code: $snomed,
        }
    };
}

const MMR: Option<MmrVariant> = Some(MmrVariant::Mmr);
const MMRV: Option<MmrVariant> = Some(MmrVariant::Mmrv);

/// The catalogue, in catalogue order (the order of dropdown items).
const CATALOGUE: [VaccineInfo; 15] = [
    info!(
        "cell_based_trivalent",
        Flu,
        None,
        "Cell-based Trivalent Influenza Vaccine Seqirus",
        "Sequirus",
        Injection,
        "Sequirus Cell-based Trivalent",
        Some("Seqirus Cell-Based Trivalent IIVc"),
        false,
        false,
        "0.5",
        "43207411000001105"
    ),
    info!(
        "fluenz",
        Flu,
        None,
        "Fluenz",
        "AstraZeneca",
        Nasal,
        "AstraZeneca Fluenz",
        Some("AstraZeneca Fluenz LAIV"),
        false,
        true,
        "0.2",
        "43208811000001106"
    ),
    info!(
        "vaxigrip",
        Flu,
        None,
        "Vaxigrip",
        "Sanofi",
        Injection,
        "Sanofi Vaxigrip",
        None,
        false,
        false,
        "0.5",
        "45175511000001104"
    ),
    info!(
        "viatris",
        Flu,
        None,
        "Viatris",
        "Viatris",
        Injection,
        "Viatris",
        Some("Viatris Quadrivalent Influvac sub - unit Tetra - QIVe"),
        false,
        false,
        "0.5",
        "45354911000001100"
    ),
    info!(
        "cervarix",
        Hpv,
        None,
        "Cervarix",
        "GlaxoSmithKline",
        Injection,
        "Cervarix",
        Some("Cervarix"),
        true,
        false,
        "0.5",
        "12238911000001100"
    ),
    info!(
        "gardasil",
        Hpv,
        None,
        "Gardasil",
        "Merck Sharp & Dohme",
        Injection,
        "Gardasil",
        Some("Gardasil"),
        true,
        false,
        "0.5",
        "10880211000001104"
    ),
    info!(
        "gardasil_9",
        Hpv,
        None,
        "Gardasil 9",
        "Merck Sharp & Dohme",
        Injection,
        "Gardasil9",
        Some("Gardasil9"),
        false,
        false,
        "0.5",
        "33493111000001108"
    ),
    info!(
        "menquadfi",
        MenAcwy,
        None,
        "MenQuadfi",
        "Sanofi",
        Injection,
        "MenQuadfi",
        None,
        false,
        false,
        "0.5",
        "39779611000001104"
    ),
    info!(
        "menveo",
        MenAcwy,
        None,
        "Menveo",
        "GlaxoSmithKline",
        Injection,
        "Menveo",
        None,
        false,
        false,
        "0.5",
        "17188711000001105"
    ),
    info!(
        "nimenrix",
        MenAcwy,
        None,
        "Nimenrix",
        "Pfizer",
        Injection,
        "Nimenrix",
        None,
        false,
        false,
        "0.5",
        "20517811000001104"
    ),
    info!(
        "priorix",
        Mmr,
        MMR,
        "Priorix",
        "GlaxoSmithKline",
        Injection,
        "Priorix",
        None,
        false,
        false,
        "0.5",
        "34925111000001104"
    ),
    info!(
        "vaxpro",
        Mmr,
        MMR,
        "MMR VaxPro",
        "Merck Sharp & Dohme",
        Injection,
        "VaxPro",
        None,
        false,
        true,
        "0.5",
        "13968211000001108"
    ),
    info!(
        "pro_quad",
        Mmr,
        MMRV,
        "ProQuad",
        "Merck Sharp & Dohme",
        Injection,
        "ProQuad",
        None,
        false,
        true,
        "0.5",
        "45480711000001107"
    ),
    info!(
        "priorix_tetra",
        Mmr,
        MMRV,
        "Priorix-Tetra",
        "GlaxoSmithKline",
        Injection,
        "Priorix-Tetra",
        None,
        false,
        false,
        "0.5",
        "45525711000001102"
    ),
    info!(
        "revaxis",
        TdIpv,
        None,
        "Revaxis",
        "Sanofi",
        Injection,
        "Revaxis",
        None,
        false,
        false,
        "0.5",
        "7374511000001107"
    ),
];

impl Vaccine {
    /// Every vaccine, in catalogue order.
    pub const ALL: [Vaccine; 15] = [
        Vaccine::CellBasedTrivalent,
        Vaccine::Fluenz,
        Vaccine::Vaxigrip,
        Vaccine::Viatris,
        Vaccine::Cervarix,
        Vaccine::Gardasil,
        Vaccine::Gardasil9,
        Vaccine::Menquadfi,
        Vaccine::Menveo,
        Vaccine::Nimenrix,
        Vaccine::Priorix,
        Vaccine::Vaxpro,
        Vaccine::ProQuad,
        Vaccine::PriorixTetra,
        Vaccine::Revaxis,
    ];

    /// The vaccine's catalogue entry.
    pub fn info(self) -> &'static VaccineInfo {
        &CATALOGUE[self as usize]
    }

    /// The name written in `VACCINE_GIVEN`.
    pub fn upload_name(self) -> &'static str {
        self.info().upload_name
    }

    /// The programme the vaccine belongs to.
    pub fn programme(self) -> Programme {
        self.info().programme
    }

    /// Injection or nasal.
    pub fn method(self) -> VaccineMethod {
        self.info().method
    }

    /// Whether a dose of this vaccine may be given at `site`.
    pub fn allows_site(self, site: AnatomicalSite) -> bool {
        self.method().allowed_sites().contains(&site)
    }

    /// Find a vaccine by its upload name, then by its NIVS name, both
    /// compared exactly (case-sensitive), as the importer does.
    pub fn from_upload_or_nivs_name(name: &str) -> Option<Vaccine> {
        Vaccine::ALL
            .into_iter()
            .find(|v| v.upload_name() == name)
            .or_else(|| {
                Vaccine::ALL
                    .into_iter()
                    .find(|v| v.info().nivs_name == Some(name))
            })
    }

    /// The vaccines of a programme (and, for MMR(V), a variant), active and
    /// discontinued, in catalogue order.
    pub fn of_programme(
        programme: Programme,
        variant: Option<MmrVariant>,
    ) -> impl Iterator<Item = Vaccine> {
        Vaccine::ALL.into_iter().filter(move |v| {
            let info = v.info();
            info.programme == programme
                && (variant.is_none() || info.variant.is_none() || info.variant == variant)
        })
    }

    /// The active (not discontinued) vaccines the spreadsheet offers for a
    /// programme and variant, in catalogue order.
    pub fn active_for(
        programme: Programme,
        variant: Option<MmrVariant>,
    ) -> impl Iterator<Item = Vaccine> {
        Vaccine::of_programme(programme, variant).filter(|v| !v.info().discontinued)
    }

    /// Parse a catalogue key (`gardasil_9`), upload name or NIVS name.
    ///
    /// # Errors
    ///
    /// [`crate::ErrorKind::Unknown`] listing the upload names.
    pub fn parse(text: &str) -> Result<Vaccine> {
        let t = text.trim();
        Vaccine::ALL
            .into_iter()
            .find(|v| v.info().key == t)
            .or_else(|| Vaccine::from_upload_or_nivs_name(t))
            .ok_or_else(|| {
                let names: Vec<&str> = Vaccine::ALL.iter().map(|v| v.upload_name()).collect();
                Error::unknown("vaccine", text, names.join(", "))
            })
    }
}

impl fmt::Display for Vaccine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.info().brand)
    }
}

impl FromStr for Vaccine {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Vaccine::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_indexed_by_variant() {
        for v in Vaccine::ALL {
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(json, format!("\"{}\"", v.info().key), "{v:?}");
            assert_eq!(serde_json::from_str::<Vaccine>(&json).unwrap(), v);
            assert_eq!(Vaccine::parse(v.upload_name()).unwrap(), v);
        }
    }

    #[test]
    fn dropdown_lists_match_the_spec() {
        let names = |p, var| -> Vec<&str> {
            Vaccine::active_for(p, var)
                .map(Vaccine::upload_name)
                .collect()
        };
        assert_eq!(
            names(Programme::Flu, None),
            [
                "Sequirus Cell-based Trivalent",
                "AstraZeneca Fluenz",
                "Sanofi Vaxigrip",
                "Viatris"
            ]
        );
        assert_eq!(names(Programme::Hpv, None), ["Gardasil9"]);
        assert_eq!(
            names(Programme::MenAcwy, None),
            ["MenQuadfi", "Menveo", "Nimenrix"]
        );
        assert_eq!(
            names(Programme::Mmr, Some(MmrVariant::Mmr)),
            ["Priorix", "VaxPro"]
        );
        assert_eq!(
            names(Programme::Mmr, Some(MmrVariant::Mmrv)),
            ["ProQuad", "Priorix-Tetra"]
        );
        assert_eq!(names(Programme::TdIpv, None), ["Revaxis"]);
        assert_eq!(Vaccine::of_programme(Programme::Hpv, None).count(), 3);
    }

    #[test]
    fn names_are_matched_exactly() {
        assert_eq!(Vaccine::from_upload_or_nivs_name("gardasil9"), None);
        assert_eq!(
            Vaccine::from_upload_or_nivs_name("Seqirus Cell-Based Trivalent IIVc"),
            Some(Vaccine::CellBasedTrivalent)
        );
    }

    #[test]
    fn sites() {
        assert_eq!(
            SITE_TEXTS.iter().map(|(t, _)| t.len()).sum::<usize>() + 2 * 12,
            231
        );
        for (text, site) in SITE_TEXTS {
            assert_eq!(AnatomicalSite::parse(&text.to_uppercase()).unwrap(), site);
            assert_eq!(AnatomicalSite::parse(site.text()).unwrap(), site);
        }
        assert!(Vaccine::Fluenz.allows_site(AnatomicalSite::Nose));
        assert!(!Vaccine::Fluenz.allows_site(AnatomicalSite::LeftArmUpper));
        assert!(Vaccine::Gardasil9.allows_site(AnatomicalSite::RightButtock));
        assert!(!Vaccine::Gardasil9.allows_site(AnatomicalSite::Nose));
        assert_eq!(VaccineMethod::Injection.allowed_sites().len(), 8);
        assert_eq!(
            AnatomicalSite::LeftThigh.delivery_method(),
            DeliveryMethod::Intramuscular
        );
        assert_eq!(
            DeliveryMethod::Subcutaneous.vaccine_method(),
            VaccineMethod::Injection
        );
        assert!(AnatomicalSite::parse("arm").is_err());
    }
}
