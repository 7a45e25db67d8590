//! Word lists about names: titles that precede a person's name, role nouns, and name normalisation.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use super::tagger::features::fnv;
use super::tagger::gazetteer::PassThrough;

/// Titles written before a person's name ("President", "Prime Minister", "Gov."), as token
/// sequences. Matching is case-sensitive on the first letter: titles before names are capitalised.
#[rustfmt::skip]
pub const TITLES: &[&[&str]] = &[
    &["President"],
    &["Vice", "President"],
    &["President-elect"],
    &["Prime", "Minister"],
    &["Deputy", "Prime", "Minister"],
    &["Deputy", "Minister"],
    &["Minister"],
    &["Foreign", "Minister"],
    &["Defence", "Minister"],
    &["Defense", "Minister"],
    &["Finance", "Minister"],
    &["Secretary"],
    &["Secretary", "of", "State"],
    &["Secretary-General"],
    &["Secretary", "General"],
    &["Chancellor"],
    &["Premier"],
    &["King"],
    &["Queen"],
    &["Prince"],
    &["Princess"],
    &["Crown", "Prince"],
    &["Emperor"],
    &["Empress"],
    &["Pope"],
    &["Sheikh"],
    &["Senator"],
    &["Sen."],
    &["Representative"],
    &["Rep."],
    &["Congressman"],
    &["Congresswoman"],
    &["Governor"],
    &["Gov."],
    &["Lieutenant", "Governor"],
    &["Lt.", "Gov."],
    &["Mayor"],
    &["Judge"],
    &["Justice"],
    &["Chief", "Justice"],
    &["Attorney", "General"],
    &["Ambassador"],
    &["Speaker"],
    &["General"],
    &["Gen."],
    &["Admiral"],
    &["Adm."],
    &["Colonel"],
    &["Col."],
    &["Major"],
    &["Maj."],
    &["Captain"],
    &["Capt."],
    &["Lieutenant"],
    &["Lt."],
    &["Sergeant"],
    &["Sgt."],
    &["Commander"],
    &["Cmdr."],
    &["Mr."],
    &["Mrs."],
    &["Ms."],
    &["Mr"],
    &["Mrs"],
    &["Ms"],
    &["Dr."],
    &["Dr"],
    &["Professor"],
    &["Prof."],
    &["Sir"],
    &["Dame"],
    &["Lord"],
    &["Lady"],
    &["Archbishop"],
    &["Bishop"],
    &["Cardinal"],
    &["Rabbi"],
    &["Imam"],
    &["Reverend"],
    &["Rev."],
    &["Chairman"],
    &["Chairwoman"],
    &["Commissioner"],
    &["Director"],
    &["Coach"],
    &["Detective"],
    &["Inspector"],
    &["Chief"],
    &["Leader"],
    &["Spokesman"],
    &["Spokeswoman"],
    &["Spokesperson"],
];

/// Nouns naming a role or occupation: they end a title phrase before a name ("foreign ministry
/// spokesman Zhao") and open appositives ("governor of the …").
#[rustfmt::skip]
pub const ROLE_NOUNS: &[&str] = &[
    "president",
    "minister",
    "secretary",
    "chancellor",
    "premier",
    "senator",
    "governor",
    "mayor",
    "judge",
    "justice",
    "ambassador",
    "envoy",
    "diplomat",
    "speaker",
    "general",
    "admiral",
    "colonel",
    "captain",
    "commander",
    "chairman",
    "chairwoman",
    "chair",
    "commissioner",
    "director",
    "coach",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "leader",
    "chief",
    "head",
    "analyst",
    "professor",
    "economist",
    "strategist",
    "adviser",
    "advisor",
    "official",
    "officer",
    "lawmaker",
    "legislator",
    "representative",
    "congressman",
    "congresswoman",
    "executive",
    "ceo",
    "founder",
    "owner",
    "manager",
    "editor",
    "reporter",
    "correspondent",
    "researcher",
    "scientist",
    "lawyer",
    "attorney",
    "prosecutor",
    "candidate",
    "nominee",
    "member",
    "fellow",
    "lecturer",
    "author",
    "historian",
    "king",
    "queen",
    "prince",
    "princess",
    "emperor",
    "pope",
    "bishop",
    "archbishop",
    "cardinal",
    "rabbi",
    "imam",
    "priest",
    "pastor",
    "activist",
    "campaigner",
    "aide",
    "deputy",
    "partner",
    "founder",
    "president-elect",
    "vice-president",
    "negotiator",
    "superintendent",
    "inspector",
    "detective",
    "sheriff",
    "treasurer",
    "counsel",
    "dean",
    "rector",
    "principal",
    "teacher",
    "student",
    "doctor",
    "physician",
    "surgeon",
    "nurse",
    "economist",
    "investor",
    "trader",
    "banker",
    "farmer",
    "resident",
    "spokesman",
    "commentator",
    "columnist",
    "consultant",
    "star",
    "actor",
    "actress",
    "singer",
    "writer",
    "novelist",
    "poet",
    "artist",
    "producer",
    "presenter",
    "musician",
    "composer",
    "filmmaker",
    "photographer",
];

