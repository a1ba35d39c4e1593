//! Paragraph -> lines. The rest of the typesetter only sees [`LineBreaker`]: a list of
//! box/glue/penalty items in, the indices of the items where lines end out.

/// The breaker's view of a paragraph (Knuth & Plass's items). Widths are in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    /// Something unbreakable: a word or part of one.
    Box { width: f32 },
    /// A space that may stretch or shrink, and where a line may end (after a box).
    Glue {
        width: f32,
        stretch: f32,
        shrink: f32,
    },
    /// A possible break with a cost; `width` is added when the break is taken (a hyphen);
    /// `flagged` marks hyphen breaks (two in a row are penalised).
    Penalty {
        width: f32,
        cost: f32,
        flagged: bool,
    },
}

/// A penalty at or below this forces a break.
pub const FORCED_BREAK: f32 = -10_000.0;
/// A penalty at or above this forbids a break.
pub const NO_BREAK: f32 = 10_000.0;
/// A hyphenation break costing this much or more is a last resort (a break in a capitalised
/// word, a name): the breaker takes one only when the paragraph cannot be set within the
/// tolerance without it.
pub const LAST_RESORT_HYPHEN: f32 = 1_000.0;
/// Stretch of the glue that ends a paragraph: "infinitely" more than any space, so the last
/// line may end short without being bad.
pub const FIL: f32 = 100_000.0;

/// Chooses where lines end. `items` must end with a forced break. Returns the indices of the
/// glue or penalty items that end each line, the last being the final forced break.
pub trait LineBreaker {
    fn break_lines(&self, items: &[Item], measure: f32) -> Vec<usize>;

    /// The same with the first `hang.lines` lines `hang.width` narrower (beside a drop cap).
    /// By default every line is set to the narrower measure, which never overflows.
    fn break_hanging(&self, items: &[Item], measure: f32, hang: Hang) -> Vec<usize> {
        self.break_lines(items, measure - hang.width)
    }
}

/// Lines at the start of a paragraph set narrower (TeX's `\hangindent`/`\hangafter`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Hang {
    pub width: f32,
    pub lines: usize,
}

/// A paragraph of more items than this (about 150 pages of prose, or a 200,000-letter word
/// broken by letters) is broken first-fit: total fit's passes over it cost seconds for a
/// difference no reader of a paragraph that long can see.
pub const TOTAL_FIT_MAX_ITEMS: usize = 200_000;

/// Most hanging lines the breaker tells apart (a drop cap is 2 or 3 lines deep).
const MAX_HANG_LINES: usize = 3;

/// Added to the badness of every line, so that fewer lines are preferred (TeX's `\linepenalty`).
const LINE_PENALTY: f64 = 10.0;
/// First pass: the badness allowed without hyphenating (TeX's `\pretolerance`, 100 in plain
/// TeX; a little looser here, since the book measures are narrow and every paragraph set in
/// this pass has no hyphen at all: it took P&P from 9.5% to 8.8% hyphenated lines).
const PRETOLERANCE: f64 = 150.0;
/// Second pass, with hyphenation (TeX's `\tolerance`, 200 in plain TeX, often 400-1000 in
/// book work). Measured on P&P: 200 left 41 pairs of hyphenated lines and 1.6% loose lines
/// (the paragraphs it could not set went to the emergency pass); 400 sets more of them in
/// this pass, with a space at most 1.6 times its stretch wider, under half an em.
const TOLERANCE: f64 = 400.0;
/// Badness of a line that cannot be stretched enough: "infinitely bad".
const BADNESS_INFINITE: f64 = 10_000.0;
/// A very loose line next to a tight one (classes more than one apart) looks uneven
/// (TeX's `\adjdemerits`).
const ADJACENT_FITNESS_DEMERITS: f64 = 10_000.0;
/// Two hyphenated lines in a row (TeX's `\doublehyphendemerits`).
const DOUBLE_HYPHEN_DEMERITS: f64 = 300_000.0;
/// A hyphen ending the penultimate line (TeX's `\finalhyphendemerits`).
const FINAL_HYPHEN_DEMERITS: f64 = 5_000.0;
/// Most lines in a row that may end with a hyphen (flagged breaks): a hard limit, not a cost.
pub const MAX_HYPHEN_RUN: u8 = 2;
/// The same within the tolerance: no two hyphenated lines in a row unless the paragraph
/// cannot be set without (the emergency passes allow [`MAX_HYPHEN_RUN`]). The demerits alone
/// left 41 pairs on P&P, this leaves none.
const HYPHEN_RUN_WITHIN_TOLERANCE: u8 = 1;
/// Emergency pass: extra stretch given to every line, in ems, rather than an overfull line.
const EMERGENCY_STRETCH_EM: f32 = 1.5;

