//! The Trends pane: the charts' span and measure, and the gentle note suggesting a counsellor.

use chrono::TimeZone;

use super::{App, Overlay};
use crate::action::Action;
use crate::error::AppError;
use crate::trends::{Metric, Span, Trends, COUNSELLOR_NOTE};

#[derive(Debug, Clone)]
pub struct TrendsView {
    pub span: Span,
    pub metric: Metric,
    /// Loaded when the pane is opened, never at start-up.
    pub data: Option<Trends>,
    /// The figures must be worked out again before the pane is next drawn.
    pub(super) stale: bool,
}

impl Default for TrendsView {
    fn default() -> Self {
        TrendsView {
            span: Span::Month,
            metric: Metric::Closeness,
            data: None,
            stale: true,
        }
    }
}

impl TrendsView {
    fn counsellor(&self) -> bool {
        self.data.as_ref().is_some_and(|t| t.counsellor)
    }
}

impl<Tz: TimeZone> App<Tz>
where
    Tz::Offset: std::fmt::Display,
{
    pub(super) fn trends_action(&mut self, action: Action) -> Result<(), AppError> {
        match action {
            Action::Left | Action::Right => {
                self.trends.span = if action == Action::Left {
                    self.trends.span.prev()
                } else {
                    self.trends.span.next()
                };
                self.load_trends()?;
            }
            Action::ToggleMetric => {
                self.trends.metric = match self.trends.metric {
                    Metric::Mood => Metric::Closeness,
                    Metric::Closeness => Metric::Mood,
                };
            }
            Action::DismissNote if self.trends.counsellor() => {
                self.store.dismiss_counsellor_note(self.now)?;
                self.load_trends()?;
                self.info("Set aside. It may come back in a fortnight if things stay hard.");
            }
            // Enter explains the note, when there is one.
            Action::ShowHistory if self.trends.counsellor() => {
                self.overlay = Some(Overlay::History {
                    title: "Talking to a counsellor".into(),
                    lines: COUNSELLOR_NOTE.lines().map(String::from).collect(),
                    scroll: 0,
                });
            }
            _ => {}
        }
        Ok(())
    }

    pub(super) fn load_trends(&mut self) -> Result<(), AppError> {
        self.trends.data = Some(Trends::load(
            &self.store,
            self.trends.span,
            self.evening(),
            self.now,
        )?);
        self.trends.stale = false;
        Ok(())
    }
}
