//! The certificate that a paragraph's second-stage labels cannot change: a cascade (a letter
//! that completes a word hundreds of paragraphs hold) changes a few tokens' document features
//! in each of them, and decoding every such paragraph again cost ≈ 50 K instructions each
//! however cheap its own words' scores were (session 16). A paragraph whose decoded labels beat
//! every other labelling by more than the change can move the scores keeps its labels without
//! being decoded; the output is the same bytes, because the labels are provably those the
//! decoding would give.
//!
//! **What is kept** ([`Cert`], per distinct paragraph, from its last decoding): the margins
//! of the decoder's labels `b` (`crate::entities::tagger::margins`: lower bounds of `S(b) −
//! S(q)` in exact arithmetic on the float scores the decoder read), `up` over the paths `q`
//! that differ from `b` at a token with a capital letter (the only tokens with document
//! features) and `low` over all paths; the scores' `mass` (a bound on `Σ|terms|` of any path);
//! the largest absolute local score `local`; and `b` where the rewriting after the decoder
//! changed it.
//!
//! **Which tokens can change.** [`nonlocal::Changed`] names the word hashes and lowercase
//! hashes whose statistics changed visibly to the second model. A token reads the statistics
//! of its own word and lowercase, and, for the entity stretch around it, the words up to
//! `MAX_ENTITY − 1` tokens away (whether they occur in an entity) and the spellings of the
//! stretches holding it (a changed spelling puts all its words, this token's among them, in
//! `Changed::words`). So the tokens whose features can differ are the capitalised ones whose
//! lowercase is in `Changed::lowers` or with a word of `Changed::words` within four tokens
//! ([`affected`]); every other token's features, hence its rows and scores, are the same bits.
//!
//! **How far the scores move.** A token's score for label `l` is its local score plus its
//! document rows' terms, added one by one in f32 (`Joint::add_rows`). With the rows before and
//! after ([`TokenRows`]: the old ones read under the statistics before the change, which
//! [`SecondStageCache::certify`] puts back for the purpose), the change of the rows' exact sum
//! is the sum of the terms of the rows only one side holds (computed in f64 from the same f32
//! terms; the common rows cancel exactly), and the exact change `d(l)` of the float score is
//! that plus two roundings, each at most `γ_m·(local + Σ|terms|)` for `m` rows. [`check`] bounds
//! `d(l) − d(b_t)` from above for each changed token `t`; their sum is what the change can
//! *spend* of `up` (a path that agrees with `b` at every capitalised token gains nothing from
//! the change, so `low` is untouched). The change also grows the `mass` by at most each
//! token's largest `|d(l)|`.
//!
//! **The decision.** The labels stand when `up − spend` and `low` both exceed the decoder's
//! rounding allowance for the new mass (`margins::rounding`): then every other path is below
//! `b` by more than the float decoding can misjudge, and the decoder returns `b`. The paragraph
//! then keeps `up − spend` and the grown mass, which bound the new scores as the old ones bound
//! the old scores, so repeated skips stay sound; a new decoding computes them afresh. Every
//! quantity is rounded toward caution where it is stored in f32, and the f64 arithmetic here
//! is covered by doubled allowances. A change larger than the margin refuses, and the
//! paragraph is decoded as before.

use std::sync::Arc;

use super::super::tagger::margins::{rounding, Margins};
use super::super::tagger::nonlocal::TwoStage;
use super::super::tagger::nonlocal::{self, Changed, ContextRows, DocStats, TokenKey, TokenRows};
use super::super::tagger::{self, LABELS};
use super::SecondStageCache;

/// How many tokens either side of a changed word its change can reach through the entity
/// stretch (`nonlocal::MAX_ENTITY` − 1).
const REACH: usize = 4;

/// Unit roundoff of f32.
const U: f64 = 1.0 / 16_777_216.0;

