//! The statistical tagger: an averaged perceptron over BILOU labels with Viterbi decoding.
//!
//! The model file (server/data/ner.model, made by scripts/train-ner) is embedded in the binary
//! and read in place: opening it parses a small header, so startup costs nothing measurable.
//! Format (little endian): magic `CDNER001`, u32 label count, u32 feature count, u32 bucket
//! bits, f32 transitions (labels × labels), f32 start and end scores, u32 bucket starts
//! (2^bits + 1), then per feature a u32 fingerprint, an f32 scale and one i8 weight per label.

pub mod clusters;
pub mod conll;
pub mod embedding_classes;
pub mod features;
pub mod gazetteer;
pub mod margins;
pub mod nonlocal;
mod tables;
#[doc(hidden)]
pub mod train;
#[doc(hidden)]
pub mod train_doc;
mod viterbi;
mod wide;

use std::sync::OnceLock;

use tables::MODEL_MAGIC as MAGIC;
pub use viterbi::viterbi;

use crate::analysis::model::{EntityKind, Span};

/// Entity types in label order.
pub const KINDS: [EntityKind; 4] = [
    EntityKind::Person,
    EntityKind::Organization,
    EntityKind::Location,
    EntityKind::Misc,
];
/// O plus B, I, L, U for each kind.
pub const LABELS: usize = 1 + 4 * KINDS.len();

/// Position of a token in an entity (BILOU).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Begin,
    Inside,
    Last,
    Unit,
}

/// Label index for a kind and part; 0 is O.
pub const fn label(kind: usize, part: Part) -> u8 {
    (1 + kind * 4 + part as usize) as u8
}

/// The (kind index, part) of a label, None for O.
pub const fn parse_label(l: u8) -> Option<(usize, Part)> {
    if l == 0 || l as usize >= LABELS {
        return None;
    }
    let k = (l as usize - 1) / 4;
    let part = match (l - 1) % 4 {
        0 => Part::Begin,
        1 => Part::Inside,
        2 => Part::Last,
        _ => Part::Unit,
    };
    Some((k, part))
}

/// Whether label `b` may follow label `a` in BILOU (`a == None` at the start).
pub fn allowed(a: Option<u8>, b: u8) -> bool {
    match a {
        Some(a) => ALLOWED
            .get(a as usize)
            .and_then(|row| row.get(b as usize))
            .copied()
            .unwrap_or(false),
        None => !matches!(parse_label(b), Some((_, Part::Inside | Part::Last))),
    }
}

/// Whether a sequence may end on `l`.
pub fn may_end(l: u8) -> bool {
    !matches!(parse_label(l), Some((_, Part::Begin | Part::Inside)))
}

/// The BILOU transition table, computed at compile time.
static ALLOWED: [[bool; LABELS]; LABELS] = {
    let mut t = [[false; LABELS]; LABELS];
    let mut a = 0;
    while a < LABELS {
        let mut b = 0;
        while b < LABELS {
            let a_open = a != 0 && ((a - 1) % 4 == 0 || (a - 1) % 4 == 1);
            let b_cont = b != 0 && ((b - 1) % 4 == 1 || (b - 1) % 4 == 2);
            t[a][b] = if a_open {
                b_cont && (a - 1) / 4 == (b - 1) / 4
            } else {
                !b_cont
            };
            b += 1;
        }
        a += 1;
    }
    t
};

/// Entity spans (token index ranges, end exclusive) with kind indices, from a label sequence.
/// Tolerates ill-formed sequences (a stray I or L opens an entity).
pub fn spans(labels: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (i, &l) in labels.iter().enumerate() {
        match parse_label(l) {
            None => {
                if let Some((s, k)) = open.take() {
                    out.push((s, i, k));
                }
            }
            Some((k, part)) => {
                if let Some((s, ok)) = open {
                    if ok != k || matches!(part, Part::Begin | Part::Unit) {
                        out.push((s, i, ok));
                        open = None;
                    }
                }
                let s = open.map_or(i, |(s, _)| s);
                match part {
                    Part::Begin | Part::Inside => open = Some((s, k)),
                    Part::Last | Part::Unit => {
                        out.push((s, i + 1, k));
                        open = None;
                    }
                }
            }
        }
    }
    if let Some((s, k)) = open {
        out.push((s, labels.len(), k));
    }
    out
}