/// Fitness classes: very loose, loose, decent, tight.
fn fitness(r: f64) -> u8 {
    if r < -0.5 {
        0
    } else if r <= 0.5 {
        1
    } else if r <= 1.0 {
        2
    } else {
        3
    }
}

fn badness(r: f64) -> f64 {
    if r.is_infinite() {
        BADNESS_INFINITE
    } else {
        (100.0 * r.abs().powi(3)).min(BADNESS_INFINITE)
    }
}

/// Knuth-Plass total-fit line breaking: the breaks that minimise the sum of the demerits of
/// all lines of the paragraph.
pub struct KnuthPlass {
    /// Stretch added to every line in the last pass, in points.
    emergency_stretch: f32,
}

impl KnuthPlass {
    /// A breaker for text whose em (body size) is `em` points.
    pub fn new(em: f32) -> KnuthPlass {
        KnuthPlass {
            emergency_stretch: EMERGENCY_STRETCH_EM * em,
        }
    }
}

struct Node {
    /// Index of the break item (0 for the paragraph start).
    pos: usize,
    fitness: u8,
    flagged: bool,
    /// Flagged breaks in a row ending at this one (0 when this break is not flagged).
    run: u8,
    /// Lines before this break, counted up to the end of the hanging lines.
    line: usize,
    /// Sums of width, stretch and shrink from the paragraph start to the first item of the
    /// line after this break.
    width: f64,
    stretch: f64,
    shrink: f64,
    demerits: f64,
    prev: Option<usize>,
}

impl Node {
    /// The break before the first line: a decent line (class 1) with nothing behind it.
    fn paragraph_start() -> Node {
        Node {
            pos: 0,
            fitness: 1,
            flagged: false,
            run: 0,
            line: 0,
            width: 0.0,
            stretch: 0.0,
            shrink: 0.0,
            demerits: 0.0,
            prev: None,
        }
    }
}

struct Pass {
    threshold: f64,
    /// Most flagged breaks in a row this pass allows.
    max_run: u8,
    hyphenate: bool,
    /// Whether last-resort hyphenation breaks ([`LAST_RESORT_HYPHEN`]) may be taken.
    last_resort: bool,
    emergency: f64,
}

impl LineBreaker for KnuthPlass {
    fn break_lines(&self, items: &[Item], measure: f32) -> Vec<usize> {
        self.break_hanging(items, measure, Hang::default())
    }

    fn break_hanging(&self, items: &[Item], measure: f32, hang: Hang) -> Vec<usize> {
        let hang = Hang {
            lines: hang.lines.min(MAX_HANG_LINES),
            ..hang
        };
        let passes = [
            Pass {
                threshold: PRETOLERANCE,
                max_run: MAX_HYPHEN_RUN,
                hyphenate: false,
                last_resort: false,
                emergency: 0.0,
            },
            Pass {
                threshold: TOLERANCE,
                max_run: HYPHEN_RUN_WITHIN_TOLERANCE,
                hyphenate: true,
                last_resort: false,
                emergency: 0.0,
            },
            Pass {
                threshold: BADNESS_INFINITE,
                max_run: MAX_HYPHEN_RUN,
                hyphenate: true,
                last_resort: false,
                emergency: f64::from(self.emergency_stretch),
            },
            Pass {
                threshold: BADNESS_INFINITE,
                max_run: MAX_HYPHEN_RUN,
                hyphenate: true,
                last_resort: true,
                emergency: f64::from(self.emergency_stretch),
            },
        ];
        if items.len() > TOTAL_FIT_MAX_ITEMS {
            return FirstFit.break_lines(items, measure - hang.width);
        }
        let sums = Sums::new(items);
        for pass in &passes {
            if let Some(breaks) = total_fit(items, &sums, f64::from(measure), pass, hang) {
                return breaks;
            }
        }
        FirstFit.break_lines(items, measure - hang.width)
    }
}

