//! Quotation pairing across paragraphs and the markup residue findings, kept between runs.
//!
//! Both used to read every paragraph's analysis on every keystroke: at 1 MB that is ≈ 7,800
//! cold `Arc`s, which perf showed as most of `after_linking`'s own time. The pairing is a walk
//! whose only state between paragraphs is the quotation left open, so [`PairCache`] keeps the
//! last run's results with that state before each paragraph. After an edit the paragraphs it
//! re-split are paired again, then those after them until the state (and every block kind from
//! there on) is the last run's again; the rest of the last run is moved.

use super::{finding, CandidateRef, DocQuote, ParagraphRef};
use crate::analysis::attribution::Change;
use crate::analysis::model::{BlockKind, Finding, QuoteKind, Rule, Span};
use crate::analysis::shift::Shift;

/// A quotation a prose paragraph left open: the candidate that opens it and its opening mark.
type Pending = Option<(CandidateRef, Span)>;

/// Where the walk stood before one paragraph: how much of each list was made, and the
/// quotation left open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    quotes: usize,
    findings: usize,
    residue: usize,
    pending: Pending,
}

/// The last run's pairing, in the offsets of the text it ran on.
#[derive(Debug, Default)]
pub(crate) struct PairCache {
    /// The document's quotations, as [`DocumentView::quotes`](super::DocumentView) takes them.
    pub(crate) quotes: Vec<DocQuote>,
    /// Unbalanced quotation marks, in the order the walk found them.
    findings: Vec<Finding>,
    /// Markup residue, by paragraph.
    residue: Vec<Finding>,
    /// One per paragraph and one for the end (before the last open quotation is flagged);
    /// empty when the cache fits no document.
    marks: Vec<Mark>,
    /// Each paragraph's kind in context (whether it is read, and residue in fenced code).
    kinds: Vec<BlockKind>,
}

/// Where the edit's change meets the last run: paragraph `first` on, `old_count` paragraphs of
/// the last run became `new_count`; offsets outside moved by `shift`.
struct Moved<'a> {
    first: usize,
    old_count: usize,
    new_count: usize,
    shift: &'a Shift,
}

impl Moved<'_> {
    /// The new index of the last run's paragraph `p`, unless it was re-split.
    fn paragraph(&self, p: usize) -> Option<usize> {
        if p < self.first {
            Some(p)
        } else if p >= self.first + self.old_count {
            Some(p - self.old_count + self.new_count)
        } else {
            None
        }
    }

    fn quote(&self, q: &DocQuote) -> Option<DocQuote> {
        Some(DocQuote {
            span: span(self.shift, q.span)?,
            kind: q.kind,
            first: self.candidate(q.first)?,
            last: self.candidate(q.last)?,
        })
    }

    fn candidate(&self, c: CandidateRef) -> Option<CandidateRef> {
        Some(CandidateRef {
            paragraph: self.paragraph(c.paragraph)?,
            candidate: c.candidate,
        })
    }

    fn pending(&self, p: Pending) -> Option<Pending> {
        match p {
            None => Some(None),
            Some((c, open)) => Some(Some((self.candidate(c)?, span(self.shift, open)?))),
        }
    }
}

/// [`Shift::offset`] without its watch for collisions: the offsets mapped here are the last
/// run's outside the re-split paragraphs, which the analyzer already mapped (and checked)
/// with the same shift.
fn offset(shift: &Shift, x: usize) -> Option<usize> {
    if x <= shift.start {
        Some(x)
    } else if x >= shift.old_end {
        Some(x - shift.old_end + shift.new_end)
    } else {
        None
    }
}

fn span(shift: &Shift, s: Span) -> Option<Span> {
    Some(Span::new(offset(shift, s.start)?, offset(shift, s.end)?))
}

impl PairCache {
    /// Pair the quotations of `paragraphs` and find their residue, reusing the last run's
    /// results that `change` (the edit since) leaves as they were.
    pub(crate) fn pair(&mut self, paragraphs: &[ParagraphRef], change: Option<&Change<'_>>) {
        if let Some(change) = change {
            let moved = Moved {
                first: change.first,
                old_count: change.old_count,
                new_count: change.new_count,
                shift: change.shift,
            };
            if self.repair(paragraphs, &moved).is_some() {
                debug_assert_eq!(self.marks.len(), paragraphs.len() + 1);
                return;
            }
        }
        self.pair_all(paragraphs);
    }

    /// The pairing's and the residue's findings, in the order a walk over the document makes
    /// them.
    pub(crate) fn findings(&self) -> Vec<Finding> {
        let mut out = Vec::with_capacity(self.findings.len() + self.residue.len());
        out.extend_from_slice(&self.findings);
        out.extend_from_slice(&self.residue);
        out
    }

