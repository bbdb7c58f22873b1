//! The smallest ratatui program: the yardstick for `scripts/launch-time.sh`.
//! One line of text near the top, one near the bottom; `q` quits.

use std::io;

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind};
use ratatui::layout::{Constraint, Layout};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

fn main() -> io::Result<()> {
    // `init` enters raw mode and the alternate screen, and restores them on a panic;
    // `restore` undoes it on the way out, whatever `run` returned.
    let mut terminal = ratatui::init();
    let result = run(&mut terminal);
    ratatui::restore();
    result
}

fn run(terminal: &mut ratatui::DefaultTerminal) -> io::Result<()> {
    loop {
        terminal.draw(draw)?;
        if let Event::Key(key) = event::read()? {
            if key.kind == KeyEventKind::Press && key.code == KeyCode::Char('q') {
                return Ok(());
            }
        }
    }
}

fn draw(f: &mut Frame) {
    let [top, _, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(f.area());
    f.render_widget(Paragraph::new("hello, ratatui"), top);
    f.render_widget(Paragraph::new("q quit"), bottom);
}
