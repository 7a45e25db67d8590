//! The speech-verb table: the words that introduce reported speech ("said", "told", "warned", …).
//!
//! Attribution patterns look words up here instead of naming verbs in code, so that adding a verb
//! is a one-line change. Every inflected form is listed explicitly: news copy uses the past
//! ("said"), present ("says"), participle ("saying") and, in headlines, the base form ("say").
//!
//! A newsroom adds its own verbs through the `speech-verbs` setting; [`SpeechVerbs`] is the
//! built-in table plus those, each expanded to the same inflected forms the table lists.

use std::collections::HashMap;
use std::sync::OnceLock;

/// How a speech word is inflected; the patterns treat participles differently (", saying …").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerbForm {
    /// "say", "said", "says", "told", "added": a finite verb with a subject before it, or after
    /// it in inverted order (`“…,” said Russel`).
    Finite,
    /// "saying", "adding": a participle whose subject is the clause's subject before the comma.
    Participle,
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpeechVerb {
    pub word: &'static str,
    pub form: VerbForm,
    /// Whether the verb can stand in inverted order after a quotation (`“…,” said Russel`).
    /// "called" or "described" cannot: `“…,” called Smith` is not English.
    pub inverts: bool,
}

const fn finite(word: &'static str) -> SpeechVerb {
    SpeechVerb {
        word,
        form: VerbForm::Finite,
        inverts: true,
    }
}

/// Finite verbs that report words but never stand in inverted order after a quotation.
const fn framing(word: &'static str) -> SpeechVerb {
    SpeechVerb {
        word,
        form: VerbForm::Finite,
        inverts: false,
    }
}

const fn participle(word: &'static str) -> SpeechVerb {
    SpeechVerb {
        word,
        form: VerbForm::Participle,
        inverts: false,
    }
}