    /// The whole result moved: paragraphs from `first` on moved by `shift`, none re-split
    /// (their analyses read the same moved).
    pub(crate) fn move_from(&mut self, first: usize, shift: &Shift) {
        if self.moved_from(first, shift).is_none() {
            self.clear();
        }
    }

    fn moved_from(&mut self, first: usize, shift: &Shift) -> Option<()> {
        let from = *self.marks.get(first)?;
        for q in self.quotes.get_mut(from.quotes..)? {
            q.span = span(shift, q.span)?;
        }
        let findings = self.findings.get_mut(from.findings..)?;
        for f in findings
            .iter_mut()
            .chain(self.residue.get_mut(from.residue..)?)
        {
            f.span = span(shift, f.span)?;
        }
        for m in self.marks.get_mut(first..)? {
            if let Some((_, open)) = &mut m.pending {
                *open = span(shift, *open)?;
            }
        }
        Some(())
    }

    fn clear(&mut self) {
        self.quotes.clear();
        self.findings.clear();
        self.residue.clear();
        self.marks.clear();
        self.kinds.clear();
    }

    /// Every paragraph paired afresh.
    fn pair_all(&mut self, paragraphs: &[ParagraphRef]) {
        self.clear();
        // At most one quotation per candidate: sized up front, the list is not grown by
        // doubling (≈ 0.45 M instructions at 1 MB, ≈ 5,000 quotations).
        let candidates = paragraphs.iter().filter(|p| p.is_prose());
        self.quotes
            .reserve(candidates.map(|p| p.analysis.quotes.len()).sum());
        self.marks.reserve(paragraphs.len() + 1);
        self.kinds.reserve(paragraphs.len());
        let mut pending = None;
        for (pi, p) in paragraphs.iter().enumerate() {
            self.marks.push(Mark {
                quotes: self.quotes.len(),
                findings: self.findings.len(),
                residue: self.residue.len(),
                pending,
            });
            self.kinds.push(p.block.kind);
            pair_paragraph(pi, p, &mut pending, &mut self.quotes, &mut self.findings);
            residue_of(p, &mut self.residue);
        }
        self.marks.push(Mark {
            quotes: self.quotes.len(),
            findings: self.findings.len(),
            residue: self.residue.len(),
            pending,
        });
        if let Some((_, open)) = pending {
            self.findings.push(unbalanced_open(open));
        }
    }

    /// The re-split paragraphs paired again, and those after them until the walk meets the
    /// last run's; `None` (the cache left to be filled afresh) when the cache does not fit.
    fn repair(&mut self, paragraphs: &[ParagraphRef], m: &Moved<'_>) -> Option<()> {
        let old_len = self.kinds.len();
        if self.marks.len() != old_len + 1
            || m.first + m.old_count > old_len
            || old_len - m.old_count + m.new_count != paragraphs.len()
        {
            return None;
        }
        // A kind changes outside the edit when a fence opens or closes, or the first block
        // stops or starts reading as the headline.
        let (before, after) = (paragraphs.get(..m.first)?, paragraphs.get(m.first..)?);
        if !self
            .kinds
            .iter()
            .zip(before)
            .all(|(k, p)| *k == p.block.kind)
        {
            return None;
        }
        // From `same_from` on every paragraph has its last kind.
        let tail = self.kinds.get(m.first + m.old_count..)?;
        let moved = after.get(m.new_count..)?;
        let differ = tail
            .iter()
            .zip(moved.iter())
            .rposition(|(k, p)| *k != p.block.kind);
        let same_from = m.first + m.new_count + differ.map_or(0, |d| d + 1);

        let base = *self.marks.get(m.first)?;
        let (mut quotes, mut findings, mut residue) = (Vec::new(), Vec::new(), Vec::new());
        let (mut marks, mut kinds) = (Vec::new(), Vec::new());
        let mut pending = base.pending;
        let mut j = m.first;
        // The last run's mark the walk met, by its old index.
        let met = loop {
            if j >= same_from {
                let o = j - m.new_count + m.old_count;
                let old = self.marks.get(o)?;
                if m.pending(old.pending) == Some(pending) {
                    break Some(o);
                }
            }
            let Some(p) = paragraphs.get(j) else {
                break None;
            };
            marks.push(Mark {
                quotes: base.quotes + quotes.len(),
                findings: base.findings + findings.len(),
                residue: base.residue + residue.len(),
                pending,
            });
            kinds.push(p.block.kind);
            pair_paragraph(j, p, &mut pending, &mut quotes, &mut findings);
            residue_of(p, &mut residue);
            j += 1;
        };
        // The last run's results from the meeting point on (none when the walk reached the
        // end), and the offsets that move them.
        let (ends, tail_marks) = match met {
            Some(o) => (*self.marks.get(o)?, o),
            None => {
                marks.push(Mark {
                    quotes: base.quotes + quotes.len(),
                    findings: base.findings + findings.len(),
                    residue: base.residue + residue.len(),
                    pending,
                });
                if let Some((_, open)) = pending {
                    findings.push(unbalanced_open(open));
                }
                let end = Mark {
                    quotes: self.quotes.len(),
                    findings: self.findings.len(),
                    residue: self.residue.len(),
                    pending: None,
                };
                (end, self.marks.len())
            }
        };
        let new_ends = Mark {
            quotes: base.quotes + quotes.len(),
            findings: base.findings + findings.len(),
            residue: base.residue + residue.len(),
            pending: None,
        };
        splice(&mut self.quotes, base.quotes, ends.quotes, quotes, |q| {
            m.quote(q)
        })?;
        let moved_finding = |f: &Finding| {
            Some(Finding {
                span: span(m.shift, f.span)?,
                ..f.clone()
            })
        };
        splice(
            &mut self.findings,
            base.findings,
            ends.findings,
            findings,
            moved_finding,
        )?;
        splice(
            &mut self.residue,
            base.residue,
            ends.residue,
            residue,
            moved_finding,
        )?;
        let moved_mark = |k: &Mark| {
            Some(Mark {
                quotes: k.quotes - ends.quotes + new_ends.quotes,
                findings: k.findings - ends.findings + new_ends.findings,
                residue: k.residue - ends.residue + new_ends.residue,
                pending: m.pending(k.pending)?,
            })
        };
        splice(&mut self.marks, m.first, tail_marks, marks, moved_mark)?;
        // The kinds from the meeting point on are the last run's (`same_from`).
        self.kinds.splice(m.first..tail_marks.min(old_len), kinds);
        Some(())
    }
}