/// Prefix sums of widths, stretch and shrink: `width[i]` covers items `0..i`.
struct Sums {
    width: Vec<f64>,
    stretch: Vec<f64>,
    shrink: Vec<f64>,
}

impl Sums {
    fn new(items: &[Item]) -> Sums {
        let mut s = Sums {
            width: vec![0.0],
            stretch: vec![0.0],
            shrink: vec![0.0],
        };
        let (mut w, mut y, mut z) = (0.0, 0.0, 0.0);
        for item in items {
            let (dw, dy, dz) = item.extent();
            (w, y, z) = (w + dw, y + dy, z + dz);
            s.width.push(w);
            s.stretch.push(y);
            s.shrink.push(z);
        }
        s
    }
}

impl Item {
    /// What the item adds to a line when it is not a break: (width, stretch, shrink).
    fn extent(&self) -> (f64, f64, f64) {
        match *self {
            Item::Box { width } => (f64::from(width), 0.0, 0.0),
            Item::Glue {
                width,
                stretch,
                shrink,
            } => (f64::from(width), f64::from(stretch), f64::from(shrink)),
            Item::Penalty { .. } => (0.0, 0.0, 0.0),
        }
    }
}

/// Whether a line may end at item `i`.
pub fn is_legal_break(items: &[Item], i: usize) -> bool {
    match items[i] {
        Item::Box { .. } => false,
        Item::Glue { .. } => i > 0 && matches!(items[i - 1], Item::Box { .. }),
        Item::Penalty { cost, .. } => cost < NO_BREAK,
    }
}

/// The first item of the line that follows a break at `b` (glue and penalties after a break
/// are discarded, as in TeX).
pub fn line_start_after(items: &[Item], b: usize) -> usize {
    let mut j = b + 1;
    while j < items.len() {
        match items[j] {
            Item::Box { .. } => break,
            Item::Penalty { cost, .. } if cost <= FORCED_BREAK => break,
            _ => j += 1,
        }
    }
    j
}

/// Adjustment ratio of the line `start..end` (end = the break item): how much of its stretch
/// (r > 0) or shrink (r < 0) it must use to fill `measure`.
pub fn adjustment_ratio(items: &[Item], start: usize, end: usize, measure: f32) -> f64 {
    let (mut w, mut y, mut z) = (0.0f64, 0.0f64, 0.0f64);
    for item in items.get(start..end).unwrap_or(&[]) {
        let (dw, dy, dz) = item.extent();
        (w, y, z) = (w + dw, y + dy, z + dz);
    }
    if let Some(Item::Penalty { width, .. }) = items.get(end) {
        w += f64::from(*width);
    }
    ratio(f64::from(measure) - w, y, z)
}

fn ratio(room: f64, stretch: f64, shrink: f64) -> f64 {
    if room > 0.0 {
        if stretch > 0.0 {
            room / stretch
        } else {
            f64::INFINITY
        }
    } else if room < 0.0 {
        if shrink > 0.0 {
            room / shrink
        } else {
            f64::NEG_INFINITY
        }
    } else {
        0.0
    }
}

