//! What was given (`import-csv.md` §5.8–5.10): the rules on
//! `ANATOMICAL_SITE`, `PROGRAMME` and `VACCINE_GIVEN`.

use mavis_domain::{MmrVariant, Programme};

use super::Check;
use crate::columns::Cell;
use crate::reference::Reference;
use crate::report::Rule;

/// Rule 6: a vaccinated child's anatomical site is a site (offline and in
/// national reporting: required, and one the vaccine is given at); blank
/// when not vaccinated.
pub(super) fn anatomical_site<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { p, out, .. } = check;
    let given = out.only_when(
        Rule::AnatomicalSite,
        &p.cells.site,
        p.yes,
        p.strict,
        [
            "<code>ANATOMICAL_SITE</code> is required",
            "Enter an anatomical site.",
        ],
    );
    let Some((i, _)) = given else { return };
    match p.site {
        None => out.col(Rule::AnatomicalSite, i, "Enter a valid anatomical site."),
        Some(s) if p.strict && p.vaccine.is_some_and(|v| !v.allows_site(s)) => out.col(
            Rule::AnatomicalSite,
            i,
            "Enter a anatomical site that is appropriate for the vaccine.",
        ),
        Some(_) => {}
    }
}

/// Rule 18: the row has a programme available here (national reporting:
/// a vaccine of a programme the upload accepts).
pub(super) fn programme<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    let c = p.cells;
    if ctx.national_reporting() {
        if let (Some(programme), Some(i)) = (p.programme, c.vaccine_given.index()) {
            if !matches!(programme, Programme::Flu | Programme::Hpv) {
                out.col(
                    Rule::Programme,
                    i,
                    "This vaccine programme is not accepted in this upload.",
                );
            }
        }
    } else if p.programme.is_none() {
        let target = c.programme.index().or(c.vaccination_type.index());
        if p.programme_name.is_some() {
            out.at(
                Rule::Programme,
                target,
                "This programme is not available in this session.",
            );
        } else if let Cell::Value(i, _) = &c.vaccination_type {
            // SystmOne's Vaccination type names no known programme: the
            // field Mavis reads is that cell, which is present (issue 17,
            // item 5).
            out.col(
                Rule::Programme,
                *i,
                "This programme is not available in this session.",
            );
        } else if target.is_none() {
            out.row(
                Rule::Programme,
                "<code>PROGRAMME</code> or <code>Vaccination type</code> is required",
            );
        } else {
            out.at(Rule::Programme, target, "Enter a programme.");
        }
    }
}

/// Rule 26: the vaccine is a known one of the row's programme (offline
/// and in national reporting, a vaccinated child's is required).
pub(super) fn vaccine<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { p, out, .. } = check;
    let c = p.cells;
    let target = c.vaccine_given.index().or(c.vaccination_type.index());
    match (p.vaccine, p.programme) {
        (Some(v), Some(programme)) if v.programme() != programme => out.at(
            Rule::Vaccine,
            target,
            format!(
                "is not given in the {} programme",
                sentence_name(programme, p.named.and_then(|(_, v)| v))
            ),
        ),
        _ if p.vaccine_name.is_some() && p.vaccine.is_none() => out.at(
            Rule::Vaccine,
            target,
            if p.offline {
                "This vaccine is not available in this session."
            } else {
                "This vaccine is not valid."
            },
        ),
        _ if p.vaccine_name.is_none() && p.strict && p.yes => match c.vaccine_given.index() {
            None => out.row(Rule::Vaccine, "<code>VACCINE_GIVEN</code> is required"),
            Some(i) => out.col(Rule::Vaccine, i, "Enter a vaccine name."),
        },
        _ => {}
    }
}

/// How a programme is named in Mavis's sentences (rule 26).
pub(super) fn sentence_name(programme: Programme, variant: Option<MmrVariant>) -> &'static str {
    match programme {
        Programme::Flu => "flu",
        Programme::Hpv => "HPV",
        Programme::MenAcwy => "MenACWY",
        Programme::Mmr => match variant {
            Some(MmrVariant::Mmrv) => "MMRV",
            _ => "MMR",
        },
        Programme::TdIpv => "Td/IPV",
    }
}