/// Every speech word, lowercase.
#[rustfmt::skip]
pub const SPEECH_VERBS: &[SpeechVerb] = &[
    finite("say"), finite("says"), finite("said"), participle("saying"),
    finite("tell"), finite("tells"), finite("told"), participle("telling"),
    finite("add"), finite("adds"), finite("added"), participle("adding"),
    finite("note"), finite("notes"), finite("noted"), participle("noting"),
    finite("warn"), finite("warns"), finite("warned"), participle("warning"),
    finite("write"), finite("writes"), finite("wrote"), finite("written"), participle("writing"),
    finite("ask"), finite("asks"), finite("asked"), participle("asking"),
    finite("explain"), finite("explains"), finite("explained"), participle("explaining"),
    finite("argue"), finite("argues"), finite("argued"), participle("arguing"),
    finite("insist"), finite("insists"), finite("insisted"), participle("insisting"),
    finite("state"), finite("states"), finite("stated"), participle("stating"),
    finite("declare"), finite("declares"), finite("declared"), participle("declaring"),
    finite("continue"), finite("continues"), finite("continued"),
    finite("reply"), finite("replies"), finite("replied"), participle("replying"),
    finite("respond"), finite("responds"), finite("responded"), participle("responding"),
    finite("answer"), finite("answers"), finite("answered"),
    finite("acknowledge"), finite("acknowledges"), finite("acknowledged"), participle("acknowledging"),
    finite("admit"), finite("admits"), finite("admitted"), participle("admitting"),
    finite("claim"), finite("claims"), finite("claimed"), participle("claiming"),
    finite("contend"), finite("contends"), finite("contended"),
    finite("counter"), finite("counters"), finite("countered"),
    finite("recall"), finite("recalls"), finite("recalled"), participle("recalling"),
    finite("remark"), finite("remarks"), finite("remarked"),
    finite("observe"), finite("observes"), finite("observed"),
    finite("concede"), finite("concedes"), finite("conceded"), participle("conceding"),
    finite("complain"), finite("complains"), finite("complained"), participle("complaining"),
    finite("suggest"), finite("suggests"), finite("suggested"), participle("suggesting"),
    finite("tweet"), finite("tweets"), finite("tweeted"), participle("tweeting"),
    finite("post"), finite("posts"), finite("posted"),
    finite("announce"), finite("announces"), finite("announced"), participle("announcing"),
    finite("emphasize"), finite("emphasizes"), finite("emphasized"), participle("emphasizing"),
    finite("emphasise"), finite("emphasises"), finite("emphasised"), participle("emphasising"),
    finite("stress"), finite("stresses"), finite("stressed"), participle("stressing"),
    finite("conclude"), finite("concludes"), finite("concluded"), participle("concluding"),
    finite("predict"), finite("predicts"), finite("predicted"), participle("predicting"),
    finite("promise"), finite("promises"), finite("promised"), participle("promising"),
    finite("vow"), finite("vows"), finite("vowed"), participle("vowing"),
    finite("joke"), finite("jokes"), finite("joked"), participle("joking"),
    finite("quip"), finite("quips"), finite("quipped"),
    finite("bark"), finite("barks"), finite("barked"), finite("beamed"), finite("fumed"),
    finite("fumes"), finite("confess"), finite("confesses"), finite("confessed"),
    participle("confessing"), finite("demurred"), finite("retaliated"), finite("brag"),
    finite("brags"), finite("bragged"), participle("bragging"), finite("marveled"),
    finite("marvelled"),
    finite("caution"), finite("cautions"), finite("cautioned"), participle("cautioning"),
    finite("urge"), finite("urges"), finite("urged"), participle("urging"),
    finite("report"), finite("reports"), finite("reported"), participle("reporting"),
    finite("testify"), finite("testifies"), finite("testified"), participle("testifying"),
    finite("shout"), finite("shouts"), finite("shouted"), participle("shouting"),
    finite("yell"), finite("yells"), finite("yelled"), participle("yelling"),
    participle("screaming"), participle("chanting"), participle("exclaiming"),
    participle("whispering"), participle("pleading"),
    finite("recount"), finite("recounts"), finite("recounted"),
    finite("lament"), finite("laments"), finite("lamented"), participle("lamenting"),
    finite("muse"), finite("muses"), finite("mused"),
    finite("boast"), finite("boasts"), finite("boasted"), participle("boasting"),
    finite("charge"), finite("charges"), finite("charged"),
    finite("allege"), finite("alleges"), finite("alleged"), participle("alleging"),
    finite("wonder"), finite("wonders"), finite("wondered"),
    finite("reiterate"), finite("reiterates"), finite("reiterated"), participle("reiterating"),
    finite("confirm"), finite("confirms"), finite("confirmed"), participle("confirming"),
    finite("deny"), finite("denies"), finite("denied"), participle("denying"),
    finite("assert"), finite("asserts"), finite("asserted"), participle("asserting"),
    finite("maintain"), finite("maintains"), finite("maintained"),
    finite("demand"), finite("demands"), finite("demanded"), participle("demanding"),
    finite("tout"), finite("touts"), finite("touted"), participle("touting"),
    finite("predict"), finite("pledge"), finite("pledges"), finite("pledged"), participle("pledging"),
    finite("shot"), finite("fired"), finite("chimed"), finite("interjected"),
    finite("exclaimed"), finite("whispered"), finite("sighed"), finite("snapped"),
    finite("scoffed"), finite("retorted"), finite("opined"), finite("proclaimed"),
    finite("thundered"), finite("blasted"), finite("declares"), finite("echoed"),
    finite("agreed"), finite("agrees"), finite("disagreed"), finite("cautioned"),
    finite("stated"), finite("read"), finite("reads"), finite("began"), finite("begins"),
    finite("explains"), finite("offered"), finite("offers"), finite("wrote"), finite("cried"),
    finite("pleaded"), finite("begged"), finite("screamed"), finite("chanted"), finite("sang"),
    finite("speculated"), finite("mocked"), finite("teased"), finite("hinted"), finite("gushed"),
    finite("raved"), finite("griped"), finite("grumbled"), finite("ranted"), finite("conceded"),
    finite("estimated"), finite("estimates"), finite("predicted"), finite("figured"),
    finite("announced"), framing("ordered"), finite("challenged"), framing("accused"),
    framing("criticized"), framing("criticised"), framing("attacked"), framing("slammed"),
    framing("praised"), framing("thanked"), framing("reminded"), framing("assured"),
    framing("informed"), framing("advised"), framing("instructed"), finite("questioned"),
    finite("elaborated"), finite("clarified"), finite("specified"), finite("summarized"),
    finite("comment"), finite("comments"), finite("commented"), participle("commenting"),
    framing("scold"), framing("scolds"), framing("scolded"), framing("lauded"), finite("mentioned"),
    finite("mentions"), finite("indicated"), finite("indicates"), finite("signaled"),
    finite("signalled"), finite("recommended"), finite("proposed"), finite("noted"),
    finite("acknowledged"), finite("conceded"), finite("sang"), finite("sings"), finite("sing"),
    framing("chided"), framing("decried"), framing("denounced"), framing("denounces"),
    framing("dismissed"), framing("rejected"), finite("disputed"), finite("objected"),
    finite("protested"), finite("retorted"), finite("rebutted"), finite("ruled"),
    finite("concurred"), finite("emailed"), finite("texted"), finite("messaged"),
    finite("wrote"), finite("replied"), finite("repeated"), finite("repeats"),
    framing("call"), framing("calls"), framing("called"), participle("calling"),
    framing("describe"), framing("describes"), framing("described"), participle("describing"),
    framing("dub"), framing("dubs"), framing("dubbed"), participle("dubbing"),
    framing("label"), framing("labels"), framing("labeled"), framing("labelled"),
    framing("term"), framing("terms"), framing("termed"),
    framing("think"), framing("thinks"), framing("believe"), framing("believes"),
    framing("believed"), framing("feel"), framing("feels"), framing("felt"),
    framing("quoted"), framing("cited"), framing("cites"), framing("cite"),
    framing("quote"), framing("quotes"), framing("characterized"), framing("characterizes"),
    framing("pointed"), framing("points"), framing("point"), framing("put"), framing("puts"),
];