/// Lowercase words that may stand inside a title phrase before a name ("Chinese foreign ministry
/// spokesman", "former deputy prime minister").
#[rustfmt::skip]
pub const TITLE_MODIFIERS: &[&str] = &[
    "foreign",
    "ministry",
    "defence",
    "defense",
    "finance",
    "prime",
    "vice",
    "deputy",
    "chief",
    "executive",
    "senior",
    "former",
    "national",
    "security",
    "state",
    "trade",
    "economy",
    "economic",
    "interior",
    "home",
    "justice",
    "health",
    "party",
    "opposition",
    "government",
    "acting",
    "interim",
    "assistant",
    "associate",
    "general",
    "managing",
    "press",
    "top",
    "lead",
    "team",
    "club",
    "army",
    "military",
    "police",
    "central",
    "bank",
    "energy",
    "agriculture",
    "industry",
    "labour",
    "labor",
    "education",
    "environment",
    "transport",
    "culture",
    "sports",
    "then",
    "incoming",
    "outgoing",
    "veteran",
    "political",
    "union",
    "policy",
    "foreign-policy",
    "communications",
    "legal",
];

/// Whether `token` is capitalised (its first letter upper case), as names and titles are.
pub fn is_capitalised(token: &str) -> bool {
    token.chars().next().is_some_and(char::is_uppercase)
}

/// Whether `token` is a possessive or clitic the tokenizer split off ("’s", "'s", "’").
pub fn is_possessive(token: &str) -> bool {
    matches!(token, "'s" | "’s" | "'S" | "’S" | "'" | "’")
}