/// A paragraph's proof material from its last decoding (see the module's comment). 16 bytes
/// and a pointer that is nearly always empty.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Cert {
    /// Lower bound of `S(b) − S(q)` over paths that differ from `b` at a capitalised token.
    up: f32,
    /// Lower bound of `S(b) − S(q)` over all paths `q ≠ b`.
    low: f32,
    /// Upper bound of `Σ|terms|` of any path.
    mass: f32,
    /// Upper bound of the absolute local scores.
    local: f32,
    /// The decoder's labels where they are not the paragraph's labels.
    raw: Option<Arc<[u8]>>,
}

/// The f32 just below `y` (`f32::next_down`, which is newer than the crate's MSRV).
fn below(y: f32) -> f32 {
    if y.is_nan() || y == f32::NEG_INFINITY {
        y
    } else if y == 0.0 {
        -f32::from_bits(1)
    } else if y > 0.0 {
        f32::from_bits(y.to_bits() - 1)
    } else {
        f32::from_bits(y.to_bits() + 1)
    }
}

/// `x` as an f32 no larger.
fn down(x: f64) -> f32 {
    let y = x as f32;
    if f64::from(y) > x {
        below(y)
    } else {
        y
    }
}

/// `x` as an f32 no smaller.
fn up(x: f64) -> f32 {
    -down(-x)
}

impl Cert {
    /// The certificate of a decoding with these margins, largest absolute local score and
    /// decoder's labels (where they differ from the paragraph's); `None` when there is nothing
    /// to certify with (a margin not above zero).
    pub(super) fn new(margins: Margins, local: f64, raw: Option<Vec<u8>>) -> Option<Cert> {
        let cert = Cert {
            up: down(margins.marked),
            low: down(margins.all),
            mass: up(margins.mass),
            local: up(local),
            raw: raw.map(Into::into),
        };
        (cert.low > 0.0 && cert.up > 0.0 && cert.mass.is_finite() && cert.local.is_finite())
            .then_some(cert)
    }
}

/// The tokens of a paragraph whose document features the change can alter (see the module's
/// comment), in order.
pub(super) fn affected(keys: &[TokenKey], changed: &Changed) -> Vec<usize> {
    let near: Vec<bool> = keys
        .iter()
        .map(|t| changed.words.contains(&t.word))
        .collect();
    (0..keys.len())
        .filter(|&i| {
            let t = keys[i];
            t.upper
                && (changed.lowers.contains(&t.lower)
                    || near[i.saturating_sub(REACH)..(i + REACH + 1).min(keys.len())]
                        .iter()
                        .any(|&w| w))
        })
        .collect()
}

/// An upper bound of `γ_m·x` (`m` roundings), generous: `2(m + 1)·u·x`; `None` for absurd `m`.
fn gamma(m: usize, x: f64) -> Option<f64> {
    (m < 100_000).then_some(2.0 * (m as f64 + 1.0) * U * x)
}

/// How one token's document rows change: the change of their sum per label, and the count
/// and [`TokenRows::abs`] of the rows before and after.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct TokenChange {
    pub(super) token: usize,
    pub(super) sum: [f64; LABELS],
    pub(super) before: (usize, f64),
    pub(super) after: (usize, f64),
}

