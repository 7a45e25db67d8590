//! The role of each quotation mark (opening, closing, apostrophe or stray) from what flanks it,
//! and pairing a closing mark with its opener.

use crate::analysis::model::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    Double,
    Single,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Opener {
    pub(super) mark: Span,
    pub(super) family: Family,
}
#[derive(Debug, Clone, Copy)]
pub(super) enum Role {
    Open(Family),
    Close(Family),
}

fn is_space(c: Option<char>) -> bool {
    c.is_none_or(char::is_whitespace)
}

/// Punctuation that may sit right after a closing mark or right before an opening one.
fn is_outer_punct(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '('
            | '['
            | '{'
            | '…'
            | '—'
            | '–'
            | '-'
            | '/'
    ) || is_mark(c)
}

pub(super) fn is_mark(c: char) -> bool {
    matches!(
        c,
        '“' | '”' | '"' | '„' | '«' | '»' | '‟' | '‘' | '’' | '\'' | '‚' | '‹' | '›'
    )
}

fn family_of(c: char) -> Family {
    if matches!(c, '‘' | '’' | '\'' | '‚' | '‹' | '›') {
        Family::Single
    } else {
        Family::Double
    }
}

fn has_open(stack: &[Opener], family: Family) -> bool {
    match family {
        Family::Double => stack.iter().any(|o| o.family == Family::Double),
        // A single quotation closes only inside the innermost double one.
        Family::Single => stack
            .iter()
            .rev()
            .take_while(|o| o.family == Family::Single)
            .next()
            .is_some(),
    }
}

/// Elisions written with a leading apostrophe: ’90s, ’n’, ’em, ’tis, ’cause.
fn is_elision(after: &str) -> bool {
    let lower: String = after.chars().take(6).flat_map(char::to_lowercase).collect();
    let word_end = lower
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(lower.len());
    let word = &lower[..word_end];
    after.starts_with(|c: char| c.is_ascii_digit())
        || matches!(
            word,
            "em" | "tis" | "twas" | "cause" | "til" | "n" | "nuff" | "bout" | "round"
        )
}

// One call site, once per character of every paragraph: left to the inliner, a build that
// changed nothing here called it for each character (+24 M instructions at 1 MB, callgrind).
#[inline(always)]
pub(super) fn classify(
    c: char,
    prev: Option<char>,
    next: Option<char>,
    after: &str,
    stack: &[Opener],
) -> Option<Role> {
    if !is_mark(c) {
        return None;
    }
    let family = family_of(c);
    let prev_alnum = prev.is_some_and(char::is_alphanumeric);
    let next_alnum = next.is_some_and(char::is_alphanumeric);
    let left = !is_space(next) && (is_space(prev) || prev.is_some_and(is_outer_punct));
    let right = !is_space(prev) && (is_space(next) || next.is_some_and(is_outer_punct));
    let open_only = left && !right;
    let close_only = right && !left;
    if family == Family::Single && prev_alnum && next_alnum {
        return None; // don’t, Reuters’s, O’Brien
    }
    match c {
        '“' | '„' | '«' | '‟' => {
            // German „…“ and »…«: a right-flanking “ or « closes.
            if close_only && has_open(stack, Family::Double) {
                Some(Role::Close(Family::Double))
            } else {
                Some(Role::Open(Family::Double))
            }
        }
        '”' | '»' => {
            if open_only && !has_open(stack, Family::Double) {
                Some(Role::Open(Family::Double))
            } else {
                Some(Role::Close(Family::Double))
            }
        }
        '"' => {
            if (has_open(stack, Family::Double) && !open_only) || close_only {
                Some(Role::Close(Family::Double))
            } else if is_space(prev) && is_space(next) {
                None // a stray mark between spaces (or inches)
            } else {
                Some(Role::Open(Family::Double))
            }
        }
        '‚' | '‹' => Some(Role::Open(Family::Single)),
        '›' => Some(Role::Close(Family::Single)),
        '‘' => {
            if close_only && has_open(stack, Family::Single) {
                Some(Role::Close(Family::Single))
            } else if left && !is_elision(after) {
                Some(Role::Open(Family::Single))
            } else {
                None
            }
        }
        '’' | '\'' => {
            if right && has_open(stack, Family::Single) {
                Some(Role::Close(Family::Single))
            } else if c == '\'' && open_only && !is_elision(after) {
                Some(Role::Open(Family::Single))
            } else {
                None // nations’ leaders, ’90s, rock ’n’ roll
            }
        }
        _ => None,
    }
}

/// Pair a closing mark with the nearest opener of its family.
pub(super) fn close(
    stack: &mut Vec<Opener>,
    pairs: &mut Vec<(Option<Span>, Option<Span>)>,
    mark: Span,
    family: Family,
) {
    let found = match family {
        Family::Double => stack.iter().rposition(|o| o.family == Family::Double),
        Family::Single => {
            let top_doubles = stack.iter().rposition(|o| o.family == Family::Double);
            stack
                .iter()
                .rposition(|o| o.family == Family::Single)
                .filter(|&p| top_doubles.is_none_or(|d| p > d))
        }
    };
    match found {
        Some(pos) => {
            // Single openers above it never closed: they were not quotation marks.
            let opener = stack[pos];
            stack.truncate(pos);
            pairs.push((Some(opener.mark), Some(mark)));
        }
        None if family == Family::Double => pairs.push((None, Some(mark))),
        None => {}
    }
}
