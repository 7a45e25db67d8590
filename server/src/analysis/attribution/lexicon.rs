//! Word lists the attribution patterns consult: pronouns, titles, determiners, source nouns and
//! given names with the grammatical gender they reveal. Data, not logic.

/// What a name, title or pronoun reveals about who is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    Male,
    Female,
    /// A person whose gender the text does not reveal.
    Unknown,
    /// Organisations, institutions and documents ("it", "they").
    Neuter,
    /// Groups of people ("officials", "they").
    Plural,
}

/// A personal pronoun that can be the subject of a speech verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pronoun {
    He,
    She,
    They,
    It,
    /// "I" and "we": the writer (op-eds, first-person pieces).
    FirstPerson,
}

impl Pronoun {
    /// The pronoun a word is, contractions included ("He’s", "they’ve").
    pub fn from_word(word: &str) -> Option<Pronoun> {
        let word = word.split(['’', '\'']).next().unwrap_or(word);
        Some(match word {
            "he" | "He" => Pronoun::He,
            "she" | "She" => Pronoun::She,
            "they" | "They" => Pronoun::They,
            "it" | "It" => Pronoun::It,
            "I" | "we" | "We" => Pronoun::FirstPerson,
            _ => return None,
        })
    }

    /// Whether someone of `gender` can be meant by this pronoun.
    pub fn agrees_with(self, gender: Gender) -> bool {
        match self {
            Pronoun::He => matches!(gender, Gender::Male | Gender::Unknown),
            Pronoun::She => matches!(gender, Gender::Female | Gender::Unknown),
            Pronoun::They => matches!(gender, Gender::Plural | Gender::Neuter | Gender::Unknown),
            Pronoun::It => matches!(gender, Gender::Neuter),
            Pronoun::FirstPerson => false,
        }
    }
}

/// Titles before a name ("Sen. Cooper", "President Biden"), with the gender they reveal.
#[rustfmt::skip]
pub const TITLES: &[(&str, Gender)] = &[
    ("Mr.", Gender::Male), ("Mr", Gender::Male), ("Sir", Gender::Male), ("Lord", Gender::Male),
    ("King", Gender::Male), ("Prince", Gender::Male), ("Father", Gender::Male),
    ("Brother", Gender::Male), ("Pope", Gender::Male),
    ("Mrs.", Gender::Female), ("Mrs", Gender::Female), ("Ms.", Gender::Female),
    ("Ms", Gender::Female), ("Miss", Gender::Female), ("Madam", Gender::Female),
    ("Lady", Gender::Female), ("Queen", Gender::Female), ("Princess", Gender::Female),
    ("Sister", Gender::Female), ("Dame", Gender::Female),
    ("Dr.", Gender::Unknown), ("Prof.", Gender::Unknown), ("Professor", Gender::Unknown),
    ("Sen.", Gender::Unknown), ("Senator", Gender::Unknown), ("Rep.", Gender::Unknown),
    ("Representative", Gender::Unknown), ("Gov.", Gender::Unknown), ("Governor", Gender::Unknown),
    ("Lt.", Gender::Unknown), ("Gen.", Gender::Unknown), ("Col.", Gender::Unknown),
    ("Capt.", Gender::Unknown), ("Sgt.", Gender::Unknown), ("Adm.", Gender::Unknown),
    ("Maj.", Gender::Unknown), ("Cmdr.", Gender::Unknown), ("Det.", Gender::Unknown),
    ("Insp.", Gender::Unknown), ("Supt.", Gender::Unknown), ("Judge", Gender::Unknown),
    ("Justice", Gender::Unknown), ("President", Gender::Unknown), ("Vice", Gender::Unknown),
    ("Secretary", Gender::Unknown), ("Minister", Gender::Unknown), ("Chancellor", Gender::Unknown),
    ("Mayor", Gender::Unknown), ("Ambassador", Gender::Unknown), ("Chairman", Gender::Unknown),
    ("Chairwoman", Gender::Female), ("Congressman", Gender::Male),
    ("Congresswoman", Gender::Female), ("Commissioner", Gender::Unknown),
    ("Attorney", Gender::Unknown), ("General", Gender::Unknown), ("Chief", Gender::Unknown),
    ("Premier", Gender::Unknown), ("Prime", Gender::Unknown), ("Rev.", Gender::Unknown),
    ("Sheriff", Gender::Unknown), ("Coach", Gender::Unknown), ("Speaker", Gender::Unknown),
    ("Leader", Gender::Unknown), ("Councillor", Gender::Unknown), ("Councilor", Gender::Unknown),
    ("Councilmember", Gender::Unknown), ("Councilman", Gender::Male), ("Councilwoman", Gender::Female),
    ("Assemblyman", Gender::Male), ("Assemblywoman", Gender::Female), ("Del.", Gender::Unknown),
    ("Inspector", Gender::Unknown), ("Superintendent", Gender::Unknown), ("Officer", Gender::Unknown),
];