/// Words that head an organisation's name and take an "of"/"for" complement that is part of the
/// name ("Bank for International Settlements", "Ministry of Defence").
#[rustfmt::skip]
const ORGANISATION_HEADS: &[&str] = &[
    "Agency", "Association", "Authority", "Bank", "Board", "Bureau", "Center", "Centre",
    "Chamber", "College", "Commission", "Committee", "Confederation", "Council", "Court",
    "Department", "Federation", "Foundation", "Fund", "Institute", "League", "Ministry",
    "Office", "Organisation", "Organization", "Party", "School", "Society", "Union",
    "University",
];

/// The tagger often splits such names at the preposition into two organisations; when an
/// organisation ending in a head word is followed by "of"/"for" and another organisation,
/// they are one name.
pub fn join_organisation_names(words: &[&str], labels: &mut [u8]) {
    const ORG: usize = 1;
    // Each join removes a span, so this ends; "A of B for C" joins in two rounds.
    'rounds: loop {
        for pair in spans(labels).windows(2) {
            let ((s, e, k), (s2, e2, k2)) = (pair[0], pair[1]);
            if k != ORG || k2 != ORG || s2 != e + 1 || e2 > labels.len() {
                continue;
            }
            if !matches!(words.get(e).copied(), Some("of" | "for"))
                || !words
                    .get(e - 1)
                    .is_some_and(|w| ORGANISATION_HEADS.contains(w))
            {
                continue;
            }
            labels[s] = label(ORG, Part::Begin);
            for l in &mut labels[s + 1..e2 - 1] {
                *l = label(ORG, Part::Inside);
            }
            labels[e2 - 1] = label(ORG, Part::Last);
            continue 'rounds;
        }
        break;
    }
}

/// A nickname in quotation marks inside a personal name ("Margaret “Peg” Olsen", "Marcia
/// \"Cia\" Price"): CoNLL has almost none, so the tagger splits such names at the marks and
/// may give the parts any kind. When one or two capitalised words in quotation marks stand
/// between two capitalised words and the tagger made a person of the word before or after them,
/// the whole stretch is one person, from the start of the entity before to the end of the one
/// after. `words` are normalised (both marks are `"`).
pub fn join_nicknamed_names(words: &[&str], labels: &mut [u8]) {
    const PER: usize = 0;
    let capitalised = |i: usize| {
        words
            .get(i)
            .and_then(|w| w.chars().next())
            .is_some_and(char::is_uppercase)
    };
    let kind =
        |labels: &[u8], i: usize| labels.get(i).and_then(|&l| parse_label(l)).map(|(k, _)| k);
    let mut i = 0;
    while i + 4 < words.len() {
        let close = (i + 3..=i + 4).find(|&k| words[k] == "\"");
        let Some(close) = close.filter(|&c| {
            words[i + 1] == "\""
                && capitalised(i)
                && (i + 2..c).all(capitalised)
                && capitalised(c + 1)
                && (kind(labels, i) == Some(PER) || kind(labels, c + 1) == Some(PER))
        }) else {
            i += 1;
            continue;
        };
        let found = spans(labels);
        let start = found
            .iter()
            .find(|&&(s, e, k)| s <= i && i < e && k == PER)
            .map_or(i, |&(s, _, _)| s);
        let end = found
            .iter()
            .find(|&&(s, e, k)| s <= close + 1 && close + 1 < e && k == PER)
            .map_or(close + 2, |&(_, e, _)| e);
        labels[start] = label(PER, Part::Begin);
        for l in &mut labels[start + 1..end - 1] {
            *l = label(PER, Part::Inside);
        }
        labels[end - 1] = label(PER, Part::Last);
        i = end;
    }
}

/// A trained model read in place from its bytes.
pub struct Model {
    trans: [[f32; LABELS]; LABELS],
    start: [f32; LABELS],
    end: [f32; LABELS],
    bucket_bits: u32,
    /// The whole file, and where its bucket starts, fingerprints and weight rows lie in it: all
    /// read in place (the embedded models cost no heap).
    bytes: &'static [u8],
    layout: tables::ModelLayout<'static>,
    rows: &'static [u8],
}