/// Demerits of one line (Knuth & Plass): `(l + b)^2 ± p^2`, plus the extra demerits for hyphen
/// pairs, a hyphenated penultimate line and adjacent fitness classes.
fn line_demerits(r: f64, cost: f64, flagged: bool, prev: &Node, final_break: bool) -> f64 {
    let b = badness(r);
    let mut d = (LINE_PENALTY + b).powi(2);
    if cost >= 0.0 {
        d += cost * cost;
    } else if cost > f64::from(FORCED_BREAK) {
        d -= cost * cost;
    }
    if flagged && prev.flagged {
        d += DOUBLE_HYPHEN_DEMERITS;
    }
    if final_break && prev.flagged {
        d += FINAL_HYPHEN_DEMERITS;
    }
    if fitness(r).abs_diff(prev.fitness) > 1 {
        d += ADJACENT_FITNESS_DEMERITS;
    }
    d
}

/// Hyphen run lengths a node can have: 0..=MAX_HYPHEN_RUN.
const RUN_STATES: usize = MAX_HYPHEN_RUN as usize + 1;

fn total_fit(
    items: &[Item],
    sums: &Sums,
    measure: f64,
    pass: &Pass,
    hang: Hang,
) -> Option<Vec<usize>> {
    // Nodes are told apart by fitness class, hyphen run and (while lines hang) line number.
    let line_states = hang.lines + 1;
    let slots = 4 * RUN_STATES * line_states;
    let mut nodes = vec![Node::paragraph_start()];
    let mut active: Vec<usize> = vec![0];
    let last = items.len().checked_sub(1)?;
    for b in 0..items.len() {
        if !is_legal_break(items, b) {
            continue;
        }
        let (pen_width, cost, flagged) = match items[b] {
            Item::Penalty {
                width,
                cost,
                flagged,
            } => (f64::from(width), f64::from(cost), flagged),
            _ => (0.0, 0.0, false),
        };
        let hyphen_allowed =
            pass.hyphenate && (pass.last_resort || cost < f64::from(LAST_RESORT_HYPHEN));
        if flagged && !hyphen_allowed && cost > f64::from(FORCED_BREAK) {
            continue;
        }
        let forced = cost <= f64::from(FORCED_BREAK);
        // Best predecessor per (fitness class, hyphen run after this break).
        let mut best: Vec<Option<(f64, usize, f64)>> = vec![None; slots];
        let mut i = 0;
        while i < active.len() {
            let a = &nodes[active[i]];
            let run = if flagged { a.run + 1 } else { 0 };
            if run > pass.max_run {
                i += 1;
                continue;
            }
            let width = sums.width[b] - a.width + pen_width;
            let stretch = sums.stretch[b] - a.stretch + pass.emergency;
            let shrink = sums.shrink[b] - a.shrink;
            let line_measure = if a.line < hang.lines {
                measure - f64::from(hang.width)
            } else {
                measure
            };
            let r = ratio(line_measure - width, stretch, shrink);
            if r >= -1.0 && badness(r) <= pass.threshold {
                let d = a.demerits + line_demerits(r, cost, flagged, a, b == last);
                let line = (a.line + 1).min(hang.lines);
                let class =
                    (usize::from(fitness(r)) * RUN_STATES + usize::from(run)) * line_states + line;
                if best[class].is_none_or(|(bd, _, _)| d < bd) {
                    best[class] = Some((d, active[i], r));
                }
            }
            if r < -1.0 || forced {
                active.remove(i);
            } else {
                i += 1;
            }
        }
        // Totals after the break: skip the glue and penalties the next line discards.
        let next = line_start_after(items, b);
        let (w, y, z) = (sums.width[next], sums.stretch[next], sums.shrink[next]);
        for (class, found) in best.iter().enumerate() {
            if let Some((d, prev, _)) = *found {
                nodes.push(Node {
                    pos: b,
                    fitness: (class / line_states / RUN_STATES) as u8,
                    flagged,
                    run: (class / line_states % RUN_STATES) as u8,
                    line: class % line_states,
                    width: w,
                    stretch: y,
                    shrink: z,
                    demerits: d,
                    prev: Some(prev),
                });
                active.push(nodes.len() - 1);
            }
        }
        if active.is_empty() {
            return None;
        }
    }
    let best = active
        .iter()
        .copied()
        .filter(|&n| nodes[n].pos == last && nodes[n].prev.is_some())
        .min_by(|&a, &b| nodes[a].demerits.total_cmp(&nodes[b].demerits))?;
    let mut breaks = Vec::new();
    let mut cur = Some(best);
    while let Some(n) = cur {
        if nodes[n].prev.is_some() {
            breaks.push(nodes[n].pos);
        }
        cur = nodes[n].prev;
    }
    breaks.reverse();
    Some(breaks)
}

