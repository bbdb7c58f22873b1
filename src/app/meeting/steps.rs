//! The eight steps of the weekly check-in: what each one shows, what it asks, and how its
//! answers are taken into the meeting.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, TimeZone};

use super::STEPS;
use crate::app::form::{Field, Form};
use crate::app::App;
use crate::domain::{
    self, Answers, GoodTime, Hard, Meeting, Partner, Seat, Trust, Verdict, TRUST_WORDS,
};
use crate::error::{AppError, ValidationError};
use crate::text::fit;

/// Who is who, and which week is looked back on.
struct Week {
    a: Partner,
    b: Partner,
    /// The week ends on the scheduled day, or tonight when held early.
    to: NaiveDate,
    from: NaiveDate,
}

fn answer(map: &Option<BTreeMap<String, String>>, id: &str) -> String {
    map.as_ref()
        .and_then(|m| m.get(id))
        .cloned()
        .unwrap_or_default()
}

fn text(t: &Option<String>) -> String {
    t.clone().unwrap_or_default()
}

fn rule(s: &str) -> AppError {
    ValidationError::Rule(s.into()).into()
}

/// The meeting only opens with a couple; a stand-in keeps a broken journal from panicking.
fn stand_in(seat: Seat) -> Partner {
    Partner {
        id: String::new(),
        seat,
        name: "?".into(),
        color: domain::default_color(seat).into(),
        created_at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
    }
}

