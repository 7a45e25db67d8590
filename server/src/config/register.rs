//! The newsroom register: known people and organisations with their house spelling and aliases.
//!
//! Hovers show a register entry's description; `name-variant` treats the register's `name` as the
//! house spelling. Aliases identify the same person or organisation: an alias made of the
//! name's own words ("Lula" for "Luiz Inácio Lula da Silva") is an accepted short form, an alias
//! with other words ("Zelensky" for "Volodymyr Zelenskiy") is a known variant spelling.

use serde::Deserialize;

use crate::analysis::EntityKind;

/// One known person or organisation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterEntry {
    /// The house spelling of the full name.
    pub name: String,
    /// Other names the article may use for them.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// One line shown in hovers ("Harbour commissioner since 2021").
    #[serde(default)]
    pub description: Option<String>,
}

impl RegisterEntry {
    /// Whether `text` (a name as written) is this entry's name or one of its aliases.
    pub fn names(&self, text: &str) -> bool {
        let folded = fold_name(text);
        fold_name(&self.name) == folded || self.aliases.iter().any(|a| fold_name(a) == folded)
    }

    /// Whether an alias is a variant spelling (has a word the house name lacks).
    pub fn is_variant_alias(&self, alias: &str) -> bool {
        let words: Vec<String> = name_words(&self.name).map(fold_name).collect();
        name_words(alias).any(|w| !words.contains(&fold_name(w)))
    }
}

/// The register: people and organisations, later entries with the same name replacing earlier.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Register {
    pub people: Vec<RegisterEntry>,
    pub organizations: Vec<RegisterEntry>,
}

impl Register {
    pub fn add_person(&mut self, entry: RegisterEntry) {
        upsert(&mut self.people, entry);
    }

    pub fn add_organization(&mut self, entry: RegisterEntry) {
        upsert(&mut self.organizations, entry);
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty() && self.organizations.is_empty()
    }

    /// The entry of this kind naming any of `names` (an entity's name and its mentions' texts).
    pub fn lookup<'a, 'n>(
        &'a self,
        kind: EntityKind,
        names: impl IntoIterator<Item = &'n str> + Clone,
    ) -> Option<&'a RegisterEntry> {
        let entries = match kind {
            EntityKind::Person => &self.people,
            EntityKind::Organization => &self.organizations,
            EntityKind::Location | EntityKind::Misc => return None,
        };
        entries
            .iter()
            .find(|entry| names.clone().into_iter().any(|n| entry.names(n)))
    }
}

fn upsert(entries: &mut Vec<RegisterEntry>, entry: RegisterEntry) {
    match entries
        .iter_mut()
        .find(|e| fold_name(&e.name) == fold_name(&entry.name))
    {
        Some(existing) => *existing = entry,
        None => entries.push(entry),
    }
}

/// The words of a name, without possessive endings or punctuation around them.
pub fn name_words(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| c.is_whitespace())
        .map(|w| {
            strip_possessive(
                w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’'),
            )
        })
        .map(|w| w.trim_matches(|c: char| c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
}

/// A name without a trailing possessive ("Kishida’s" → "Kishida", "Jones'" → "Jones").
pub fn strip_possessive(name: &str) -> &str {
    for suffix in ["’s", "'s", "’S", "'S", "’", "'"] {
        if let Some(stem) = name.strip_suffix(suffix) {
            if stem.chars().last().is_some_and(char::is_alphanumeric) {
                return stem;
            }
        }
    }
    name
}

/// A name folded for comparison: lowercase, common Latin diacritics removed, whitespace collapsed.
pub fn fold_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        for lower in c.to_lowercase() {
            out.push(strip_diacritic(lower));
        }
    }
    out
}

fn strip_diacritic(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' | 'ĉ' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' | 'ģ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ķ' => 'k',
        'ł' | 'ľ' | 'ļ' => 'l',
        'ñ' | 'ń' | 'ň' | 'ņ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' | 'ș' => 's',
        'ť' | 'ţ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        '’' => '\'',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, aliases: &[&str]) -> RegisterEntry {
        RegisterEntry {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            description: None,
        }
    }

    #[test]
    fn folding_ignores_case_accents_and_spacing() {
        assert_eq!(
            fold_name("  Ana  Müller-Lüdenscheidt "),
            "ana muller-ludenscheidt"
        );
        assert_eq!(strip_possessive("Kishida’s"), "Kishida");
        assert_eq!(strip_possessive("Reyes'"), "Reyes");
        assert_eq!(strip_possessive("’"), "’");
        assert_eq!(
            name_words("Prime Minister Okafor’s,").collect::<Vec<_>>(),
            ["Prime", "Minister", "Okafor"]
        );
    }

    #[test]
    fn lookup_matches_name_or_alias_of_the_right_kind() {
        let mut register = Register::default();
        register.add_person(entry("Tomasz Wielgosz", &["Wielgosz"]));
        register.add_person(entry("Tomasz Wielgosz", &["Tom Wielgosz"]));
        assert_eq!(register.people.len(), 1, "same name replaces");
        assert!(register
            .lookup(EntityKind::Person, ["tom wielgosz"])
            .is_some());
        assert!(register.lookup(EntityKind::Person, ["Wielgosz"]).is_none());
        assert!(register
            .lookup(EntityKind::Organization, ["Tomasz Wielgosz"])
            .is_none());
        let e = entry("Volodymyr Zelenskiy", &["Zelensky", "Zelenskiy"]);
        assert!(e.is_variant_alias("Zelensky"));
        assert!(!e.is_variant_alias("Zelenskiy"));
    }
}
