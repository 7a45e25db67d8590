//! Adjuncts of time and medium that stand between a subject and its speech verb ("Ben Osei on
//! Wednesday said", "the ministry in a statement said", "Lina Brandt earlier this week
//! called"): the subject is read from before them.

use super::Paragraph;

impl Paragraph<'_> {
    /// If tokens ending at `end` form a time or medium adjunct, the index of its first token.
    /// Only free words count: an adjunct never spans a quotation or punctuation.
    pub(super) fn adjunct_ending_at(&self, end: usize) -> Option<usize> {
        let w = |k: usize| -> Option<&str> { self.free_word(k).then(|| self.word(k)) };
        let last = w(end)?;
        // "on Wednesday", "Wednesday", "on Wednesday night", "on Nov. 3", "on March 3".
        let mut start = end;
        if is_part_of_day(last) {
            start = start.checked_sub(1)?;
        }
        let before_day = start.checked_sub(1).and_then(w);
        if w(start).is_some_and(is_weekday) {
            return Some(if before_day == Some("on") {
                start - 1
            } else {
                start
            });
        }
        if last.bytes().all(|b| b.is_ascii_digit()) && last.len() <= 2 {
            if let Some(month) = end.checked_sub(1).filter(|&k| w(k).is_some_and(is_month)) {
                let on = month.checked_sub(1).and_then(w) == Some("on");
                return Some(if on { month - 1 } else { month });
            }
        }
        // "last week", "this month", "earlier this week", "late last year", "last night".
        if is_time_unit(last) {
            let k = end.checked_sub(1)?;
            if matches!(w(k)?, "last" | "this" | "next" | "earlier" | "later") {
                let intensified = k
                    .checked_sub(1)
                    .and_then(w)
                    .is_some_and(|p| matches!(p, "earlier" | "later" | "late" | "early"));
                return Some(if intensified { k - 1 } else { k });
            }
        }
        // "two weeks ago", "less than a month ago", "several days ago".
        if last == "ago" {
            let unit = end.checked_sub(1)?;
            let count = unit.checked_sub(1)?;
            if !is_plural_time_unit(w(unit)?) || !is_count(w(count)?) {
                return None;
            }
            let hedged = |k: usize| {
                matches!(
                    (k.checked_sub(1).and_then(w), w(k)),
                    (Some("less" | "more"), Some("than"))
                )
            };
            return Some(match count.checked_sub(1) {
                Some(k) if hedged(k) => k - 1,
                Some(k)
                    if w(k).is_some_and(|h| {
                        matches!(h, "nearly" | "about" | "just" | "only" | "some")
                    }) =>
                {
                    k
                }
                _ => count,
            });
        }
        // "in the past", "in recent years", "in the past few weeks".
        if last == "past" || is_plural_time_unit(last) {
            let mut k = end;
            if last != "past" {
                k = k.checked_sub(1)?;
                if w(k).is_some_and(|n| matches!(n, "few" | "two" | "three" | "several")) {
                    k = k.checked_sub(1)?;
                }
                if !matches!(w(k)?, "past" | "recent") {
                    return None;
                }
            }
            if w(k)? == "past" {
                k = k.checked_sub(1)?;
                if w(k)? != "the" {
                    return None;
                }
            }
            let open = k.checked_sub(1)?;
            return (w(open)? == "in").then_some(open);
        }
        // "in a statement", "in an interview with Reuters" is left alone: only the medium noun
        // right before the verb, at most two words after "in".
        if is_medium(last) {
            for k in (end.saturating_sub(3)..end).rev() {
                match w(k)? {
                    "in" => return Some(k),
                    word if word.starts_with(char::is_lowercase) => continue,
                    _ => return None,
                }
            }
        }
        None
    }
}

fn is_weekday(word: &str) -> bool {
    matches!(
        word,
        "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday"
    )
}

fn is_month(word: &str) -> bool {
    #[rustfmt::skip]
    const MONTHS: &[&str] = &[
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
    ];
    MONTHS.contains(&word)
}

fn is_part_of_day(word: &str) -> bool {
    matches!(word, "morning" | "afternoon" | "evening" | "night")
}

fn is_time_unit(word: &str) -> bool {
    matches!(
        word,
        "week" | "weekend" | "month" | "year" | "night" | "morning" | "afternoon" | "evening"
    )
}

fn is_plural_time_unit(word: &str) -> bool {
    matches!(
        word,
        "days"
            | "weeks"
            | "months"
            | "years"
            | "decades"
            | "hours"
            | "minutes"
            | "day"
            | "week"
            | "month"
            | "year"
            | "decade"
            | "hour"
    )
}

/// How many units ago: "two", "a", "several", "10".
fn is_count(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "one"
            | "two"
            | "three"
            | "four"
            | "five"
            | "six"
            | "seven"
            | "eight"
            | "nine"
            | "ten"
            | "several"
            | "few"
            | "many"
            | "some"
    ) || (!word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()))
}

/// Where words were delivered: "in a statement", "in a televised address".
fn is_medium(word: &str) -> bool {
    matches!(
        word,
        "statement"
            | "interview"
            | "speech"
            | "letter"
            | "post"
            | "tweet"
            | "release"
            | "briefing"
            | "remarks"
            | "address"
            | "email"
            | "message"
            | "video"
            | "filing"
            | "memo"
    )
}