impl<Tz: TimeZone> App<Tz>
where
    Tz::Offset: std::fmt::Display,
{
    fn week(&self, m: &Meeting) -> Week {
        let [a, b] = self
            .couple
            .clone()
            .unwrap_or_else(|| Seat::ALL.map(stand_in));
        let to = self.evening().min(m.week);
        Week {
            a,
            b,
            to,
            from: to - Duration::days(6),
        }
    }

    /// A step of the meeting as a form: what to look at together above, what to answer below.
    pub(super) fn step_form(&self, m: &Meeting, step: usize) -> Result<Form, AppError> {
        let w = self.week(m);
        let mut intro = Vec::new();
        let fields = match step {
            0 => self.appreciations_step(m, &w, &mut intro)?,
            1 => self.went_right_step(&m.answers, &w, &mut intro)?,
            2 => self.week_felt_step(&m.answers, &w, &mut intro)?,
            3 => self.agreements_step(&m.answers, &w, &mut intro)?,
            4 => hard_step(&m.answers, &w, self.me, &mut intro),
            5 => trust_step(&m.answers, &w, self.me, &mut intro),
            6 => {
                let given = |p: &Partner| m.answers.trust.as_ref().and_then(|t| t.get(&p.id));
                if m.answers.trust.is_some() {
                    intro.push(format!(
                        "This week's trust: {}",
                        together(&w, given(&w.a), given(&w.b))
                    ));
                    intro.push(String::new());
                }
                good_time_step(&m.answers, &mut intro)
            }
            _ => next_week_step(m, &w, &mut intro),
        };
        intro.push(String::new());
        intro.push(if step + 1 == STEPS.len() {
            "Ctrl-S finishes the check-in · Esc pauses (your answers are kept)".into()
        } else {
            "Ctrl-S goes to the next step · Esc pauses (your answers are kept)".into()
        });
        let title = format!(
            "Weekly check-in · step {} of {} · {}",
            step + 1,
            STEPS.len(),
            STEPS[step]
        );
        Ok(Form::new(&title, fields).with_intro(intro))
    }

    fn appreciations_step(
        &self,
        m: &Meeting,
        w: &Week,
        intro: &mut Vec<String>,
    ) -> Result<Vec<Field>, AppError> {
        let mut fields = Vec::new();
        let last = self
            .store
            .recent_meetings(8)?
            .into_iter()
            .find(|x| x.week < m.week && x.completed_at.is_some());
        if let Some(intention) = last.as_ref().and_then(Meeting::intention) {
            intro.push(format!("Last week we said: “{intention}”. How did we do?"));
            fields.push(Field::line(
                "last_week",
                "How did we do?",
                &text(&m.answers.last_week),
                "honestly, in a few words",
            ));
        }
        intro.push(
            "Each of you: at least one appreciation of the other, one per line. Five is the ideal."
                .into(),
        );
        let wins = self.store.wins_between(w.from, w.to)?;
        if !wins.is_empty() {
            let list: Vec<String> = wins
                .iter()
                .rev()
                .take(4)
                .map(|x| fit(&x.text, 40))
                .collect();
            intro.push(format!("From this week's wins: {}", list.join(" · ")));
        }
        let (a, b) = (&w.a, &w.b);
        fields.push(Field::block(
            "first_appreciates",
            &format!("{} appreciates {}", a.name, b.name),
            &answer(&m.answers.appreciations, &a.id),
            "one per line",
        ));
        fields.push(Field::block(
            "second_appreciates",
            &format!("{} appreciates {}", b.name, a.name),
            &answer(&m.answers.appreciations, &b.id),
            "one per line",
        ));
        Ok(fields)
    }

    fn went_right_step(
        &self,
        answers: &Answers,
        w: &Week,
        intro: &mut Vec<String>,
    ) -> Result<Vec<Field>, AppError> {
        let wins = self.store.wins_between(w.from, w.to)?;
        if wins.is_empty() {
            intro.push("No wins were logged this week. What went right anyway?".into());
        } else {
            intro.push(format!(
                "This week you logged {} win{}:",
                wins.len(),
                if wins.len() == 1 { "" } else { "s" }
            ));
            for x in wins.iter().rev().take(8) {
                let heart = if x.celebrated_by.is_some() {
                    "♥"
                } else {
                    "•"
                };
                intro.push(format!(
                    "  {heart} {} ({})",
                    fit(&x.text, 60),
                    self.name_of(&x.logged_by)
                ));
            }
        }
        Ok(vec![Field::block(
            "went_right",
            "Anything else that went right?",
            &text(&answers.went_right),
            "optional",
        )])
    }

    fn week_felt_step(
        &self,
        answers: &Answers,
        w: &Week,
        intro: &mut Vec<String>,
    ) -> Result<Vec<Field>, AppError> {
        let checkins = self.store.checkins_between(w.from, w.to)?;
        if checkins.is_empty() {
            intro.push("No check-ins this week. How did it feel, looking back?".into());
        } else {
            intro.push(format!("{:<12}{:<26}{}", "Evening", w.a.name, w.b.name));
            for d in 0..7 {
                let day = w.from + Duration::days(d);
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
                    cell(&w.a.id),
                    cell(&w.b.id)
                ));
            }
        }
        Ok(vec![Field::block(
            "week_felt",
            "A word on how the week felt",
            &text(&answers.week_felt),
            "optional",
        )])
    }

    fn agreements_step(
        &self,
        answers: &Answers,
        w: &Week,
        intro: &mut Vec<String>,
    ) -> Result<Vec<Field>, AppError> {
        let due = self.store.agreements_due(w.to)?;
        if due.is_empty() {
            intro.push("No agreements are due for review this week.".into());
            return Ok(vec![Field::block(
                "agreements_note",
                "Anything about your agreements?",
                &text(&answers.agreements_note),
                "optional",
            )]);
        }
        intro.push("For each agreement due: how has it gone? Marks go into its history.".into());
        let labels: Vec<String> = Verdict::ALL.iter().map(|v| v.label().into()).collect();
        Ok(due
            .iter()
            .map(|ag| {
                let chosen = answers
                    .agreements
                    .as_ref()
                    .and_then(|m| m.get(&ag.id))
                    .and_then(|v| Verdict::ALL.iter().position(|x| x == v))
                    .unwrap_or(0);
                Field::choice(&ag.id, &ag.title, labels.clone(), chosen)
            })
            .collect())
    }

    /// Takes the step's answers into the meeting. `finishing` applies the step's rules.
    pub(super) fn collect(
        &mut self,
        m: &mut Meeting,
        step: usize,
        form: &Form,
        finishing: bool,
    ) -> Result<(), AppError> {
        let w = self.week(m);
        let given = |key: &str| domain::optional_text("the answer", &form.text(key));
        let ans = &mut m.answers;
        match step {
            0 => {
                if form.has("last_week") {
                    ans.last_week = Some(given("last_week")?);
                }
                let x = domain::optional_text("an appreciation", &form.text("first_appreciates"))?;
                let y = domain::optional_text("an appreciation", &form.text("second_appreciates"))?;
                // On one partner's own device, the other's appreciations come from theirs.
                let missing = match self.me {
                    Some(Seat::First) => x.is_empty(),
                    Some(Seat::Second) => y.is_empty(),
                    None => x.is_empty() || y.is_empty(),
                };
                if finishing && missing {
                    return Err(rule(if self.me.is_some() {
                        "name at least one appreciation first"
                    } else {
                        "each of you names at least one appreciation first"
                    }));
                }
                ans.appreciations = Some([(w.a.id, x), (w.b.id, y)].into_iter().collect());
            }
            1 => ans.went_right = Some(given("went_right")?),
            2 => ans.week_felt = Some(given("week_felt")?),
            3 => {
                let due = self.store.agreements_due(self.evening())?;
                if due.is_empty() {
                    let note = domain::optional_text("the note", &form.text("agreements_note"))?;
                    ans.agreements_note = Some(note);
                } else {
                    let marks = ans.agreements.get_or_insert_with(BTreeMap::new);
                    for ag in &due {
                        let chosen = form.choice(&ag.id).min(Verdict::ALL.len() - 1);
                        marks.insert(ag.id.clone(), Verdict::ALL[chosen]);
                    }
                }
            }
            4 => {
                let what = domain::optional_text("what's been hard", &form.text("what"))?;
                let request = domain::optional_text("the request", &form.text("request"))?;
                if finishing && !what.is_empty() && request.is_empty() {
                    return Err(rule(
                        "a complaint comes with a request: say what you'd like instead",
                    ));
                }
                let by = if form.choice("by") == 1 {
                    w.b.id
                } else {
                    w.a.id
                };
                ans.hard = Some(Hard { by, request, what });
            }
            5 => {
                let trust = ans.trust.get_or_insert_with(BTreeMap::new);
                for (p, key) in [(&w.a, "first"), (&w.b, "second")] {
                    let Some(rating) = form.rating(&format!("{key}_trust")) else {
                        continue;
                    };
                    let words = domain::optional_text(
                        "what helped",
                        &form.text(&format!("{key}_trust_words")),
                    )?;
                    trust.insert(p.id.clone(), Trust { rating, words });
                }
                if trust.is_empty() {
                    ans.trust = None;
                }
            }
            6 => {
                let what = domain::optional_text("the good time", &form.text("what"))?;
                let when = domain::optional_text("when", &form.text("when"))?;
                let done_at = ans.good_time.as_ref().and_then(|g| g.done_at);
                ans.good_time = (!what.is_empty()).then_some(GoodTime {
                    done_at,
                    what,
                    when,
                });
            }
            _ => {
                let x = given("second_loved")?;
                let y = given("first_loved")?;
                let intention = domain::optional_text("the intention", &form.text("intention"))?;
                if finishing && intention.is_empty() {
                    return Err(rule("choose one intention for the week together"));
                }
                ans.loved = Some([(w.b.id, x), (w.a.id, y)].into_iter().collect());
                m.intentions = vec![intention];
            }
        }
        Ok(())
    }
}