fn f32_at(b: &[u8], i: usize) -> Option<f32> {
    Some(f32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// Bytes of a feature's row: f32 scale + one i8 per label.
pub(crate) const ROW: usize = 4 + LABELS;
const _: () = assert!(tables::LABELS == LABELS && tables::MODEL_ROW == ROW);

impl Model {
    /// Read a model; None if the bytes are not a model of this format.
    pub fn read(bytes: &'static [u8]) -> Option<Model> {
        let layout = tables::ModelLayout::read(bytes)?;
        let mut at = 0;
        let mut next = || {
            let v = f32_at(layout.scores, at);
            at += 4;
            v
        };
        let mut trans = [[0f32; LABELS]; LABELS];
        for row in &mut trans {
            for v in row.iter_mut() {
                *v = next()?;
            }
        }
        let mut start = [0f32; LABELS];
        let mut end = [0f32; LABELS];
        for v in start.iter_mut().chain(end.iter_mut()) {
            *v = next()?;
        }
        // Disallowed BILOU transitions are folded into the scores, so decoding needs no test.
        for (a, row) in trans.iter_mut().enumerate() {
            for (b, v) in row.iter_mut().enumerate() {
                if !ALLOWED[a][b] {
                    *v = f32::NEG_INFINITY;
                }
            }
        }
        for (l, v) in start.iter_mut().enumerate() {
            if !allowed(None, l as u8) {
                *v = f32::NEG_INFINITY;
            }
        }
        for (l, v) in end.iter_mut().enumerate() {
            if !may_end(l as u8) {
                *v = f32::NEG_INFINITY;
            }
        }
        Some(Model {
            trans,
            start,
            end,
            bucket_bits: layout.bucket_bits,
            bytes,
            layout,
            rows: layout.rows,
        })
    }

    fn find(&self, h: u64) -> Option<usize> {
        self.layout.find(h)
    }

    /// Add feature `h`'s weights to `scores`.
    fn add(&self, h: u64, scores: &mut [f32; LABELS]) {
        let Some(i) = self.find(h) else { return };
        let Some(row) = self.rows.get(i * ROW..(i + 1) * ROW) else {
            return;
        };
        let Ok(weights) = <&[u8; LABELS]>::try_from(&row[4..]) else {
            return;
        };
        let scale = f32::from_le_bytes([row[0], row[1], row[2], row[3]]);
        for (s, &w) in scores.iter_mut().zip(weights) {
            *s += scale * (w as i8) as f32;
        }
    }

    /// Labels for one sequence of tokens (already normalised, see [`normalise`]).
    pub fn tag(&self, words: &[&str]) -> Vec<u8> {
        self.decode(words, &self.emissions(words))
    }

    /// Per-token label scores for one sequence (the input of [`Model::decode`]).
    pub fn emissions(&self, words: &[&str]) -> Vec<[f32; LABELS]> {
        let mut feats = Vec::with_capacity(words.len() * 48);
        let mut starts = Vec::with_capacity(words.len() + 1);
        features::extract(words, &mut feats, &mut starts);
        let mut emissions = vec![[0f32; LABELS]; words.len()];
        for (i, e) in emissions.iter_mut().enumerate() {
            for &h in &feats[starts[i]..starts[i + 1]] {
                self.add(h, e);
            }
        }
        emissions
    }

    /// The best labels for `emissions` of `words`, organisation names split at "of" and personal
    /// names at a nickname rejoined.
    pub fn decode(&self, words: &[&str], emissions: &[[f32; LABELS]]) -> Vec<u8> {
        let mut labels = viterbi(emissions, &self.trans, &self.start, &self.end);
        join_organisation_names(words, &mut labels);
        join_nicknamed_names(words, &mut labels);
        labels
    }

    /// [`Model::decode`], with the max-marginal margins of the decoder's own labels
    /// ([`margins::margins`]; `marked` chooses the positions of [`margins::Margins::marked`])
    /// and those labels where the rewriting after the decoder changed them (the margins are
    /// about the decoder's labels: the rewriting is a function of them and the words).
    pub fn decode_with_margins(
        &self,
        words: &[&str],
        emissions: &[[f32; LABELS]],
        marked: impl Fn(usize) -> bool,
    ) -> (Vec<u8>, Option<margins::Margins>, Option<Vec<u8>>) {
        let mut forward = Vec::new();
        let raw =
            viterbi::viterbi_forward(emissions, &self.trans, &self.start, &self.end, &mut forward);
        let found = margins::margins(
            emissions,
            &self.trans,
            &self.start,
            &self.end,
            &raw,
            &forward,
            marked,
        );
        let mut labels = raw.clone();
        join_organisation_names(words, &mut labels);
        join_nicknamed_names(words, &mut labels);
        let raw = (raw != labels).then_some(raw);
        (labels, found, raw)
    }

    /// A copy that reads the same bytes.
    pub fn clone_ref(m: &Model) -> Model {
        Model {
            trans: m.trans,
            start: m.start,
            end: m.end,
            bucket_bits: m.bucket_bits,
            bytes: m.bytes,
            layout: m.layout,
            rows: m.rows,
        }
    }

    /// Number of features with weights.
    pub fn features(&self) -> usize {
        self.layout.features()
    }
}

/// The embedded model, read on first use.
pub fn model() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    #[rustfmt::skip]
    static BYTES: &[u8] = include_bytes!("../../../data/ner.model");
    MODEL.get_or_init(|| Model::read(BYTES)).as_ref()
}

/// The embedded second-stage (document features) model, read on first use; `None` when the
/// build embeds none (then the first stage's labels stand).
pub fn document_model() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    #[rustfmt::skip]
    static BYTES: &[u8] = include_bytes!("../../../data/ner-doc.model");
    MODEL.get_or_init(|| Model::read(BYTES)).as_ref()
}