/// Whether `cert`'s paragraph (`n` tokens, labels `labels`) keeps its labels when its tokens'
/// document rows change as `changes` say (every token whose rows change among them): the
/// updated certificate if so.
pub(super) fn check(cert: &Cert, labels: &[u8], n: usize, changes: &[TokenChange]) -> Option<Cert> {
    let decoded = cert.raw.as_deref().unwrap_or(labels);
    let local = f64::from(cert.local);
    let (mut spend, mut grow) = (0f64, 0f64);
    for c in changes {
        let own = *decoded.get(c.token)? as usize;
        // The float scores' own roundings, before and after, and a little for the f64 sums.
        let err = gamma(c.before.0, local + c.before.1)? + gamma(c.after.0, local + c.after.1)?;
        let d = c.sum;
        let mine = *d.get(own)?;
        let most = d.iter().fold(f64::NEG_INFINITY, |m, &x| m.max(x - mine));
        let largest = d.iter().fold(0f64, |m, &x| m.max(x.abs()));
        if !most.is_finite() || !largest.is_finite() {
            return None;
        }
        spend += most + 2.0 * err;
        grow += largest + err;
    }
    // The f64 sums above round too: a relative allowance far above their error.
    let spend = spend * (1.0 + 1e-9);
    let mass = (f64::from(cert.mass) + grow) * (1.0 + 1e-9);
    let left = f64::from(cert.up) - spend;
    let allowance = rounding(n, mass)?;
    (left > allowance && f64::from(cert.low) > allowance).then(|| Cert {
        up: down(left),
        low: cert.low,
        mass: up(mass),
        local: cert.local,
        raw: cert.raw.clone(),
    })
}

impl SecondStageCache {
    /// Check the certificates of `candidates` (slots of paragraphs current before the change
    /// `removed` → `added`, which the statistics hold already and which changed `changed`):
    /// those that hold are updated and the paragraph keeps its labels; the others are stale.
    pub(super) fn certify(
        &mut self,
        candidates: &[u32],
        changed: &Changed,
        (removed, added): (Sequences<'_>, Sequences<'_>),
        two: &TwoStage<'_>,
        contexts: &mut ContextRows,
    ) {
        let Some(row) = two.second_row() else {
            // Without a joint index nothing is certified (not the embedded models).
            for &slot in candidates {
                let Some(&id) = self.slot_ids.get(slot as usize) else {
                    continue;
                };
                if let Some(k) = self.known.get_mut(&id) {
                    k.stale = true;
                    self.unsettled.insert(id);
                }
            }
            return;
        };
        let mut work = Vec::with_capacity(candidates.len());
        // The statistics before the change, to read the changed tokens' old features: the
        // update is exact both ways (the statistics equal those gathered afresh).
        self.stats.update(added, removed, &two.scored());
        let mut before = ContextRows::default();
        let mut scratch = (Vec::new(), Vec::new());
        for &slot in candidates {
            let id = self.slot_ids.get(slot as usize);
            let Some(k) = id.and_then(|id| self.known.get(id)) else {
                continue;
            };
            let keys = k.keys.unpack();
            let tokens = affected(&keys, changed);
            let own_spans = tagger::spans(&k.labels);
            let at = (&keys[..], &k.labels[..], &own_spans[..], &tokens[..]);
            let old = token_rows(two, at, &self.stats, &mut before, &row, &mut scratch);
            work.push((slot, keys, tokens, own_spans, old));
        }
        self.stats.update(removed, added, &two.scored());
        for (slot, keys, tokens, own_spans, old) in work {
            let Some(&id) = self.slot_ids.get(slot as usize) else {
                continue;
            };
            let Some(k) = self.known.get_mut(&id) else {
                continue;
            };
            let at = (&keys[..], &k.labels[..], &own_spans[..], &tokens[..]);
            let new = token_rows(two, at, &self.stats, contexts, &row, &mut scratch);
            let changes: Option<Vec<TokenChange>> = old.zip(new).and_then(|(old, new)| {
                tokens
                    .iter()
                    .zip(old.iter().zip(&new))
                    .map(|(&token, (a, b))| {
                        Some(TokenChange {
                            token,
                            sum: two.row_change(a, b)?,
                            before: (a.rows.len(), a.abs),
                            after: (b.rows.len(), b.abs),
                        })
                    })
                    .collect()
            });
            let kept = match (&k.cert, &k.second, changes) {
                (Some(cert), Some((_, labels)), Some(changes)) => {
                    check(cert, labels, keys.len(), &changes)
                }
                _ => None,
            };
            match kept {
                Some(cert) => {
                    k.cert = Some(cert);
                    self.last.certified += 1;
                }
                None => {
                    k.stale = true;
                    self.unsettled.insert(id);
                    self.last.refused += 1;
                }
            }
        }
    }
}