fn hard_step(answers: &Answers, w: &Week, me: Option<Seat>, intro: &mut Vec<String>) -> Vec<Field> {
    intro.push(
        "One thing that's been hard, if there is one. A complaint comes with a request: \
         what you'd like instead. It can be left empty."
            .into(),
    );
    let hard = answers.hard.clone().unwrap_or_default();
    // Whoever wrote it; on a paired device, before anyone has, whose device it is.
    let by = if hard.by.is_empty() {
        usize::from(me == Some(Seat::Second))
    } else {
        usize::from(hard.by == w.b.id)
    };
    vec![
        Field::choice(
            "by",
            "Who's sharing it?",
            vec![w.a.name.clone(), w.b.name.clone()],
            by,
        ),
        Field::block("what", "What's been hard", &hard.what, "optional"),
        Field::block(
            "request",
            "What I'd like instead",
            &hard.request,
            "a request, not a verdict",
        ),
    ]
}

fn trust_step(
    answers: &Answers,
    w: &Week,
    me: Option<Seat>,
    intro: &mut Vec<String>,
) -> Vec<Field> {
    let given = |p: &Partner| answers.trust.as_ref().and_then(|t| t.get(&p.id)).cloned();
    let (a, b) = (given(&w.a), given(&w.b));
    let both = a.is_some() && b.is_some();
    intro.push("How safe and trusting did this week feel between you?".into());
    if both {
        intro.push(format!("Together: {}", together(w, a.as_ref(), b.as_ref())));
    }
    // Who answers now: on a paired device its partner; on a shared screen one at a time,
    // each without seeing the other's, until both have; then both, to look at together.
    let turn = match me {
        Some(seat) => Some(seat),
        None if both => None,
        None if a.is_none() => Some(Seat::First),
        None => Some(Seat::Second),
    };
    let mut fields = Vec::new();
    for (p, given, key, seat) in [
        (&w.a, &a, "first", Seat::First),
        (&w.b, &b, "second", Seat::Second),
    ] {
        if turn.is_some_and(|t| t != seat) {
            let other = if seat == Seat::First { &w.b } else { &w.a };
            intro.push(match (me, given.is_some()) {
                (Some(_), true) => format!("{} has answered on their own device.", p.name),
                (Some(_), false) => format!("{} answers on their own device.", p.name),
                (None, true) => format!(
                    "{}, on your own now; {}'s answer shows once yours is in.",
                    other.name, p.name
                ),
                (None, false) => format!(
                    "{}, on your own first ({} looks away); then {}.",
                    other.name, p.name, p.name
                ),
            });
            continue;
        }
        fields.push(Field::rating(
            &format!("{key}_trust"),
            &format!("{}: how safe and trusting did the week feel?", p.name),
            given.as_ref().map(|t| t.rating),
            &TRUST_WORDS,
        ));
        fields.push(Field::line(
            &format!("{key}_trust_words"),
            &format!("{}: what helped, or what would help", p.name),
            given.as_ref().map_or("", |t| t.words.as_str()),
            "optional",
        ));
    }
    fields
}