pub fn title(word: &str) -> Option<Gender> {
    TITLES.iter().find(|(t, _)| *t == word).map(|(_, g)| *g)
}

/// Words that open a descriptor noun phrase ("a senior official", "the company").
#[rustfmt::skip]
pub const DETERMINERS: &[&str] = &[
    "a", "an", "the", "another", "one", "two", "three", "four", "several", "many", "some",
    "its", "his", "her", "their", "our", "this", "that", "these", "those", "both", "other",
    "most", "few", "each", "every", "no", "any", "A", "An", "The", "Another", "One", "Two",
    "Three", "Several", "Many", "Some", "Its", "His", "Her", "Their", "Our", "This", "That",
    "These", "Those", "Both", "Other", "Most", "Few", "Each", "Every", "No", "Any", "my", "My",
    "your", "Your",
];

pub fn is_determiner(word: &str) -> bool {
    DETERMINERS.contains(&word)
}

/// Heads of bare (determiner-less) source phrases: "officials said", "police said".
#[rustfmt::skip]
pub const SOURCE_NOUNS: &[(&str, Gender)] = &[
    ("officials", Gender::Plural), ("sources", Gender::Plural), ("analysts", Gender::Plural),
    ("experts", Gender::Plural), ("aides", Gender::Plural), ("police", Gender::Plural),
    ("authorities", Gender::Plural), ("prosecutors", Gender::Plural), ("critics", Gender::Plural),
    ("supporters", Gender::Plural), ("lawmakers", Gender::Plural), ("Republicans", Gender::Plural),
    ("Democrats", Gender::Plural), ("residents", Gender::Plural), ("witnesses", Gender::Plural),
    ("investigators", Gender::Plural), ("economists", Gender::Plural), ("researchers", Gender::Plural),
    ("scientists", Gender::Plural), ("diplomats", Gender::Plural), ("organizers", Gender::Plural),
    ("organisers", Gender::Plural), ("protesters", Gender::Plural), ("voters", Gender::Plural),
    ("people", Gender::Plural), ("doctors", Gender::Plural), ("observers", Gender::Plural),
    ("advocates", Gender::Plural), ("activists", Gender::Plural), ("leaders", Gender::Plural),
    ("executives", Gender::Plural), ("traders", Gender::Plural), ("staffers", Gender::Plural),
    ("strategists", Gender::Plural), ("pollsters", Gender::Plural), ("insiders", Gender::Plural),
    ("spokesman", Gender::Male), ("spokeswoman", Gender::Female), ("spokesperson", Gender::Unknown),
    ("official", Gender::Unknown), ("source", Gender::Unknown), ("analyst", Gender::Unknown),
    ("aide", Gender::Unknown), ("expert", Gender::Unknown), ("statement", Gender::Neuter),
    ("report", Gender::Neuter), ("campaign", Gender::Neuter), ("company", Gender::Neuter),
    ("ministry", Gender::Neuter), ("department", Gender::Neuter), ("agency", Gender::Neuter),
    ("government", Gender::Neuter), ("committee", Gender::Neuter), ("court", Gender::Neuter),
];