/// Sequences taken out of or put into the statistics: token keys and first-stage labels.
type Sequences<'a> = &'a [(&'a [TokenKey], &'a [u8])];

/// Some tokens of one paragraph: its keys, first-stage labels, their spans, the tokens.
type Reading<'a> = (
    &'a [TokenKey],
    &'a [u8],
    &'a [(usize, usize, usize)],
    &'a [usize],
);

/// What the document features of some tokens of one paragraph (`keys`, first-stage `labels`,
/// their spans, the tokens) add to their scores under `stats` (`contexts` and `row` as
/// [`nonlocal::extract_hinted`] takes them): `None` without a joint index.
fn token_rows<F: Fn(u64) -> u32>(
    two: &TwoStage<'_>,
    (keys, labels, own_spans, tokens): Reading<'_>,
    stats: &DocStats,
    contexts: &mut ContextRows,
    row: &F,
    (feats, hints): &mut (Vec<u64>, Vec<u32>),
) -> Option<Vec<TokenRows>> {
    tokens
        .iter()
        .map(|&t| {
            let hinted = Some((&mut *hints, &mut *contexts, row));
            nonlocal::extract_token(keys, labels, own_spans, t, stats, feats, hinted);
            two.token_rows(feats, hints)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(up: f32, low: f32) -> Cert {
        Cert {
            up,
            low,
            mass: 100.0,
            local: 5.0,
            raw: None,
        }
    }

    /// Token 1's rows changing their sum by `sum` (two rows each side).
    fn change(sum: [f64; LABELS]) -> [TokenChange; 1] {
        [TokenChange {
            token: 1,
            sum,
            before: (2, 1.0),
            after: (2, 1.0),
        }]
    }

    /// A change that moves the rivals less than the margin keeps the labels and spends the
    /// margin; one that moves them more refuses; repeated small changes run the margin out.
    #[test]
    fn the_check_spends_the_margin_and_refuses_past_it() {
        let labels = [0u8, 3, 0];
        let mut moved = [0.0; LABELS];
        moved[5] = 0.5;
        let small = change(moved);
        let kept = check(&cert(2.0, 2.0), &labels, 3, &small).expect("kept");
        assert!(kept.up < 1.5 && kept.up > 1.49, "{}", kept.up);
        assert_eq!(kept.low, 2.0);
        assert!(kept.mass > 100.5);
        // Lowering the decoded label's score counts as much as raising a rival's.
        let mut lowered = [0.0; LABELS];
        lowered[3] = -0.5;
        let down = check(&kept, &labels, 3, &change(lowered)).expect("kept");
        assert!(down.up < 1.0 && down.up > 0.98);
        // Raising every label alike moves no path against another.
        assert!(check(&cert(0.01, 0.01), &labels, 3, &change([3.0; LABELS])).is_some());
        let mut big = [0.0; LABELS];
        big[0] = 2.5;
        assert!(check(&cert(2.0, 2.0), &labels, 3, &change(big)).is_none());
        let mut c = cert(2.0, 2.0);
        let mut steps = 0;
        while let Some(next) = check(&c, &labels, 3, &small) {
            c = next;
            steps += 1;
        }
        assert_eq!(steps, 3);
        // A margin the rounding could eat refuses even without a change.
        assert!(check(&cert(1e-6, 1.0), &labels, 3, &[]).is_none());
    }

    #[test]
    fn stored_bounds_round_toward_caution() {
        let x = 0.1f64;
        assert!(f64::from(down(x)) <= x && f64::from(up(x)) >= x);
        assert!(f64::from(down(-x)) <= -x && f64::from(up(-x)) >= -x);
        assert_eq!(down(0.5), 0.5);
        assert!(down(0.0) <= 0.0 && up(0.0) >= 0.0);
        assert_eq!(below(1.0), 1.0 - f32::EPSILON / 2.0);
    }
}