/// The key that identifies a name's spelling across case and apostrophe variants.
pub fn name_key(name: &str) -> String {
    name.chars()
        .map(|c| if c == '’' { '\'' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Portfolios an office is named by after "of" or "for": "Minister of Finance", "Secretary of
/// Homeland Security", "Minister for Foreign Affairs".
#[rustfmt::skip]
const PORTFOLIOS: &[&[&str]] = &[
    &["State"], &["Finance"], &["Defence"], &["Defense"], &["National", "Defense"],
    &["National", "Defence"], &["Foreign", "Affairs"], &["Home", "Affairs"], &["Internal", "Affairs"],
    &["Economic", "Affairs"], &["Social", "Affairs"], &["Veterans", "Affairs"], &["Interior"],
    &["Justice"], &["Health"], &["Public", "Health"], &["Education"], &["Labor"], &["Labour"],
    &["Agriculture"], &["Energy"], &["Commerce"], &["Trade"], &["Foreign", "Trade"], &["Transport"],
    &["Transportation"], &["Treasury"], &["Homeland", "Security"], &["Public", "Security"],
    &["Economy"], &["Environment"], &["Culture"], &["Housing"], &["Industry"], &["Tourism"],
    &["Fisheries"], &["Immigration"], &["Communications"], &["Science"], &["War"], &["Europe"],
    &["Development"], &["International", "Development"], &["Health", "and", "Human", "Services"],
    &["Housing", "and", "Urban", "Development"],
];

/// Titles that name an office by its portfolio ("Minister" of Finance).
const OFFICE_HEADS: &[&str] = &[
    "Minister",
    "Secretary",
    "Director",
    "Commissioner",
    "Undersecretary",
];

/// Word sequences grouped by their last word, so that finding those that end at a token compares
/// a few candidates instead of every entry (the attribution and linking passes ask at most
/// tokens of an article).
struct ByLastWord(HashMap<u64, Vec<&'static [&'static str]>, BuildHasherDefault<PassThrough>>);

impl ByLastWord {
    fn new(entries: &'static [&'static [&'static str]]) -> ByLastWord {
        let mut map: HashMap<u64, Vec<&'static [&'static str]>, _> = HashMap::default();
        for &entry in entries {
            if let Some(last) = entry.last() {
                map.entry(fnv(last)).or_default().push(entry);
            }
        }
        ByLastWord(map)
    }

    /// The entries equal to `tokens[end - len..end]`, as their lengths.
    fn ending_at<'a>(&'a self, tokens: &'a [&str], end: usize) -> impl Iterator<Item = usize> + 'a {
        let candidates = match end.checked_sub(1).and_then(|i| tokens.get(i)) {
            Some(last) => self.0.get(&fnv(last)).map_or(&[][..], Vec::as_slice),
            None => &[],
        };
        candidates
            .iter()
            .filter(move |t| {
                t.len() <= end && tokens.get(end - t.len()..end).is_some_and(|w| w == **t)
            })
            .map(|t| t.len())
    }
}

fn titles() -> &'static ByLastWord {
    static INDEX: OnceLock<ByLastWord> = OnceLock::new();
    INDEX.get_or_init(|| ByLastWord::new(TITLES))
}

fn portfolios() -> &'static ByLastWord {
    static INDEX: OnceLock<ByLastWord> = OnceLock::new();
    INDEX.get_or_init(|| ByLastWord::new(PORTFOLIOS))
}

/// The title (as a token count) that ends exactly at `tokens[..end]`, longest first.
pub fn title_ending_at(tokens: &[&str], end: usize) -> Option<usize> {
    let listed = titles().ending_at(tokens, end).max();
    listed.max(office_title_ending_at(tokens, end))
}

/// "Minister of Finance", "Deputy Minister for Foreign Affairs", "Secretary of the Treasury": an
/// office title ending at `tokens[..end]`, as a token count.
fn office_title_ending_at(tokens: &[&str], end: usize) -> Option<usize> {
    portfolios()
        .ending_at(tokens, end)
        .filter_map(|len| {
            let mut k = end - len;
            if k > 0 && tokens[k - 1] == "the" {
                k -= 1;
            }
            if k < 2
                || !matches!(tokens[k - 1], "of" | "for")
                || !OFFICE_HEADS.contains(&tokens[k - 2])
            {
                return None;
            }
            let head_end = k - 1;
            let head = titles().ending_at(tokens, head_end).max().unwrap_or(1);
            Some(end - (head_end - head))
        })
        .max()
}

/// How many of `tokens`' leading words are titles ("Prime Minister", "Minister of Finance"),
/// leaving at least the last word as the name.
pub fn leading_title_len(tokens: &[&str]) -> usize {
    let mut first = 0;
    while let Some(len) = (first + 1..tokens.len())
        .rev()
        .find(|&e| title_ending_at(&tokens[first..e], e - first) == Some(e - first))
        .map(|e| e - first)
    {
        first += len;
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_titles_run_through_of_and_for() {
        let words = [
            "Deputy", "Minister", "for", "Foreign", "Affairs", "Ola", "Dahl",
        ];
        assert_eq!(title_ending_at(&words, 5), Some(5));
        assert_eq!(leading_title_len(&words), 5);
        let words = ["Secretary", "of", "the", "Treasury", "Ana", "Berg"];
        assert_eq!(leading_title_len(&words), 4);
        // A place after "of" is no portfolio: only the title word itself is known.
        let words = ["Governor", "of", "Texas", "Ann", "Hale"];
        assert_eq!(leading_title_len(&words), 1);
        assert_eq!(leading_title_len(&["Minister", "Dahl"]), 1);
    }
}