/// Heads of descriptor phrases that name a person or group of a known gender or number.
pub fn descriptor_gender(head: &str) -> Gender {
    let lower = head.to_lowercase();
    if let Some((_, g)) = SOURCE_NOUNS
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(head))
    {
        return *g;
    }
    #[rustfmt::skip]
    const MALE: &[&str] = &[
        "man", "husband", "father", "son", "brother", "boy", "businessman", "congressman",
        "chairman", "grandfather", "uncle", "nephew", "actor", "king", "gentleman", "dad",
    ];
    #[rustfmt::skip]
    const FEMALE: &[&str] = &[
        "woman", "wife", "mother", "daughter", "sister", "girl", "businesswoman",
        "congresswoman", "chairwoman", "grandmother", "aunt", "niece", "actress", "queen",
        "lady", "mom", "widow",
    ];
    #[rustfmt::skip]
    const NEUTER: &[&str] = &[
        "company", "firm", "group", "bank", "ministry", "department", "agency", "office",
        "government", "administration", "campaign", "committee", "court", "council", "union",
        "party", "organization", "organisation", "newspaper", "paper", "network", "magazine",
        "statement", "report", "study", "survey", "poll", "letter", "memo", "ruling", "complaint",
        "lawsuit", "filing", "website", "site", "release", "document", "board", "commission",
        "institute", "foundation", "university", "center", "centre", "house", "service", "team",
        "embassy", "police", "army", "military", "fund", "corporation", "association", "network",
        "station", "outlet", "paper", "times", "post", "journal", "bureau",
    ];
    if MALE.contains(&lower.as_str()) {
        Gender::Male
    } else if FEMALE.contains(&lower.as_str()) {
        Gender::Female
    } else if NEUTER.contains(&lower.as_str()) {
        Gender::Neuter
    } else if lower.ends_with('s') && !lower.ends_with("ss") && lower.len() > 3 {
        Gender::Plural
    } else {
        Gender::Unknown
    }
}

/// Words between a subject and its speech verb that do not end the subject: "Cooper also said",
/// "officials have repeatedly warned".
pub fn is_verb_modifier(word: &str) -> bool {
    #[rustfmt::skip]
    const WORDS: &[&str] = &[
        "also", "later", "then", "now", "has", "had", "have", "previously", "once", "recently",
        "reportedly", "further", "again", "often", "would", "will", "could", "may", "might",
        "did", "does", "do", "just", "earlier", "since", "first", "initially", "simply", "flatly",
        "bluntly", "quickly", "has", "repeatedly", "publicly", "privately", "frequently", "never",
        "always", "still", "even", "only", "already", "subsequently", "separately", "long",
        "was", "were", "is", "are", "had", "been", "being", "not", "should", "must", "can",
        "cannot", "famously", "memorably", "once", "ultimately", "finally", "recently", "himself",
        "herself", "themselves", "itself", "personally", "directly", "explicitly", "openly",
        "angrily", "sharply", "curtly", "calmly", "proudly", "confidently", "emphatically",
        "succinctly", "tersely", "candidly", "quietly", "loudly", "firmly", "softly", "be",
    ];
    WORDS.contains(&word)
        || (word.len() > 4 && word.ends_with("ly") && word.starts_with(char::is_lowercase))
}

/// Passive verbs of perception before a speech participle: "can be heard asking", "was filmed
/// saying".
pub fn is_perception_participle(word: &str) -> bool {
    matches!(
        word,
        "heard" | "overheard" | "seen" | "filmed" | "recorded" | "caught" | "shown" | "captured"
    )
}

/// Verbs a source does before its words ("the operator issued a statement", "the email went on
/// to say"): a subject read forwards ends before them.
pub fn is_action_verb(word: &str) -> bool {
    matches!(
        word,
        "issued"
            | "issues"
            | "released"
            | "releases"
            | "published"
            | "publishes"
            | "posted"
            | "sent"
            | "sends"
            | "gave"
            | "gives"
            | "made"
            | "makes"
            | "went"
            | "goes"
            | "put"
            | "puts"
    )
}

/// Words that end a noun phrase going backwards: a subject never reaches across them.
pub fn is_clause_word(word: &str) -> bool {
    #[rustfmt::skip]
    const WORDS: &[&str] = &[
        "that", "which", "who", "whom", "whose", "when", "where", "while", "because", "as",
        "if", "but", "and", "or", "so", "than", "what", "after", "before", "though", "although",
        "since", "until", "unless", "whether", "said", "says", "told", "is", "was", "were", "are",
        "be", "to", "of", "for", "with", "by", "from", "in", "on", "at", "into", "about", "how",
        "why", "not", "has", "have", "had", "will", "would", "could", "should", "can", "may",
    ];
    WORDS.contains(&word)
}

