//! `mavis-offline demo-session`.

use std::process::ExitCode;

use mavis_demo::{self as demo, DemoOptions};
use mavis_domain::SessionDocument;

use super::{today_in_london, write_output};
use crate::cli::{DemoArgs, DemoSessionArgs};
use crate::error::{Error, Result};

/// Build the demo session and print or write it as JSON.
pub fn run(args: &DemoSessionArgs) -> Result<ExitCode> {
    let doc = build(&args.demo)?;
    let mut json = serde_json::to_vec_pretty(&doc)?;
    json.push(b'\n');
    write_output(args.out.as_deref(), &json)?;
    Ok(ExitCode::SUCCESS)
}

/// The demo session the flags describe.
pub fn build(args: &DemoArgs) -> Result<SessionDocument> {
    if args.programmes.is_empty() {
        return Err(Error::Usage(
            "--programmes is empty; name at least one of flu, hpv, menacwy, mmr, td_ipv".into(),
        ));
    }
    let options = DemoOptions {
        children: usize::try_from(args.children).expect("u32 fits in usize"),
        seed: args.seed,
        programmes: args.programmes.clone(),
        today: args.today.unwrap_or_else(today_in_london),
        psd_enabled: args.psd,
    };
    Ok(demo::session(&options))
}
