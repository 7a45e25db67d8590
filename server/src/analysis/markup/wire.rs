//! Wire-copy furniture recognised by its shape: photo captions with an agency credit, bylines,
//! reporting trailers and datelines.

use crate::analysis::model::Span;

/// News agencies whose credit ends a photo caption ("… Jan. 21. Reuters-Yonhap |").
#[rustfmt::skip]
const AGENCIES: &[&str] = &[
    "Reuters", "REUTERS", "AP", "AFP", "EPA", "EPA-EFE", "Getty Images", "Yonhap", "YONHAP",
    "Xinhua", "Kyodo", "KYODO", "Bloomberg", "ANSA", "dpa", "Anadolu", "Sputnik", "TASS",
    "Pool", "POOL", "Handout", "HANDOUT",
];

/// Whether the line ends with an agency credit ("… Jan. 21. Reuters-Yonhap |",
/// "… on Tuesday. REUTERS/Kim Hong-Ji"): a photo caption pasted into the copy.
pub(super) fn is_caption(line: &str) -> bool {
    let trimmed = line.trim_end().trim_end_matches('|').trim_end();
    // "REUTERS/Name Surname" or "Reuters/Name": the photographer's credit (every line is
    // asked, and few hold a slash).
    let agencies = if trimmed.contains('/') { AGENCIES } else { &[] };
    for agency in agencies {
        if let Some(pos) = trimmed.rfind(&format!("{agency}/")) {
            let credit = &trimmed[pos + agency.len() + 1..];
            let words = credit.split_whitespace().count();
            let named = credit
                .split_whitespace()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase));
            if (1..=4).contains(&words) && named && sentence_before(&trimmed[..pos]) {
                return true;
            }
        }
    }
    // "… Jan. 21. Reuters-Yonhap", "… Photo: AP", "… Getty Images".
    let Some(last_sentence_end) = trimmed.rfind(['.', '!', '?', ':']) else {
        return false;
    };
    let credit = trimmed[last_sentence_end + 1..].trim();
    if credit.is_empty() || credit.len() > 40 {
        return false;
    }
    let credit = credit.strip_prefix("via ").unwrap_or(credit);
    let words: Vec<&str> = credit
        .split(['-', '/', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    let is_agency_credit =
        words.len() <= 4 && words.iter().all(|w| w.starts_with(char::is_uppercase));
    let has_agency = words.iter().any(|w| AGENCIES.contains(w));
    // A story sentence never ends in a bare agency name after a full stop.
    is_agency_credit && has_agency && sentence_before(&trimmed[..=last_sentence_end])
}

fn sentence_before(text: &str) -> bool {
    text.split_whitespace().count() >= 3
}

/// "By Elaine Lies and David Brunnstrom": one short line naming the writers.
pub(super) fn is_byline(text: &str) -> bool {
    let line = text.trim().trim_matches(['*', '_']);
    let Some(names) = line
        .strip_prefix("By ")
        .or_else(|| line.strip_prefix("BY "))
    else {
        return false;
    };
    let words = names.split_whitespace().count();
    !line.contains('\n')
        && (1..=14).contains(&words)
        && names.chars().next().is_some_and(char::is_uppercase)
        && !line.ends_with(['.', '?', '!', ':'])
}

/// "(Writing by …; Editing by …)", "Reporting by …; Editing by …".
pub(super) fn is_trailer(text: &str) -> bool {
    let line = text.trim_start().trim_start_matches(['*', '_', '(']);
    let line = line.strip_prefix("Additional ").unwrap_or(line);
    #[rustfmt::skip]
    const ROLES: &[&str] = &[
        "Reporting by", "reporting by", "Writing by", "Editing by", "Compiled by", "Compiling by",
        "Edited by", "Written by", "Research by", "Graphics by", "Production by",
    ];
    ROLES.iter().any(|r| line.starts_with(r))
}

/// The dateline at the start of the (blanked) paragraph text: "TOKYO/WASHINGTON (Reuters) –",
/// "NEW YORK, Jan 20 (Reuters) -", "BERLIN —".
pub fn dateline(prose: &str) -> Option<Span> {
    let start = prose.len() - prose.trim_start().len();
    let head = &prose[start..];
    let window_end = head.char_indices().nth(90).map_or(head.len(), |(i, _)| i);
    let window = &head[..window_end];
    // The dash that ends the dateline, with a space before it.
    let dash = window
        .char_indices()
        .find(|&(i, c)| matches!(c, '–' | '—' | '-') && i > 0 && window[..i].ends_with(' '))?;
    let (dash_at, dash_char) = dash;
    let mut end = dash_at + dash_char.len_utf8();
    if dash_char == '-' && window[end..].starts_with('-') {
        end += 1;
    }
    let place_part = window[..dash_at].trim_end();
    let (place, agency) = match place_part.rfind('(') {
        Some(open) if place_part.ends_with(')') => {
            (place_part[..open].trim_end(), Some(&place_part[open..]))
        }
        _ => (place_part, None),
    };
    // The place, optionally with a date after a comma: "NEW YORK, Jan 20".
    let place_name = place.split(',').next().unwrap_or("");
    let letters: Vec<char> = place_name.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 2 {
        return None;
    }
    let all_caps = letters.iter().all(|c| c.is_uppercase());
    let capitalised = place_name
        .split([' ', '/'])
        .filter(|w| !w.is_empty())
        .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    let place_ok = place_name
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '/' | '.' | '\'' | '-'));
    let agency_ok = agency.is_some_and(|a| a.len() <= 24 && a[1..].starts_with(char::is_uppercase));
    if place_ok
        && (all_caps || (capitalised && agency_ok))
        && place_name.split_whitespace().count() <= 5
    {
        Some(Span::new(start, start + end))
    } else {
        None
    }
}
