//! A spinner on standard error for long steps, when it is a terminal and
//! the user did not ask for quiet.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

static QUIET: AtomicBool = AtomicBool::new(false);

/// Silence every progress indicator (`--quiet`).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// A long step in progress; it clears itself when dropped.
pub struct Step {
    bar: ProgressBar,
}

impl Step {
    /// Start a step: `Reading nurse-2.xlsx…`. Nothing is drawn when standard
    /// error is not a terminal (indicatif checks) or when quiet.
    pub fn start(message: impl Into<String>) -> Step {
        let target = if QUIET.load(Ordering::Relaxed) {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(message.into());
        bar.enable_steady_tick(Duration::from_millis(120));
        Step { bar }
    }
}

impl Drop for Step {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