/// Nouns that stand for someone's words: "Hale's prediction that …", "his warning that …",
/// "a new campaign message: “…”". A possessive before one names the speaker.
#[rustfmt::skip]
pub const SPEECH_NOUNS: &[&str] = &[
    "statement", "statements", "tweet", "tweets", "remarks", "comments", "comment", "words",
    "letter", "missive", "memo", "email", "e-mail", "message", "post", "speech", "testimony",
    "op-ed", "essay", "column", "memoir", "prediction", "predictions", "warning", "warnings",
    "claim", "claims", "promise", "promises", "pledge", "vow", "assertion", "argument",
    "response", "reply", "answer", "slogan", "catchphrase", "motto", "announcement",
    "accusation", "boast", "quip", "joke", "retort", "plea", "verdict", "advice", "question",
];

pub fn is_speech_noun(word_lowercase: &str) -> bool {
    SPEECH_NOUNS.contains(&word_lowercase)
}

/// How a speech word is used: what the attribution patterns need to know about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerbUse {
    pub form: VerbForm,
    pub inverts: bool,
}

impl SpeechVerb {
    pub const fn usage(&self) -> VerbUse {
        VerbUse {
            form: self.form,
            inverts: self.inverts,
        }
    }
}

/// The built-in table plus a newsroom's extra verbs (the `speech-verbs` setting). Part of the
/// per-paragraph analysis's inputs: two analyses with different extras differ.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SpeechVerbs {
    /// The extra verbs as configured (lowercase, trimmed), in order: what equality compares.
    configured: Vec<String>,
    /// Every form of the extras that the built-in table lacks.
    extra: HashMap<String, VerbUse>,
}

impl SpeechVerbs {
    /// The built-in table with `extra` verbs added. Each may be given in any form ("deadpan",
    /// "deadpanned", "deadpans"); its other forms are derived from it (see [`inflections`]).
    /// Blank entries and words with spaces are ignored: a cue is one word.
    pub fn with_extra<S: AsRef<str>>(extra: &[S]) -> SpeechVerbs {
        let mut verbs = SpeechVerbs::default();
        for word in extra {
            let word = word.as_ref().trim().to_lowercase();
            if word.is_empty()
                || word.contains(char::is_whitespace)
                || verbs.configured.contains(&word)
            {
                continue;
            }
            for (form, verb_form) in inflections(&word) {
                if lookup(&form).is_none() {
                    let usage = VerbUse {
                        form: verb_form,
                        inverts: verb_form == VerbForm::Finite,
                    };
                    verbs.extra.entry(form).or_insert(usage);
                }
            }
            verbs.configured.push(word);
        }
        verbs
    }