/// Greedy breaking: each line takes as many items as fit. The fallback when no total-fit
/// solution exists, and the baseline the tests compare Knuth-Plass against.
pub struct FirstFit;

impl LineBreaker for FirstFit {
    fn break_lines(&self, items: &[Item], measure: f32) -> Vec<usize> {
        let measure = f64::from(measure);
        let sums = Sums::new(items);
        let mut breaks = Vec::new();
        let mut start = 0;
        let mut candidate: Option<usize> = None;
        let mut b = 0;
        while b < items.len() {
            if !is_legal_break(items, b) {
                b += 1;
                continue;
            }
            let pen_width = match items[b] {
                Item::Penalty { width, .. } => f64::from(width),
                _ => 0.0,
            };
            let width = sums.width[b] - sums.width[start] + pen_width;
            let shrink = sums.shrink[b] - sums.shrink[start];
            let fits = width - shrink <= measure + 1e-6;
            let forced = matches!(items[b], Item::Penalty { cost, .. } if cost <= FORCED_BREAK);
            if !fits {
                if let Some(c) = candidate.take() {
                    breaks.push(c);
                    start = line_start_after(items, c);
                    continue; // reconsider `b` on the new line
                }
            }
            if forced {
                breaks.push(b);
                start = line_start_after(items, b);
                candidate = None;
            } else if fits {
                candidate = Some(b);
            } else {
                // Nothing fits: break here rather than never.
                breaks.push(b);
                start = line_start_after(items, b);
            }
            b += 1;
        }
        breaks
    }
}