/// Words that may stand inside a personal name in lowercase ("Ludwig van Beethoven").
pub fn is_name_particle(word: &str) -> bool {
    matches!(
        word,
        "van"
            | "von"
            | "de"
            | "der"
            | "den"
            | "du"
            | "da"
            | "di"
            | "del"
            | "della"
            | "la"
            | "le"
            | "bin"
            | "al"
            | "ibn"
            | "ben"
            | "dos"
            | "das"
            | "St."
    )
}

/// Common given names and the gender they usually reveal, so that "he" can find "Cooper" when
/// the article introduced him as "Roy Cooper". A small list: ambiguous names are left out.
pub fn given_name_gender(name: &str) -> Gender {
    #[rustfmt::skip]
    const MALE: &[&str] = &[
        "Aaron", "Adam", "Alan", "Albert", "Alexander", "Andrew", "Anthony", "Antonio", "Arthur",
        "Barack", "Ben", "Benjamin", "Bernie", "Bill", "Bob", "Boris", "Brad", "Brian", "Bruce",
        "Carl", "Carlos", "Charles", "Chris", "Christopher", "Chuck", "Colin", "Craig", "Daniel",
        "Darren", "David", "Dennis", "Dick", "Don", "Donald", "Doug", "Douglas", "Earl", "Ed",
        "Edward", "Emmanuel", "Eric", "Frank", "Fred", "Gary", "George", "Gerald", "Greg",
        "Gregory", "Harold", "Harry", "Henry", "Howard", "Ian", "Jack", "Jacob", "James",
        "Jason", "Jeb", "Jeff", "Jeffrey", "Jeremy", "Jerry", "Jim", "Jimmy", "Joe", "John",
        "Jon", "Jonathan", "Jose", "Joseph", "Juan", "Justin", "Keith", "Ken", "Kenneth",
        "Kevin", "Larry", "Lawrence", "Louis", "Luis", "Marco", "Mark", "Martin", "Matt",
        "Matthew", "Michael", "Mike", "Mitch", "Mitt", "Nathan", "Neil", "Nicholas", "Nick",
        "Olaf", "Oliver", "Patrick", "Paul", "Peter", "Phil", "Philip", "Ralph", "Rand",
        "Raymond", "Reince", "Richard", "Rick", "Rob", "Robert", "Roger", "Ron", "Ronald", "Roy",
        "Rudy", "Russell", "Ryan", "Sam", "Samuel", "Scott", "Sean", "Sergei", "Stephen",
        "Steve", "Steven", "Ted", "Thomas", "Tim", "Timothy", "Todd", "Tom", "Tony", "Vladimir",
        "Walter", "Wayne", "William", "Xi", "Yoshihide", "Shinzo",
        "Hiroshi", "Takeshi", "Kenji", "Ahmed", "Mohammed", "Muhammad", "Ali", "Omar", "Hassan",
        "Pierre", "Jean", "Jacques", "François", "Hans", "Klaus", "Friedrich", "Giuseppe",
        "Matteo", "Pedro", "Miguel", "Javier", "Dmitry", "Ivan", "Igor", "Andrei", "Alexei",
        "Wang", "Li", "Narendra", "Rahul", "Raj", "Ibrahim", "Abdul", "Mahmoud", "Benjamin",
        "Newt", "Lindsey", "Marco", "Corey", "Mike", "Tim", "Chris", "Dan",
        "Jared", "Eli", "Ethan", "Noah", "Liam", "Lucas", "Owen", "Caleb", "Luke", "Dylan",
        "Evan", "Gavin", "Grant", "Hugh", "Ivan", "Jake", "Kyle", "Leo", "Max", "Neal", "Ross",
        "Seth", "Simon", "Stuart", "Trevor", "Victor", "Vincent", "Wesley", "Zach", "Theo",
    ];
    #[rustfmt::skip]
    const FEMALE: &[&str] = &[
        "Abigail", "Alice", "Alicia", "Amanda", "Amy", "Andrea", "Angela", "Ann", "Anna", "Anne",
        "Barbara", "Betty", "Beverly", "Carol", "Caroline", "Catherine", "Chelsea", "Christine",
        "Claire", "Cynthia", "Deborah", "Debbie", "Diana", "Diane", "Donna", "Dorothy",
        "Elizabeth", "Ellen", "Emily", "Emma", "Eva", "Frances", "Gina", "Grace", "Hannah",
        "Heather", "Helen", "Hillary", "Huma", "Ivanka", "Jane", "Janet", "Jean", "Jennifer",
        "Jessica", "Jill", "Joan", "Joyce", "Judith", "Judy", "Julia", "Julie", "Karen", "Kate",
        "Katherine", "Kathleen", "Kathy", "Kelly", "Kim", "Laura", "Lauren", "Linda", "Lisa",
        "Lori", "Maria", "Marie", "Marilyn", "Martha", "Mary", "Megan", "Melania", "Melissa",
        "Michelle", "Nancy", "Natalie", "Nicole", "Nikki", "Olivia", "Pamela", "Patricia",
        "Rachel", "Rebecca", "Rose", "Ruth", "Samantha", "Sandra", "Sarah", "Sharon", "Shirley",
        "Sophia", "Stephanie", "Susan", "Teresa", "Theresa", "Victoria", "Virginia", "Wendy",
        "Angela", "Theresa", "Ursula", "Christine", "Marine", "Jacinda", "Yuriko", "Keiko",
        "Yoko", "Akiko", "Sanae", "Fatima", "Aisha", "Priya", "Sonia", "Indira", "Elena", "Olga",
        "Natalia", "Irina", "Sofia", "Lucia", "Carmen", "Isabel", "Ana", "Kamala", "Elizabeth",
        "Nina", "Paula", "Rita", "Sara", "Tina", "Vera", "Zoe", "Ivy", "Hazel", "Iris", "Ada",
        "Margaret", "Maggie", "Meg", "Molly", "Nora", "Penny", "Ruby", "Sally", "Tara", "Valerie",
        "Kellyanne", "Jan", "Debra", "Gwen", "Harriet", "Irene", "Joanna", "Leah", "Lydia",
        "Madeleine", "Miriam", "Naomi", "Priscilla", "Rosa", "Sylvia", "Tamara", "Yvonne",
    ];
    // A name in both lists (e.g. "Jean") reveals nothing.
    if FEMALE.contains(&name) && !MALE.contains(&name) {
        Gender::Female
    } else if MALE.contains(&name) && !FEMALE.contains(&name) {
        Gender::Male
    } else {
        Gender::Unknown
    }
}