    /// Looks a lowercase word up: the built-in table first, then the extras.
    pub fn lookup(&self, word_lowercase: &str) -> Option<VerbUse> {
        lookup(word_lowercase)
            .map(SpeechVerb::usage)
            .or_else(|| self.extra.get(word_lowercase).copied())
    }

    /// Whether any extra verbs are configured.
    pub fn has_extra(&self) -> bool {
        !self.configured.is_empty()
    }
}

/// The forms of a verb given in one of its forms, as the built-in table lists them: base
/// ("quip"), third person ("quips"), past ("quipped") and participle ("quipping").
///
/// A base form is inflected by the usual spelling rules (e-drop, y to i, and the doubled final
/// consonant of "quip"/"quipped", where both spellings are listed since stress decides). A past
/// form in -ed gives its base back only when that is unambiguous ("quipped" → "quip", "replied"
/// → "reply"); otherwise ("posted": "post" or "poste"?) only the forms that cannot be ordinary
/// words are added, so a bare "not" never comes from "noted". Irregular verbs ("spoke") are
/// taken as given; list their other forms too.
pub fn inflections(word: &str) -> Vec<(String, VerbForm)> {
    let mut forms = vec![(
        word.to_owned(),
        if word.ends_with("ing") {
            VerbForm::Participle
        } else {
            VerbForm::Finite
        },
    )];
    fn add(form: String, verb_form: VerbForm, forms: &mut Vec<(String, VerbForm)>) {
        if !forms.iter().any(|(f, _)| *f == form) {
            forms.push((form, verb_form));
        }
    }
    if let Some(stem) = word.strip_suffix("ed").filter(|s| s.len() >= 2) {
        let bytes = stem.as_bytes();
        let n = bytes.len();
        let doubled = n >= 2
            && bytes[n - 1] == bytes[n - 2]
            && is_consonant(bytes[n - 1])
            && !matches!(bytes[n - 1], b's' | b'l' | b'z' | b'f');
        if doubled {
            // "quipped": base "quip".
            let base = &stem[..n - 1];
            add(base.to_owned(), VerbForm::Finite, &mut forms);
            add(format!("{base}s"), VerbForm::Finite, &mut forms);
            add(format!("{stem}ing"), VerbForm::Participle, &mut forms);
        } else if let Some(y_stem) = stem
            .strip_suffix('i')
            .filter(|s| s.bytes().last().is_some_and(is_consonant))
        {
            // "replied": base "reply".
            add(format!("{y_stem}y"), VerbForm::Finite, &mut forms);
            add(format!("{y_stem}ies"), VerbForm::Finite, &mut forms);
            add(format!("{y_stem}ying"), VerbForm::Participle, &mut forms);
        } else {
            // "posted" (post) or "joked" (joke): the -s and -ing forms of both readings.
            add(format!("{stem}s"), VerbForm::Finite, &mut forms);
            add(format!("{stem}es"), VerbForm::Finite, &mut forms);
            add(format!("{stem}ing"), VerbForm::Participle, &mut forms);
        }
        return forms;
    }
    if word.ends_with("ing")
        || word.ends_with("ies")
        || (word.ends_with('s') && !word.ends_with("ss"))
    {
        // Another inflected form: taken as given.
        return forms;
    }
    // A base form.
    let bytes = word.as_bytes();
    let n = bytes.len();
    let last = bytes.last().copied().unwrap_or(b' ');
    let third = if word.ends_with("sh")
        || word.ends_with("ch")
        || matches!(last, b's' | b'x' | b'z' | b'o')
    {
        format!("{word}es")
    } else if last == b'y' && n >= 2 && is_consonant(bytes[n - 2]) {
        format!("{}ies", &word[..n - 1])
    } else {
        format!("{word}s")
    };
    add(third, VerbForm::Finite, &mut forms);
    if last == b'e' {
        let stem = &word[..n - 1];
        add(format!("{word}d"), VerbForm::Finite, &mut forms);
        add(format!("{stem}ing"), VerbForm::Participle, &mut forms);
    } else if last == b'y' && n >= 2 && is_consonant(bytes[n - 2]) {
        add(
            format!("{}ied", &word[..n - 1]),
            VerbForm::Finite,
            &mut forms,
        );
        add(format!("{word}ing"), VerbForm::Participle, &mut forms);
    } else {
        add(format!("{word}ed"), VerbForm::Finite, &mut forms);
        add(format!("{word}ing"), VerbForm::Participle, &mut forms);
        // consonant-vowel-consonant: "quip" → "quipped", "quipping" (stress decides; list both).
        let cvc = n >= 3
            && is_consonant(last)
            && !matches!(last, b'w' | b'x' | b'y')
            && !is_consonant(bytes[n - 2])
            && is_consonant(bytes[n - 3]);
        if cvc {
            let c = char::from(last);
            add(format!("{word}{c}ed"), VerbForm::Finite, &mut forms);
            add(format!("{word}{c}ing"), VerbForm::Participle, &mut forms);
        }
    }
    forms
}