/// Total demerits of a set of breaks (for comparing breakers).
pub fn total_demerits(items: &[Item], measure: f32, breaks: &[usize]) -> f64 {
    let mut prev = Node::paragraph_start();
    let mut start = 0;
    let mut total = 0.0;
    let last = items.len().saturating_sub(1);
    for &b in breaks {
        let r = adjustment_ratio(items, start, b, measure);
        let (cost, flagged) = match items[b] {
            Item::Penalty { cost, flagged, .. } => (f64::from(cost), flagged),
            _ => (0.0, false),
        };
        total += line_demerits(r.max(-1.0), cost, flagged, &prev, b == last);
        prev.fitness = fitness(r);
        prev.flagged = flagged;
        start = line_start_after(items, b);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A paragraph of words of the given widths, spaces 3 +1.5 -1.
    fn paragraph(words: &[f32]) -> Vec<Item> {
        let mut items = Vec::new();
        for (i, &w) in words.iter().enumerate() {
            if i > 0 {
                items.push(Item::Glue {
                    width: 3.0,
                    stretch: 1.5,
                    shrink: 1.0,
                });
            }
            items.push(Item::Box { width: w });
        }
        items.push(Item::Glue {
            width: 0.0,
            stretch: FIL,
            shrink: 0.0,
        });
        items.push(Item::Penalty {
            width: 0.0,
            cost: FORCED_BREAK,
            flagged: false,
        });
        items
    }

    fn check_lines(items: &[Item], measure: f32, breaks: &[usize]) {
        let mut start = 0;
        for (n, &b) in breaks.iter().enumerate() {
            let r = adjustment_ratio(items, start, b, measure);
            assert!(r >= -1.0, "line {n} overfull: r = {r}");
            start = line_start_after(items, b);
        }
        assert_eq!(breaks.last(), Some(&(items.len() - 1)));
    }

    #[test]
    fn paragraphs_past_the_total_fit_limit_are_broken_first_fit_and_still_fit() {
        let words: Vec<f32> = (0..TOTAL_FIT_MAX_ITEMS / 2 + 10)
            .map(|i| 8.0 + (i % 7) as f32 * 5.0)
            .collect();
        let items = paragraph(&words);
        assert!(items.len() > TOTAL_FIT_MAX_ITEMS);
        let breaks = KnuthPlass::new(10.0).break_lines(&items, 300.0);
        assert_eq!(breaks, FirstFit.break_lines(&items, 300.0));
        check_lines(&items, 300.0, &breaks);
    }

    #[test]
    fn total_fit_is_never_worse_than_first_fit_and_often_better() {
        // Pseudo-random paragraphs of 40 words (a fixed LCG: deterministic).
        let mut seed: u32 = 12345;
        let mut next = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (seed >> 16) % 30
        };
        let measure = 300.0;
        let mut better = 0;
        for _ in 0..50 {
            let words: Vec<f32> = (0..40).map(|_| 8.0 + next() as f32).collect();
            let items = paragraph(&words);
            let kp = KnuthPlass::new(10.0).break_lines(&items, measure);
            let ff = FirstFit.break_lines(&items, measure);
            check_lines(&items, measure, &kp);
            check_lines(&items, measure, &ff);
            // Only paragraphs solved without the emergency stretch compare fairly.
            let mut start = 0;
            let mut emergency = false;
            for &b in &kp {
                emergency |= badness(adjustment_ratio(&items, start, b, measure)) > TOLERANCE;
                start = line_start_after(&items, b);
            }
            if emergency {
                continue;
            }
            let dk = total_demerits(&items, measure, &kp);
            let df = total_demerits(&items, measure, &ff);
            assert!(
                dk <= df + 1e-6,
                "K-P {dk} ({kp:?}) vs first fit {df} ({ff:?})"
            );
            if dk < df {
                better += 1;
            }
        }
        assert!(better >= 10, "K-P better on only {better} of 50 paragraphs");
    }

    #[test]
    fn impossible_paragraphs_still_break_without_overfull_lines() {
        // Words that never fill a line well: the emergency pass takes over.
        let items = paragraph(&[60.0, 60.0, 60.0, 60.0]);
        let breaks = KnuthPlass::new(10.0).break_lines(&items, 100.0);
        check_lines(&items, 100.0, &breaks);
        assert_eq!(breaks.len(), 4);
    }

    #[test]
    fn hyphens_are_used_only_when_needed() {
        let mut items = paragraph(&[30.0, 30.0, 31.0]);
        // 30 + 3 + 30 + 3 + 31 = 97 fits in 100: no hyphen even if one is offered.
        items.insert(
            2,
            Item::Penalty {
                width: 3.0,
                cost: 50.0,
                flagged: true,
            },
        );
        let breaks = KnuthPlass::new(10.0).break_lines(&items, 100.0);
        assert_eq!(breaks, vec![items.len() - 1]);
    }

    #[test]
    fn hanging_lines_are_set_narrower() {
        let words: Vec<f32> = (0..60).map(|i| 10.0 + (i % 7) as f32 * 4.0).collect();
        let items = paragraph(&words);
        let hang = Hang {
            width: 30.0,
            lines: 3,
        };
        let breaks = KnuthPlass::new(10.0).break_hanging(&items, 150.0, hang);
        let mut start = 0;
        for (k, &b) in breaks.iter().enumerate() {
            let measure = if k < 3 { 120.0 } else { 150.0 };
            let r = adjustment_ratio(&items, start, b, measure);
            assert!(r >= -1.0, "line {k} overfull at measure {measure}: {r}");
            start = line_start_after(&items, b);
        }
    }
}