/// Abbreviations that end in a period without ending a sentence.
pub fn is_abbreviation(word_with_period: &str) -> bool {
    #[rustfmt::skip]
    const WORDS: &[&str] = &[
        "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Sen.", "Rep.", "Gov.", "Lt.", "Gen.", "Col.",
        "Capt.", "Sgt.", "Adm.", "Maj.", "Cmdr.", "Det.", "Rev.", "St.", "Jr.", "Sr.", "Inc.",
        "Corp.", "Co.", "Ltd.", "No.", "Jan.", "Feb.", "Mar.", "Apr.", "Aug.", "Sept.", "Sep.",
        "Oct.", "Nov.", "Dec.", "vs.", "v.", "Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.",
        "Del.", "Fla.", "Ga.", "Ill.", "Ind.", "Kan.", "Ky.", "La.", "Md.", "Mass.", "Mich.",
        "Minn.", "Miss.", "Mo.", "Mont.", "Neb.", "Nev.", "Okla.", "Ore.", "Pa.", "Tenn.",
        "Tex.", "Va.", "Vt.", "Wash.", "Wis.", "Wyo.", "D-Calif.", "Supt.", "Insp.", "e.g.",
        "i.e.", "etc.", "a.m.", "p.m.", "Ft.", "Mt.", "Gov't.", "U.S.", "U.K.", "U.N.", "D.C.",
    ];
    WORDS.contains(&word_with_period)
}

/// Speech verbs that only report words when nothing else follows them ("“…,” he continued.",
/// "She began: “…”"); with an object or complement they are ordinary verbs ("her campaign would
/// continue “until …”", "began to insist").
pub fn is_bare_speech_verb(word: &str) -> bool {
    matches!(
        word,
        "continue" | "continues" | "continued" | "began" | "begins"
    )
}

