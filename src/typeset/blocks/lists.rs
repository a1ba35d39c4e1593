//! Lists: items hung from their markers (bullets, numbers, task boxes).

use crate::model::List;

use super::super::paginate::VItem;
use super::super::paragraph::{serif, Line, Run};
use super::{ChapterBuilder, Env, AROUND_DISPLAY};
use crate::fonts::Style;

impl ChapterBuilder<'_, '_> {
    pub(super) fn list(&mut self, list: &List, env: Env) {
        let style = serif(Style::Regular, env.size);
        let markers: Vec<String> = (0..list.items.len())
            .map(|i| match list.start {
                Some(start) => format!("{}.", list.numbering.label(start.saturating_add(i as u64))),
                None => "•".to_string(),
            })
            .collect();
        let widest = markers
            .iter()
            .map(|m| self.width_of(m, &style))
            .fold(0.0f32, f32::max);
        let gap = env.size * 0.5;
        let hang = (widest + gap).max(env.size * 1.5);
        let inner = Env {
            x: env.x + hang,
            measure: (env.measure - hang).max(env.size * 4.0),
            ..env
        };
        for (i, (item, marker)) in list.items.iter().zip(&markers).enumerate() {
            if i > 0 && !list.tight {
                self.space(env.leading * AROUND_DISPLAY);
            }
            let first = self.items.len();
            self.indent_next = false;
            let mut marker = marker.clone();
            if let Some(done) = item.task {
                marker = if done { "[x]".into() } else { "[ ]".into() };
            }
            self.path.push(i);
            self.blocks(&item.blocks, inner);
            self.path.pop();
            let glyphs = self.setter.glyphs(&marker, &style);
            let w: f32 = glyphs.iter().map(|g| g.advance).sum();
            let run = Run {
                face: style.face,
                size: style.size,
                x: -gap - w,
                rise: 0.0,
                glyphs,
                colour: None,
            };
            let target = self.items[first..].iter_mut().find_map(|it| match it {
                VItem::Line { line, .. } => Some(line),
                _ => None,
            });
            match target {
                Some(line) => line.runs.insert(0, run),
                None => {
                    let mut line = Line::default();
                    line.runs.push(run);
                    line.ascent = env.size * 0.9;
                    self.line(inner.x, line, env.leading, true);
                }
            }
        }
    }
}
