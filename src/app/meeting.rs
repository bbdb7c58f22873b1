//! The weekly check-in, one step per screen. Each step is a form whose intro carries what the
//! couple looks at together; answers are saved after every step, so leaving half-way is safe.

use chrono::{Duration, TimeZone};
use serde_json::{json, Value};

use super::form::{Field, Form};
use super::{App, FormKind, Message, Overlay, Tone};
use crate::domain::{self, Meeting, ReviewMark};
use crate::error::AppError;
use crate::schedule;

pub const STEPS: [&str; 6] = [
    "Appreciations",
    "What went right",
    "How the week felt",
    "Agreements",
    "One thing that's been hard",
    "Next week",
];

const AGREEMENT_CHOICES: [&str; 4] = ["not now", "honored", "struggled", "want to revisit"];

fn mark_of(choice: usize) -> Option<ReviewMark> {
    match choice {
        1 => Some(ReviewMark::Honored),
        2 => Some(ReviewMark::Struggled),
        3 => Some(ReviewMark::Revisit),
        _ => None,
    }
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

impl<Tz: TimeZone> App<Tz>
where
    Tz::Offset: std::fmt::Display,
{
    /// W: the menu (start or skip), unless this week's is already done or skipped.
    pub(super) fn weekly_menu(&mut self) -> Result<(), AppError> {
        let week = schedule::meeting_date(self.local_now(), &self.settings);
        match self.store.meeting_for_week(week)? {
            Some(m) if m.completed_at.is_some() || m.skipped_at.is_some() => self.open_meeting(),
            _ => {
                self.overlay = Some(Overlay::Weekly { selected: 0 });
                Ok(())
            }
        }
    }

    /// W: start this week's meeting, or carry on with one left half-way.
    pub(super) fn open_meeting(&mut self) -> Result<(), AppError> {
        let week = schedule::meeting_date(self.local_now(), &self.settings);
        let existing = self.store.meeting_for_week(week)?;
        let meeting = match existing {
            Some(m) if m.completed_at.is_some() || m.skipped_at.is_some() => {
                let what = if m.completed_at.is_some() {
                    "done"
                } else {
                    "skipped"
                };
                self.info(format!(
                    "This week's check-in is {what}. {}",
                    schedule::describe(
                        self.local_now(),
                        self.weekly
                            .as_ref()
                            .unwrap_or(&schedule::WeeklyStatus::Upcoming { at: self.now })
                    )
                ));
                return Ok(());
            }
            Some(m) => m,
            None => Meeting {
                id: domain::new_id(),
                week,
                started_at: domain::instant(self.now),
                answers: json!({"step": 0}),
                intentions: json!([]),
                completed_at: None,
                skipped_at: None,
                skip_reason: None,
                updated_at: domain::instant(self.now),
            },
        };
        let step = meeting.answers["step"].as_u64().unwrap_or(0).min(5) as usize;
        self.show_step(meeting, step)
    }

    pub(super) fn open_skip(&mut self) {
        let form = Form::new(
            "Skip this week's check-in",
            vec![Field::line(
                "Why skip this week?",
                "",
                "a few words: travelling, ill, we talked already…",
            )],
        )
        .with_intro(vec![
            "Skipping is fine. Saying why helps you notice patterns later.".into(),
        ]);
        self.overlay = Some(Overlay::Form {
            kind: FormKind::SkipMeeting,
            form,
        });
    }

    pub(super) fn save_skip(&mut self, reason: &str) -> Result<(), AppError> {
        let reason = domain::required_text("the reason", reason)?;
        let week = schedule::meeting_date(self.local_now(), &self.settings);
        if self
            .store
            .meeting_for_week(week)?
            .is_some_and(|m| m.completed_at.is_some())
        {
            return Err(crate::error::ValidationError::Rule(
                "this week's check-in is already done".into(),
            )
            .into());
        }
        let mut m = self.store.meeting_for_week(week)?.unwrap_or(Meeting {
            id: domain::new_id(),
            week,
            started_at: domain::instant(self.now),
            answers: json!({}),
            intentions: json!([]),
            completed_at: None,
            skipped_at: None,
            skip_reason: None,
            updated_at: domain::instant(self.now),
        });
        m.skipped_at = Some(domain::instant(self.now));
        m.skip_reason = Some(reason);
        m.updated_at = domain::instant(self.now);
        self.store.save_meeting(&m)?;
        self.reload()?;
        self.info("Skipped this week. See you at the next one.");
        Ok(())
    }

    fn show_step(&mut self, meeting: Meeting, step: usize) -> Result<(), AppError> {
        let form = self.step_form(&meeting, step)?;
        self.show_meeting(step, meeting, form);
        Ok(())
    }

    /// Puts a step of the meeting on screen (again).
    pub(super) fn show_meeting(&mut self, step: usize, meeting: Meeting, form: Form) {
        self.overlay = Some(Overlay::Form {
            kind: FormKind::Meeting {
                step,
                meeting: Box::new(meeting),
            },
            form,
        });
    }

    fn names(&self) -> (String, String, String, String) {
        let c = self.couple.clone().unwrap_or_default_couple();
        (
            c[0].id.clone(),
            c[0].name.clone(),
            c[1].id.clone(),
            c[1].name.clone(),
        )
    }

    fn step_form(&self, m: &Meeting, step: usize) -> Result<Form, AppError> {
        let (a_id, a, b_id, b) = self.names();
        // The week looked back on ends on the scheduled day, or tonight when held early.
        let evening = self.evening().min(m.week);
        let week_from = evening - Duration::days(6);
        let answers = &m.answers;
        let title = format!("Weekly check-in · step {} of 6 · {}", step + 1, STEPS[step]);
        let mut intro = Vec::new();
        let fields = match step {
            0 => {
                let mut fields = Vec::new();
                let last = self
                    .store
                    .recent_meetings(8)?
                    .into_iter()
                    .find(|x| x.week < m.week && x.completed_at.is_some());
                if let Some(intention) = last
                    .as_ref()
                    .and_then(|l| l.intentions[0].as_str())
                    .filter(|t| !t.is_empty())
                {
                    intro.push(format!("Last week we said: “{intention}”. How did we do?"));
                    fields.push(Field::line(
                        "How did we do?",
                        &s(&answers["last_week"]),
                        "honestly, in a few words",
                    ));
                }
                intro.push("Each of you: at least one appreciation of the other, one per line. Five is the ideal.".into());
                let wins = self.store.wins_between(week_from, evening)?;
                if !wins.is_empty() {
                    let list: Vec<String> = wins
                        .iter()
                        .rev()
                        .take(4)
                        .map(|w| crate::text::fit(&w.text, 40))
                        .collect();
                    intro.push(format!("From this week's wins: {}", list.join(" · ")));
                }
                fields.push(Field::block(
                    &format!("{a} appreciates {b}"),
                    &s(&answers["appreciations"][&a_id]),
                    "one per line",
                ));
                fields.push(Field::block(
                    &format!("{b} appreciates {a}"),
                    &s(&answers["appreciations"][&b_id]),
                    "one per line",
                ));
                fields
            }
            1 => {
                let wins = self.store.wins_between(week_from, evening)?;
                if wins.is_empty() {
                    intro.push("No wins were logged this week. What went right anyway?".into());
                } else {
                    intro.push(format!(
                        "This week you logged {} win{}:",
                        wins.len(),
                        if wins.len() == 1 { "" } else { "s" }
                    ));
                    for w in wins.iter().rev().take(8) {
                        intro.push(format!(
                            "  {} {} ({})",
                            if w.celebrated_by.is_some() {
                                "♥"
                            } else {
                                "•"
                            },
                            crate::text::fit(&w.text, 60),
                            self.name_of(&w.logged_by)
                        ));
                    }
                }
                vec![Field::block(
                    "Anything else that went right?",
                    &s(&answers["went_right"]),
                    "optional",
                )]
            }
            2 => {
                let checkins = self.store.checkins_between(week_from, evening)?;
                if checkins.is_empty() {
                    intro.push("No check-ins this week. How did it feel, looking back?".into());
                } else {
                    intro.push(format!("{:<12}{:<26}{}", "Evening", a, b));
                    for d in 0..7 {
                        let day = week_from + Duration::days(d);
                        let cell = |id: &str| {
                            checkins
                                .iter()
                                .find(|c| c.partner_id == id && c.evening == day)
                                .map(|c| {
                                    format!(
                                        "{} {} · {} {}",
                                        c.mood,
                                        domain::mood_word(c.mood),
                                        c.closeness,
                                        domain::closeness_word(c.closeness)
                                    )
                                })
                                .unwrap_or_else(|| "—".into())
                        };
                        intro.push(format!(
                            "{:<12}{:<26}{}",
                            day.format("%a %-d %b"),
                            cell(&a_id),
                            cell(&b_id)
                        ));
                    }
                }
                vec![Field::block(
                    "A word on how the week felt",
                    &s(&answers["week_felt"]),
                    "optional",
                )]
            }
            3 => {
                let due = self.store.agreements_due(evening)?;
                if due.is_empty() {
                    intro.push("No agreements are due for review this week.".into());
                    vec![Field::block(
                        "Anything about your agreements?",
                        &s(&answers["agreements_note"]),
                        "optional",
                    )]
                } else {
                    intro.push(
                        "For each agreement due: how has it gone? Marks go into its history."
                            .into(),
                    );
                    due.iter()
                        .map(|ag| {
                            let chosen = answers["agreements"][&ag.id]
                                .as_str()
                                .and_then(|v| AGREEMENT_CHOICES.iter().position(|c| *c == v))
                                .unwrap_or(0);
                            Field::choice(
                                &ag.title,
                                AGREEMENT_CHOICES.iter().map(|c| c.to_string()).collect(),
                                chosen,
                            )
                        })
                        .collect()
                }
            }
            4 => {
                intro.push(
                    "One thing that's been hard, if there is one. A complaint comes with a request: \
                     what you'd like instead. It can be left empty."
                        .into(),
                );
                let by = if answers["hard"]["by"].as_str() == Some(&b_id) {
                    1
                } else {
                    0
                };
                vec![
                    Field::choice("Who's sharing it?", vec![a.clone(), b.clone()], by),
                    Field::block("What's been hard", &s(&answers["hard"]["what"]), "optional"),
                    Field::block(
                        "What I'd like instead",
                        &s(&answers["hard"]["request"]),
                        "a request, not a verdict",
                    ),
                ]
            }
            _ => {
                intro.push("Each of you answers the other's question, then you choose one intention together.".into());
                vec![
                    Field::block(
                        &format!("{b}: what can {a} do next week to make you feel loved?"),
                        &s(&answers["loved"][&b_id]),
                        &format!("{b} answers"),
                    ),
                    Field::block(
                        &format!("{a}: what can {b} do next week to make you feel loved?"),
                        &s(&answers["loved"][&a_id]),
                        &format!("{a} answers"),
                    ),
                    Field::line(
                        "Our intention for the week",
                        &s(&m.intentions[0]),
                        "one line you both agree on",
                    ),
                ]
            }
        };
        intro.push(String::new());
        intro.push(if step == 5 {
            "Ctrl-S finishes the check-in · Esc pauses (your answers are kept)".into()
        } else {
            "Ctrl-S goes to the next step · Esc pauses (your answers are kept)".into()
        });
        Ok(Form::new(&title, fields).with_intro(intro))
    }

    /// Takes the step's answers into the meeting. `finishing` applies the step's rules.
    fn collect(
        &mut self,
        m: &mut Meeting,
        step: usize,
        form: &Form,
        finishing: bool,
    ) -> Result<(), AppError> {
        let (a_id, _, b_id, _) = self.names();
        let ans = &mut m.answers;
        let rule = |s: &str| AppError::Invalid(crate::error::ValidationError::Rule(s.into()));
        match step {
            0 => {
                let offset = usize::from(form.fields.len() == 3);
                if offset == 1 {
                    ans["last_week"] = json!(domain::optional_text("the answer", &form.text(0))?);
                }
                let x = domain::optional_text("an appreciation", &form.text(offset))?;
                let y = domain::optional_text("an appreciation", &form.text(offset + 1))?;
                if finishing && (x.is_empty() || y.is_empty()) {
                    return Err(rule("each of you names at least one appreciation first"));
                }
                ans["appreciations"] = json!({ a_id.clone(): x, b_id.clone(): y });
            }
            1 => ans["went_right"] = json!(domain::optional_text("the answer", &form.text(0))?),
            2 => ans["week_felt"] = json!(domain::optional_text("the answer", &form.text(0))?),
            3 => {
                let due = self.store.agreements_due(self.evening())?;
                if due.is_empty() {
                    ans["agreements_note"] =
                        json!(domain::optional_text("the note", &form.text(0))?);
                } else {
                    let mut marks = ans["agreements"].as_object().cloned().unwrap_or_default();
                    for (i, ag) in due.iter().enumerate() {
                        marks.insert(
                            ag.id.clone(),
                            json!(AGREEMENT_CHOICES[form.choice(i).min(3)]),
                        );
                    }
                    ans["agreements"] = Value::Object(marks);
                }
            }
            4 => {
                let what = domain::optional_text("what's been hard", &form.text(1))?;
                let request = domain::optional_text("the request", &form.text(2))?;
                if finishing && !what.is_empty() && request.is_empty() {
                    return Err(rule(
                        "a complaint comes with a request: say what you'd like instead",
                    ));
                }
                let by = if form.choice(0) == 1 { &b_id } else { &a_id };
                ans["hard"] = json!({"by": by, "what": what, "request": request});
            }
            _ => {
                let x = domain::optional_text("the answer", &form.text(0))?;
                let y = domain::optional_text("the answer", &form.text(1))?;
                let intention = domain::optional_text("the intention", &form.text(2))?;
                if finishing && intention.is_empty() {
                    return Err(rule("choose one intention for the week together"));
                }
                ans["loved"] = json!({ b_id.clone(): x, a_id.clone(): y });
                m.intentions = json!([intention]);
            }
        }
        Ok(())
    }

    /// Enter on the last field, or Ctrl-S: keep the step and move on (or finish).
    pub(super) fn meeting_next(
        &mut self,
        step: usize,
        mut m: Meeting,
        form: &Form,
    ) -> Result<(), AppError> {
        self.collect(&mut m, step, form, true)?;
        if step == 3 {
            self.record_agreement_marks(&mut m)?;
        }
        let next = step + 1;
        m.answers["step"] = json!(next.min(5));
        m.updated_at = domain::instant(self.now);
        if next >= STEPS.len() {
            m.completed_at = Some(domain::instant(self.now));
            self.store.save_meeting(&m)?;
            self.overlay = None;
            self.reload()?;
            let intention = s(&m.intentions[0]);
            self.message = Some(Message {
                text: format!("Weekly check-in saved. This week: “{intention}”."),
                tone: Tone::Celebrate,
            });
            return Ok(());
        }
        self.store.save_meeting(&m)?;
        self.show_step(m, next)
    }

    /// Esc: whatever is written so far is kept, and W carries on from this step.
    pub(super) fn meeting_pause(
        &mut self,
        step: usize,
        mut m: Meeting,
        form: &Form,
    ) -> Result<(), AppError> {
        self.collect(&mut m, step, form, false)?;
        m.answers["step"] = json!(step);
        m.updated_at = domain::instant(self.now);
        self.store.save_meeting(&m)?;
        self.overlay = None;
        self.reload()?;
        self.info(format!(
            "Paused at step {} of 6. Press W to carry on.",
            step + 1
        ));
        Ok(())
    }

    /// Each mark goes into the agreement's history once, for both partners (they decide together).
    fn record_agreement_marks(&mut self, m: &mut Meeting) -> Result<(), AppError> {
        let Some(marks) = m.answers["agreements"].as_object().cloned() else {
            return Ok(());
        };
        let mut recorded = m.answers["recorded"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for (id, v) in marks {
            let choice = AGREEMENT_CHOICES
                .iter()
                .position(|c| v.as_str() == Some(c))
                .unwrap_or(0);
            let Some(mark) = mark_of(choice) else {
                continue;
            };
            if recorded.get(&id).and_then(Value::as_str) == Some(mark.as_str()) {
                continue;
            }
            self.store
                .review_agreement(&id, None, mark, "", self.evening(), self.now)?;
            recorded.insert(id, json!(mark.as_str()));
        }
        m.answers["recorded"] = Value::Object(recorded);
        Ok(())
    }
}

trait CoupleOrPlaceholder {
    fn unwrap_or_default_couple(self) -> [domain::Partner; 2];
}

impl CoupleOrPlaceholder for Option<[domain::Partner; 2]> {
    /// The meeting only opens with a couple; this keeps a broken journal from panicking.
    fn unwrap_or_default_couple(self) -> [domain::Partner; 2] {
        self.unwrap_or_else(|| {
            let p = |seat| domain::Partner {
                id: String::new(),
                seat,
                name: "?".into(),
                color: domain::default_color(seat).into(),
                created_at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
            };
            [p(1), p(2)]
        })
    }
}