fn is_consonant(b: u8) -> bool {
    b.is_ascii_alphabetic() && !matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Looks a lowercase word up in the table (the first row for a word wins).
pub fn lookup(word_lowercase: &str) -> Option<&'static SpeechVerb> {
    static INDEX: OnceLock<HashMap<&'static str, &'static SpeechVerb>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut map = HashMap::new();
        for verb in SPEECH_VERBS {
            map.entry(verb.word).or_insert(verb);
        }
        map
    });
    index.get(word_lowercase).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inflected_forms() {
        assert_eq!(lookup("said").map(|v| v.form), Some(VerbForm::Finite));
        assert_eq!(lookup("adding").map(|v| v.form), Some(VerbForm::Participle));
        assert!(lookup("said").is_some_and(|v| v.inverts));
        assert!(lookup("called").is_some_and(|v| !v.inverts));
        assert!(lookup("table").is_none());
    }

    #[test]
    fn extra_verbs_get_the_forms_the_table_lists() {
        let forms = |w: &str| {
            inflections(w)
                .into_iter()
                .map(|(f, _)| f)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            forms("deadpan"),
            [
                "deadpan",
                "deadpans",
                "deadpaned",
                "deadpaning",
                "deadpanned",
                "deadpanning"
            ]
        );
        assert_eq!(
            forms("deadpanned"),
            ["deadpanned", "deadpan", "deadpans", "deadpanning"]
        );
        assert_eq!(
            forms("harrumph"),
            ["harrumph", "harrumphs", "harrumphed", "harrumphing"]
        );
        assert_eq!(forms("opine"), ["opine", "opines", "opined", "opining"]);
        assert_eq!(forms("decry"), ["decry", "decries", "decried", "decrying"]);
        assert_eq!(
            forms("decried"),
            ["decried", "decry", "decries", "decrying"]
        );
        assert_eq!(
            forms("kvetch"),
            ["kvetch", "kvetches", "kvetched", "kvetching"]
        );
        // Ambiguous past forms never yield a bare base ("not" from "noted").
        assert_eq!(
            forms("gloated"),
            ["gloated", "gloats", "gloates", "gloating"]
        );
        assert_eq!(forms("sneering"), ["sneering"]);
    }

    #[test]
    fn extra_verbs_extend_the_table() {
        let verbs = SpeechVerbs::with_extra(&["  Deadpanned ", "", "two words", "said"]);
        assert!(verbs.has_extra());
        let finite = Some(VerbUse {
            form: VerbForm::Finite,
            inverts: true,
        });
        assert_eq!(verbs.lookup("deadpanned"), finite);
        assert_eq!(verbs.lookup("deadpans"), finite);
        assert_eq!(
            verbs.lookup("deadpanning"),
            Some(VerbUse {
                form: VerbForm::Participle,
                inverts: false
            })
        );
        assert_eq!(verbs.lookup("two"), None);
        // Built-in rows keep their own use ("called" never inverts).
        assert_eq!(
            verbs.lookup("called"),
            lookup("called").map(SpeechVerb::usage)
        );
        assert_eq!(SpeechVerbs::default().lookup("deadpanned"), None);
        assert_ne!(verbs, SpeechVerbs::default());
    }

    #[test]
    fn table_words_are_lowercase() {
        for v in SPEECH_VERBS {
            assert_eq!(v.word, v.word.to_lowercase(), "{}", v.word);
        }
    }
}
