use chrono::{DateTime, NaiveTime, Utc, Weekday};
use rusqlite::{params, OptionalExtension, Row};

use super::{bad_column, ts, Result, Store};
use crate::domain::{self, Partner, Seat, Settings};
use crate::error::StoreError;

const PARTNER_COLS: &str = "id, seat, name, color, created_at";

fn partner_row(r: &Row) -> rusqlite::Result<Partner> {
    Ok(Partner {
        id: r.get(0)?,
        seat: r.get(1)?,
        name: r.get(2)?,
        color: r.get(3)?,
        created_at: r.get(4)?,
    })
}

fn weekday_from(n: i64) -> Option<Weekday> {
    usize::try_from(n)
        .ok()
        .and_then(|i| domain::WEEKDAYS.get(i).copied())
}

fn hhmm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

impl Store {
    /// Both partners, in seat order; empty before setup.
    pub fn partners(&self) -> Result<Vec<Partner>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {PARTNER_COLS} FROM partners ORDER BY seat"
        ))?;
        let rows = st.query_map([], partner_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The two partners, or a message saying to run setup first.
    pub fn couple(&self) -> Result<[Partner; 2]> {
        let mut ps = self.partners()?;
        if ps.len() != 2 {
            return Err(StoreError::NoPartners);
        }
        let b = ps.pop().expect("two partners");
        let a = ps.pop().expect("two partners");
        Ok([a, b])
    }

    /// Creates the couple, or renames them when they already exist (seat order is kept).
    pub fn set_partners(&mut self, names: [&str; 2], now: DateTime<Utc>) -> Result<[Partner; 2]> {
        let a = domain::name(names[0])?;
        let b = domain::name(names[1])?;
        if domain::fold(&a) == domain::fold(&b) {
            return Err(domain_rule("the two names must differ"));
        }
        // Names given in the other order, or one name kept, must not move anyone's entries to
        // the other partner: a name that matches an existing partner stays with that partner.
        let existing = self.partners()?;
        let seat_of = |n: &str| {
            existing
                .iter()
                .find(|p| domain::fold(&p.name) == domain::fold(n))
                .map(|p| p.seat)
        };
        let (first, second) = match (seat_of(&a), seat_of(&b)) {
            (Some(Seat::Second), _) | (_, Some(Seat::First)) => (&b, &a),
            _ => (&a, &b),
        };
        let tx = self.conn.transaction()?;
        for (seat, name) in [(Seat::First, first), (Seat::Second, second)] {
            let updated = tx.execute(
                "UPDATE partners SET name = ?1 WHERE seat = ?2",
                params![name, seat],
            )?;
            if updated == 0 {
                tx.execute(
                    "INSERT INTO partners (id, seat, name, color, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![domain::new_id(), seat, name, domain::default_color(seat), ts(&domain::instant(now))],
                )?;
            }
        }
        tx.commit()?;
        self.couple()
    }

    pub fn set_partner_color(&self, partner_id: &str, color: &str) -> Result<()> {
        let color = domain::color(color)?;
        self.conn.execute(
            "UPDATE partners SET color = ?1 WHERE id = ?2",
            params![color, partner_id],
        )?;
        Ok(())
    }

    pub fn settings(&self) -> Result<Settings> {
        let row = self
            .conn
            .query_row(
                "SELECT weekly_weekday, weekly_time, day_boundary, weekly_from FROM settings
                 WHERE id = 1",
                [],
                |r| {
                    let wd: i64 = r.get(0)?;
                    let wt: String = r.get(1)?;
                    let db: String = r.get(2)?;
                    let weekday = weekday_from(wd).ok_or_else(|| bad_column(0, "weekday"))?;
                    let weekly_time = NaiveTime::parse_from_str(&wt, "%H:%M")
                        .map_err(|_| bad_column(1, "weekly time"))?;
                    let day_boundary = NaiveTime::parse_from_str(&db, "%H:%M")
                        .map_err(|_| bad_column(2, "day boundary"))?;
                    Ok(Settings {
                        weekly_weekday: weekday,
                        weekly_time,
                        day_boundary,
                        weekly_from: r.get(3)?,
                    })
                },
            )
            .optional()?;
        Ok(row.unwrap_or_default())
    }

    /// Saves the settings; a changed weekly day or time counts from `now` on.
    pub fn save_settings(&self, s: &Settings, now: DateTime<Utc>) -> Result<()> {
        let before = self.settings()?;
        let moved =
            before.weekly_weekday != s.weekly_weekday || before.weekly_time != s.weekly_time;
        let weekly_from = if moved {
            Some(domain::instant(now))
        } else {
            before.weekly_from
        };
        self.conn.execute(
            "INSERT INTO settings (id, weekly_weekday, weekly_time, day_boundary, updated_at,
                 weekly_from)
             VALUES (1, ?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET weekly_weekday = ?1, weekly_time = ?2,
                 day_boundary = ?3, updated_at = ?4, weekly_from = ?5",
            params![
                s.weekly_weekday.num_days_from_monday(),
                hhmm(s.weekly_time),
                hhmm(s.day_boundary),
                ts(&domain::instant(now)),
                weekly_from.map(|t| ts(&t))
            ],
        )?;
        Ok(())
    }

    /// The evening a moment belongs to, by this journal's new-evening time.
    pub fn evening_at<Tz: chrono::TimeZone>(
        &self,
        now: &DateTime<Tz>,
    ) -> Result<chrono::NaiveDate> {
        Ok(domain::evening_of(
            now.naive_local(),
            self.settings()?.day_boundary,
        ))
    }

    /// When the couple was set up: the weekly schedule starts counting from here.
    pub fn started_at(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(self
            .conn
            .query_row("SELECT min(created_at) FROM partners", [], |r| r.get(0))
            .optional()?
            .flatten())
    }
}

pub(crate) fn domain_rule(s: &str) -> StoreError {
    StoreError::Invalid(crate::error::ValidationError::Rule(s.into()))
}
