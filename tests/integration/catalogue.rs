//! The static catalogues in `mavis-domain` against the tables of the
//! specification, so a change to either is noticed.

use mavis::domain::{
    AnatomicalSite, Programme, ReasonNotVaccinated, Vaccine, VaccineMethod, SITE_TEXTS,
};

use mavis_test_support::shared;

/// The rows of the table under `heading` in the spec's `file`, which must
/// be as many as the catalogue's `items`, each checked with its item by
/// `check`; skipped (as the test named `test`) without the shared folder.
fn each_spec_row<T: Copy>(
    test: &str,
    file: &str,
    heading: &str,
    items: &[T],
    check: impl Fn(&[String], T),
) {
    let Some(dir) = shared::dir(test, "spec") else {
        return;
    };
    let md = std::fs::read_to_string(dir.join("spec").join(file)).unwrap();
    let rows = shared::table_after(&md, heading);
    assert_eq!(rows.len(), items.len(), "{heading}: one row per item");
    for (row, item) in rows.iter().zip(items.iter().copied()) {
        check(row, item);
    }
}

/// One test a catalogue: `name: file, heading, items => check;`, where
/// `check(row, item)` checks one row of the spec's table.
macro_rules! spec_tables {
    ($($name:ident: $file:expr, $heading:expr, $items:expr => $check:expr;)*) => {
        $(
            #[test]
            fn $name() {
                each_spec_row(stringify!($name), $file, $heading, &$items, $check);
            }
        )*
    };
}

spec_tables! {
    vaccine_catalogue_matches_reference_data:
        "reference-data.md", "## 4. Vaccine catalogue (static)", Vaccine::ALL => vaccine_row;
    programme_catalogue_matches_reference_data:
        "reference-data.md", "## 3. Programme catalogue (static)", Programme::ALL => programme_row;
    site_texts_match_the_import_spec:
        "import-csv.md", "### 9.1 Anatomical sites", SITE_TEXTS => site_row;
    reasons_match_the_import_spec:
        "import-csv.md", "### 9.2 Reasons not vaccinated", ReasonNotVaccinated::ALL => reason_row;
}

fn yes_no(cell: &str) -> bool {
    match cell {
        "yes" => true,
        "no" => false,
        other => panic!("not yes/no: {other:?}"),
    }
}

fn method_key(method: VaccineMethod) -> &'static str {
    match method {
        VaccineMethod::Injection => "injection",
        VaccineMethod::Nasal => "nasal",
    }
}

fn vaccine_row(row: &[String], vaccine: Vaccine) {
    let info = vaccine.info();
    let programme = match info.variant {
        Some(v) => format!("{} ({})", info.programme.key(), v.import_name()),
        None => info.programme.key().to_owned(),
    };
    let expected = [
        info.key.to_owned(),
        programme,
        info.brand.to_owned(),
        info.manufacturer.to_owned(),
        method_key(info.method).to_owned(),
        info.upload_name.to_owned(),
        info.nivs_name.unwrap_or("–").to_owned(),
        if info.discontinued { "yes" } else { "no" }.to_owned(),
        if info.contains_gelatine { "yes" } else { "no" }.to_owned(),
        info.dose_ml.to_owned(),
        info.snomed_product_code.to_owned(),
    ];
    assert_eq!(row, expected.as_slice(), "{vaccine:?}");
    yes_no(&row[7]);
}

fn programme_row(row: &[String], p: Programme) {
    assert_eq!(row[0], p.key());
    assert_eq!(row[1], p.display_name());
    if p != Programme::Mmr {
        assert_eq!(row[3], p.import_names().join(", "), "{p}");
    }
    let methods: Vec<&str> = p.vaccine_methods().iter().map(|m| method_key(*m)).collect();
    assert_eq!(row[5], methods.join(", "), "{p}");
    let years = p.default_year_groups();
    assert_eq!(row[6], format!("{}–{}", years.start(), years.end()), "{p}");
    let default = p.default_dose().map_or("–".to_owned(), |d| d.to_string());
    assert_eq!(row[7], default, "{p}");
    assert_eq!(row[8], p.max_dose().to_string(), "{p}");
    let codes: Vec<String> = p
        .dose_codes()
        .iter()
        .map(|(c, n)| format!("{c} {n}"))
        .collect();
    let codes = if codes.is_empty() {
        "–".to_owned()
    } else {
        codes.join(", ")
    };
    assert_eq!(row[9], codes, "{p}");
}

fn site_row(row: &[String], (text, site): (&str, AnatomicalSite)) {
    assert_eq!(row[0], text);
    assert_eq!(
        row[1],
        serde_json::to_value(site).unwrap().as_str().unwrap()
    );
    let method = match site.delivery_method() {
        mavis::domain::DeliveryMethod::NasalSpray => "nasal spray",
        _ => "intramuscular",
    };
    assert_eq!(row[2], method, "{text}");
    assert_eq!(row[3] == "yes", site.text() == text, "canonical {text}");
    assert_eq!(AnatomicalSite::parse(text).unwrap(), site);
}

fn reason_row(row: &[String], reason: ReasonNotVaccinated) {
    assert_eq!(row[0], reason.text());
    assert_eq!(
        row[1],
        serde_json::to_value(reason).unwrap().as_str().unwrap()
    );
    assert_eq!(
        row[2] == "accepted",
        reason.accepted_by_current_mavis(),
        "{}",
        row[0]
    );
}