/// Speech words that are also common nouns ("the tweets", "his remarks"): as verbs they need a
/// name or pronoun for a subject, never a descriptor phrase that may be their noun reading.
pub fn is_noun_like_verb(word: &str) -> bool {
    #[rustfmt::skip]
    const WORDS: &[&str] = &[
        "tweets", "tweet", "reports", "report", "claims", "claim", "notes", "note", "posts", "post",
        "calls", "call", "remarks", "remark", "charges", "charge", "promises", "promise",
        "answers", "answer", "states", "state", "reads", "read", "counters", "counter", "quotes",
        "quote", "estimates", "pledges", "demands", "vows", "warns", "terms", "labels", "cites",
        "stresses", "posted", "began", "begins", "put", "puts", "offers", "offered", "fired",
        "shot", "ordered", "questioned", "thinks", "feels", "believes", "cried", "blasted",
        "points", "point",
    ];
    WORDS.contains(&word)
}

/// Capitalised words that open sentences but never names ("Meanwhile Trump said").
pub fn is_capitalised_function_word(word: &str) -> bool {
    #[rustfmt::skip]
    const WORDS: &[&str] = &[
        "But", "And", "Or", "So", "Yet", "Meanwhile", "However", "Still", "Then", "Now", "Also",
        "When", "While", "After", "Before", "Since", "If", "As", "In", "On", "At", "For", "With",
        "From", "By", "Of", "To", "Under", "Over", "During", "Last", "This", "That", "These",
        "Those", "Asked", "Later", "Earlier", "Instead", "Indeed", "Moreover", "Although",
        "Though", "Because", "Even", "Only", "Just", "Here", "There", "Today", "Yesterday",
        "Tonight", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "January", "February", "March", "April", "June", "July", "August", "September",
        "October", "November", "December", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.",
        "Dec.", "Speaking", "Writing", "Asked", "Until", "Unlike", "Like", "Despite", "Among",
        "Across", "Through", "Without", "Both", "Either", "Neither", "Not", "Why", "What", "How",
        "Where", "Who", "Which", "Whether", "Once", "Again", "Finally", "Separately", "Also",
        "Previously", "Recently", "Overall", "Politically", "Privately", "Publicly", "Elsewhere",
        "Outside", "Inside", "Beyond", "Amid", "Amidst", "Against", "Behind", "Within", "Around",
        "Toward", "Towards", "Upon", "Unless", "Whereas", "Nor", "Thus", "Therefore", "Otherwise",
        "Perhaps", "Nonetheless", "Nevertheless", "Besides", "Likewise", "Similarly",
        "Ultimately", "Sometimes", "Often", "Usually", "Already",
    ];
    WORDS.contains(&word)
}

/// Short words that stay lowercase inside a title ("Friends of the Harbour", "Clean Harbor Act").
pub fn is_title_case_small_word(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "the"
            | "of"
            | "in"
            | "on"
            | "and"
            | "or"
            | "for"
            | "to"
            | "at"
            | "by"
            | "with"
            | "from"
            | "vs."
            | "de"
    )
}

/// US states and their AP abbreviations: the second half of "Salem, New Hampshire," a place
/// written City, State that an introductory phrase may end with.
pub fn is_us_state(name: &str) -> bool {
    #[rustfmt::skip]
    const STATES: &[&str] = &[
        "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
        "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa",
        "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan",
        "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire",
        "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio",
        "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota",
        "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington", "West Virginia",
        "Wisconsin", "Wyoming", "Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Del.",
        "Fla.", "Ga.", "Ill.", "Ind.", "Kan.", "Ky.", "La.", "Md.", "Mass.", "Mich.", "Minn.",
        "Miss.", "Mo.", "Mont.", "Neb.", "Nev.", "N.H.", "N.J.", "N.M.", "N.Y.", "N.C.", "N.D.",
        "Okla.", "Ore.", "Pa.", "R.I.", "S.C.", "S.D.", "Tenn.", "Vt.", "Va.", "Wash.",
        "W.Va.", "Wis.", "Wyo.",
    ];
    STATES.contains(&name)
}