/// `list[from..to]` replaced by `new`, and what follows moved by `moved`.
fn splice<T>(
    list: &mut Vec<T>,
    from: usize,
    to: usize,
    new: Vec<T>,
    moved: impl Fn(&T) -> Option<T>,
) -> Option<()> {
    if from > to || to > list.len() {
        return None;
    }
    let at = from + new.len();
    list.splice(from..to, new);
    for x in list.get_mut(at..)? {
        *x = moved(x)?;
    }
    Some(())
}

/// One paragraph's step of the pairing: its one-paragraph quotations, and the quotation
/// `pending` from the paragraphs before continued, closed or flagged. Unbalanced marks become
/// findings.
fn pair_paragraph(
    pi: usize,
    p: &ParagraphRef,
    pending: &mut Pending,
    quotes: &mut Vec<DocQuote>,
    findings: &mut Vec<Finding>,
) {
    if !p.is_prose() {
        return;
    }
    let cands = &p.analysis.quotes;
    let mut first_outer = true;
    for (ci, c) in cands.iter().enumerate() {
        let here = CandidateRef {
            paragraph: pi,
            candidate: ci,
        };
        if c.depth > 0 {
            if let Some(open) = c.open_mark.filter(|_| c.close_mark.is_none()) {
                findings.push(unbalanced_open(open.shifted(p.base)));
            }
            continue;
        }
        let span = c.span.shifted(p.base);
        if first_outer {
            first_outer = false;
            if let Some((first, open)) = pending.take() {
                if c.opens_paragraph || c.open_mark.is_none() {
                    match c.close_mark {
                        Some(_) => quotes.push(DocQuote {
                            span: Span::new(open.start, span.end),
                            kind: QuoteKind::Full,
                            first,
                            last: here,
                        }),
                        None => *pending = Some((first, open)),
                    }
                    continue;
                }
                findings.push(unbalanced_open(open));
            }
        }
        match (c.open_mark, c.close_mark) {
            (Some(_), Some(_)) => quotes.push(DocQuote {
                span,
                kind: c.kind,
                first: here,
                last: here,
            }),
            (Some(open), None) => *pending = Some((here, open.shifted(p.base))),
            (None, Some(close)) => findings.push(finding(
                Rule::UnbalancedQuote,
                close.shifted(p.base),
                "closing quotation mark without an opening mark".to_owned(),
            )),
            (None, None) => {}
        }
    }
    if first_outer {
        // A paragraph with no quotation does not continue an open one.
        if let Some((_, open)) = pending.take() {
            findings.push(unbalanced_open(open));
        }
    }
}

/// One paragraph's markup residue.
fn residue_of(p: &ParagraphRef, findings: &mut Vec<Finding>) {
    if p.block.kind == BlockKind::Code && p.analysis.block.kind != BlockKind::Code {
        return; // inside a fenced code block: not residue, just code
    }
    for r in p.analysis.residue() {
        findings.push(finding(
            Rule::MarkupResidue,
            r.span.shifted(p.base),
            r.what.message().to_owned(),
        ));
    }
}

fn unbalanced_open(mark: Span) -> Finding {
    finding(
        Rule::UnbalancedQuote,
        mark,
        "quotation mark opened here is never closed".to_owned(),
    )
}