/// Both trust readings side by side, once both are in.
fn together(w: &Week, a: Option<&Trust>, b: Option<&Trust>) -> String {
    let one = |p: &Partner, t: Option<&Trust>| match t {
        Some(t) => format!("{} {} ({})", p.name, t.rating, domain::trust_word(t.rating)),
        None => format!("{} —", p.name),
    };
    format!("{} · {}", one(&w.a, a), one(&w.b, b))
}

fn good_time_step(answers: &Answers, intro: &mut Vec<String>) -> Vec<Field> {
    intro.push(
        "Plan one good time together this week: something you both enjoy, and when. It shows \
         on Tonight all week."
            .into(),
    );
    let g = answers.good_time.clone().unwrap_or_default();
    vec![
        Field::line(
            "what",
            "A good time together",
            &g.what,
            "a walk, a film, breakfast out",
        ),
        Field::line("when", "When", &g.when, "Saturday morning"),
    ]
}

fn next_week_step(m: &Meeting, w: &Week, intro: &mut Vec<String>) -> Vec<Field> {
    intro.push(
        "Each of you answers the other's question, then you choose one intention together.".into(),
    );
    let (a, b) = (&w.a.name, &w.b.name);
    vec![
        Field::block(
            "second_loved",
            &format!("{b}: what can {a} do next week to make you feel loved?"),
            &answer(&m.answers.loved, &w.b.id),
            &format!("{b} answers"),
        ),
        Field::block(
            "first_loved",
            &format!("{a}: what can {b} do next week to make you feel loved?"),
            &answer(&m.answers.loved, &w.a.id),
            &format!("{a} answers"),
        ),
        Field::line(
            "intention",
            "Our intention for the week",
            m.intentions.first().map(String::as_str).unwrap_or(""),
            "one line you both agree on",
        ),
    ]
}