/// Token text as the training data writes it: straight quotes and apostrophes, "--" dashes.
pub fn normalise(word: &str) -> std::borrow::Cow<'_, str> {
    // Every character replaced below is encoded from a lead byte 0xC2 or 0xE2: most words have
    // neither and are returned as they are without the comparisons.
    if !word.bytes().any(|b| b == 0xC2 || b == 0xE2) {
        return word.into();
    }
    match word {
        "“" | "”" | "„" | "«" | "»" => "\"".into(),
        "‘" | "’" | "‚" => "'".into(),
        "–" | "—" => "--".into(),
        w if w.contains('’') => w.replace('’', "'").into(),
        w => w.into(),
    }
}

/// Mentions in one paragraph by the embedded model: `None` if no model is embedded.
pub fn recognize(text: &str) -> Option<Vec<(Span, EntityKind)>> {
    model().map(|m| recognize_with(m, text))
}

/// Mentions in one paragraph by `model`.
pub fn recognize_with(model: &Model, text: &str) -> Vec<(Span, EntityKind)> {
    let tokens = crate::text::tokenize(text);
    let normal: Vec<std::borrow::Cow<'_, str>> = tokens
        .iter()
        .map(|s| normalise(&text[s.start..s.end]))
        .collect();
    let words: Vec<&str> = normal.iter().map(|w| w.as_ref()).collect();
    let labels = model.tag(&words);
    spans(&labels)
        .into_iter()
        .map(|(s, e, k)| (Span::new(tokens[s].start, tokens[e - 1].end), KINDS[k]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilou_spans_and_transitions() {
        let per_b = label(0, Part::Begin);
        let per_l = label(0, Part::Last);
        let loc_u = label(2, Part::Unit);
        assert_eq!(
            spans(&[0, per_b, per_l, 0, loc_u]),
            vec![(1, 3, 0), (4, 5, 2)]
        );
        assert!(allowed(Some(per_b), per_l));
        assert!(!allowed(Some(per_b), loc_u));
        assert!(!allowed(None, per_l));
        assert!(allowed(Some(loc_u), 0));
        for a in 0..LABELS as u8 {
            for b in 0..LABELS as u8 {
                let (pa, pb) = (parse_label(a), parse_label(b));
                let open = matches!(pa, Some((_, Part::Begin | Part::Inside)));
                let cont = matches!(pb, Some((_, Part::Inside | Part::Last)));
                let want = if open {
                    cont && pa.map(|p| p.0) == pb.map(|p| p.0)
                } else {
                    !cont
                };
                assert_eq!(allowed(Some(a), b), want, "{a} {b}");
            }
        }
    }

    #[test]
    fn viterbi_respects_bilou() {
        // Emissions prefer an I without a B: the decoder must not produce it.
        let mut e = vec![[0f32; LABELS]; 2];
        e[0][label(0, Part::Inside) as usize] = 5.0;
        e[1][label(0, Part::Last) as usize] = 5.0;
        let t = [[0f32; LABELS]; LABELS];
        let z = [0f32; LABELS];
        let out = viterbi(&e, &t, &z, &z);
        assert_eq!(out, vec![label(0, Part::Begin), label(0, Part::Last)]);
    }

    #[test]
    fn organisation_names_join_across_of_and_for() {
        let org = |p| label(1, p);
        let words = ["the", "Bank", "for", "Rural", "Credit", "and", "Ada"];
        let mut l = vec![
            0,
            org(Part::Unit),
            0,
            org(Part::Begin),
            org(Part::Last),
            0,
            0,
        ];
        join_organisation_names(&words, &mut l);
        assert_eq!(spans(&l), vec![(1, 5, 1)]);
        // Not after a word that does not head a name.
        let words = ["Oslo", "Tigers", "of", "Ilsa", "Club"];
        let mut l = vec![
            org(Part::Begin),
            org(Part::Last),
            0,
            org(Part::Begin),
            org(Part::Last),
        ];
        join_organisation_names(&words, &mut l);
        assert_eq!(spans(&l), vec![(0, 2, 1), (3, 5, 1)]);
    }

    #[test]
    fn nicknames_inside_personal_names_join_them() {
        let per = |p| label(0, p);
        let misc = |p| label(3, p);
        let words = ["member", "Margaret", "\"", "Peg", "\"", "Olsen", ","];
        let mut l = vec![
            0,
            misc(Part::Begin),
            misc(Part::Inside),
            misc(Part::Last),
            0,
            per(Part::Unit),
            0,
        ];
        join_nicknamed_names(&words, &mut l);
        assert_eq!(spans(&l), vec![(1, 6, 0)]);
        // The entity before the nickname starts the name: "Ana Maria “Nan” Cole Diaz".
        let words = ["Ana", "Maria", "\"", "Nan", "\"", "Cole", "Diaz"];
        let mut l = vec![
            per(Part::Begin),
            per(Part::Last),
            0,
            0,
            0,
            per(Part::Begin),
            per(Part::Last),
        ];
        join_nicknamed_names(&words, &mut l);
        assert_eq!(spans(&l), vec![(0, 7, 0)]);
        // Not without a person on either side, nor around a quoted phrase in lowercase.
        for (words, before) in [
            (
                ["the", "Tigers", "\"", "Gold", "\"", "Cup", "."],
                vec![
                    0,
                    misc(Part::Unit),
                    0,
                    misc(Part::Unit),
                    0,
                    misc(Part::Unit),
                    0,
                ],
            ),
            (
                ["Ada", "\"", "ran", "\"", "Bo", "said", "."],
                vec![per(Part::Unit), 0, 0, 0, per(Part::Unit), 0, 0],
            ),
        ] {
            let mut l = before.clone();
            join_nicknamed_names(&words, &mut l);
            assert_eq!(l, before, "{words:?}");
        }
    }

    #[test]
    fn normalise_writes_quotes_and_dashes_as_the_training_data_does() {
        for (word, want) in [
            ("“", "\""),
            ("»", "\""),
            ("‚", "'"),
            ("—", "--"),
            ("Kishida’s", "Kishida's"),
            ("Kishida", "Kishida"),
            ("São", "São"),
            ("€5", "€5"),
            ("", ""),
        ] {
            assert_eq!(normalise(word), want, "{word}");
        }
    }

    #[test]
    fn embedded_model_reads() {
        let m = model().expect("model embedded");
        assert!(m.features() > 1000);
    }
}
