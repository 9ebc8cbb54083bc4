//! Phrases that make a comment harmful whatever a model thinks of its words: threats (open
//! and veiled), dehumanising talk about groups, and commercial spam. The models learn these
//! from data where the data has them; threats are rare in every labelled set, often use no
//! rude word, and a news site cannot publish one even once, so the grammar of a threat is
//! written down here too: someone intends, wishes or incites harm, and a person is its object.
//! Talk *about* violence ("the attacker was shot by police", "the dam could kill thousands")
//! has no such intent and no such object, and does not match.
//!
//! Patterns run over folded tokens (so `k1ll`, `ｓｈｏｏｔ` and `I'll` match) and each finding
//! marks the words as written.

use crate::model::Span;
use crate::text::{Token, tokens};

/// One pattern that matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// `threat`, `identity_attack` or `spam`.
    pub kind: &'static str,
    pub span: Span,
}

/// Word classes; an entry ending in `*` matches any word starting with it.
fn class(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        // Who intends.
        "SELF" => &["i", "ill", "im", "ive", "id", "we", "were", "weve", "wed"],
        "WILL" => &[
            "will", "shall", "gonna", "going", "gon", "wanna", "want", "would", "could", "can",
            "am", "are", "ll", "plan", "planning", "intend", "promise", "swear", "gotta", "should",
            "must", "need", "might", "may", "about", "coming",
        ],
        "OTHERS" => &[
            "someone",
            "somebody",
            "someones",
            "somebodys",
            "anyone",
            "anybody",
            "people",
            "they",
            "you",
            "u",
            "ya",
            "yall",
            "everyone",
            "we",
            "who",
            "all",
            "citizens",
            "public",
        ],
        "OUGHT" => &[
            "should", "shouldve", "needs", "need", "ought", "must", "gotta", "deserves", "deserve",
            "better", "has", "have",
        ],
        // Doing harm to someone.
        "HARM" => &[
            "kill",
            "murder",
            "shoot",
            "stab",
            "lynch",
            "strangle",
            "choke",
            "drown",
            "burn",
            "hurt",
            "gut",
            "behead",
            "slit",
            "execute",
            "slaughter",
            "butcher",
            "shank",
            "whack",
            "rape",
            "torture",
            "poison",
            "exterminate",
            "kneecap",
            "maim",
            "cripple",
            "disfigure",
            "gouge",
            "murda",
        ],
        // Finding someone, said as a promise.
        "SEEK" => &["find", "hunt", "track", "visit", "get", "catch"],
        // What a harmed person has become, or what they should undergo.
        "HARMED" => &[
            "shot",
            "killed",
            "hanged",
            "hung",
            "lynched",
            "stabbed",
            "beaten",
            "burned",
            "burnt",
            "executed",
            "murdered",
            "drowned",
            "strung",
            "gassed",
            "tortured",
            "raped",
            "exterminated",
            "eradicated",
            "slaughtered",
            "butchered",
            "beheaded",
            "die",
            "dies",
            "dead",
            "drown",
            "burn",
            "harmed",
            "culled",
            "neutered",
            "sterilized",
            "sterilised",
            "flogged",
            "whipped",
            "stoned",
            "maimed",
            "crippled",
            "kneecapped",
        ],
        // The object of the harm: a person, or people.
        "PERSON" => &[
            "you",
            "u",
            "ya",
            "yall",
            "him",
            "her",
            "them",
            "his",
            "their",
            "your",
            "ur",
            "he",
            "she",
            "they",
            "family",
            "kids",
            "children",
            "wife",
            "husband",
            "head",
            "legs",
            "neck",
            "face",
            "throat",
            "skull",
            "bones",
            "teeth",
            "knees",
            "minister",
            "ministers",
            "leader",
            "leaders",
            "chief",
            "mayor",
            "councillor",
            "councilor",
            "councillors",
            "judge",
            "mp",
            "mps",
            "senator",
            "president",
            "governor",
            "official",
            "officials",
            "journalist",
            "journalists",
            "reporter",
            "editor",
            "author",
            "commissioner",
            "secretary",
            "chairman",
            "ceo",
            "boss",
            "neighbour",
            "neighbor",
            "cop",
            "cops",
            "police",
            "mullah",
            "imam",
            "priest",
            "pastor",
            "politician*",
            "everyone",
            "anybody",
            "whoever",
            "traitor*",
            "scum",
        ],
        // Groups people are attacked for belonging to.
        "IDGROUP" => &[
            "immigrant*",
            "migrant*",
            "refugee*",
            "asylum",
            "foreigner*",
            "muslim*",
            "jew*",
            "christian*",
            "hindu*",
            "sikh*",
            "ahmadi*",
            "qadiani*",
            "shia*",
            "sunni*",
            "atheist*",
            "blacks",
            "whites",
            "asians",
            "african*",
            "arab*",
            "afghan*",
            "pashtun*",
            "pathan*",
            "punjabi*",
            "sindhi*",
            "baloch*",
            "bengali*",
            "bihari*",
            "mohajir*",
            "hazara*",
            "indians",
            "pakistanis",
            "chinese",
            "mexicans",
            "latinos",
            "gays",
            "lesbians",
            "trannies",
            "queers",
            "homosexuals",
            "women",
            "feminists",
            "gypsies",
            "roma",
            "natives",
            "minorities",
            "illegals",
            "aliens",
            "outsiders",
            "catholics",
            "jewish",
            "islamists",
            "kafirs",
            "infidels",
            "travellers",
            "travelers",
        ],
        // Adjectives naming a group ("black people", "Muslim families").
        "ADJGROUP" => &[
            "black",
            "white",
            "brown",
            "asian",
            "muslim",
            "jewish",
            "gay",
            "hindu",
            "christian",
            "african",
            "arab",
            "chinese",
            "indian",
            "pakistani",
            "afghan",
            "pashtun",
            "punjabi",
            "sindhi",
            "baloch",
            "bengali",
            "mexican",
            "immigrant",
            "migrant",
            "refugee",
            "foreign",
            "trans",
            "disabled",
            "traveller",
            "traveler",
        ],
        // Contempt that, said of a whole group, is an attack on it.
        "DEROG" => &[
            "dirty",
            "filthy",
            "lazy",
            "stupid",
            "useless",
            "worthless",
            "inferior",
            "backward",
            "primitive",
            "savage",
            "savages",
            "violent",
            "thieves",
            "smelly",
            "stinking",
            "disgusting",
            "evil",
            "uncivilised",
            "uncivilized",
            "subhuman",
            "dumb",
            "criminals",
            "rapists",
            "terrorists",
            "breeders",
            "diseased",
            "vile",
        ],
        // Harm that leaves no doubt about its object.
        "UNAMBIG" => &[
            "shot",
            "hanged",
            "hung",
            "lynched",
            "stabbed",
            "strung",
            "gassed",
            "tortured",
            "raped",
            "beheaded",
            "flogged",
            "stoned",
            "drowned",
            "burnt",
            "kneecapped",
        ],
        // Ways of pointing at people as a lot.
        "THESE" => &["those", "these", "you", "all", "such", "them", "their"],
        "PPL" => &[
            "people", "folk", "folks", "families", "lot", "kind", "sort", "type", "tribe*", "race",
            "races", "breed",
        ],
        // Anyone, as a subject.
        "THEY" => &["they", "them", "those", "these", "who", "theyre", "people"],
        "IS" => &[
            "are", "is", "r", "were", "was", "be", "being", "like", "as", "just", "all",
        ],
        "DEHUMAN" => &[
            "vermin",
            "subhuman*",
            "animals",
            "parasite*",
            "cockroach*",
            "rats",
            "rodent*",
            "savages",
            "filth",
            "scum",
            "plague",
            "infestation",
            "pests",
            "insects",
            "apes",
            "monkeys",
            "dogs",
            "pigs",
            "swine",
            "mongrel*",
            "beasts",
            "barbarians",
            "leeches",
            "maggots",
            "lice",
            "untermensch*",
            "breeders",
            "cattle",
            "livestock",
            "inbred*",
            "germs",
            "degenerates",
            "invaders",
            "vermins",
            "snakes",
            "hyenas",
            "jackals",
        ],
        "BACK" => &["back", "home", "away", "out"],
        "WHERE" => &["where", "whence", "wherever"],
        "CAME" => &[
            "came", "come", "comes", "belong", "belongs", "crawled", "from",
        ],
        "REMOVE" => &[
            "deported",
            "deport",
            "expelled",
            "expel",
            "removed",
            "thrown",
            "kicked",
            "banned",
            "locked",
            "sterilised",
            "sterilized",
            "exterminated",
            "eradicated",
            "wiped",
            "purged",
            "cleansed",
            "gassed",
            "shipped",
            "sent",
        ],
        "PLACE" => &[
            "live", "lives", "sleep", "sleeps", "work", "works", "park", "parks", "stay", "stays",
            "pray", "prays", "shop", "shops", "drop", "drops",
        ],
        "POSS" => &["your", "his", "her", "their", "ur", "yo", "thy"],
        "SUBJ" => &[
            "you", "u", "he", "she", "they", "youll", "hell", "shell", "theyll", "ya",
        ],
        // Strong profanity; masked forms ("f*ck") and leetspeak ("sh1t") fold to these.
        "PROFANE" => &[
            "fuck*",
            "motherfuck*",
            "fck*",
            "fuk*",
            "shit",
            "shits",
            "shitty",
            "bullshit",
            "shithead*",
            "shithole*",
            "cunt*",
            "dickhead*",
            "asshole*",
            "arsehole*",
            "bitch*",
            "bastard*",
            "wanker*",
            "twat*",
            "stfu",
            "cocksucker*",
            "dipshit*",
            "jackass*",
            "douchebag*",
            "scumbag*",
        ],
        // Slurs for groups of people.
        "SLUR" => &[
            "retard",
            "retards",
            "retarded",
            "faggot*",
            "fag",
            "fags",
            "nigger*",
            "nigga*",
            "chink*",
            "paki",
            "pakis",
            "kike*",
            "spic",
            "spics",
            "tranny",
            "trannies",
            "dyke",
            "dykes",
            "wetback*",
            "raghead*",
            "towelhead*",
            "gook*",
            "coon",
            "coons",
            "kaffir*",
            "gypo*",
            "pikey*",
        ],
        // Names for a person that are only insults (not "liar" or "hypocrite": those can be
        // a fair charge against an official).
        "NAMECALL" => &[
            "idiot",
            "idiots",
            "moron",
            "morons",
            "imbecile*",
            "cretin*",
            "clown",
            "clowns",
            "fool",
            "fools",
            "buffoon*",
            "dimwit*",
            "halfwit*",
            "nitwit*",
            "dunce*",
            "dumbass*",
            "numpty",
            "numpties",
            "muppet",
            "muppets",
            "twit",
            "twits",
            "pillock*",
            "plonker*",
            "tosser*",
            "scum",
            "slimeball*",
            "lowlife*",
            "degenerate",
            "troll",
            "trolls",
        ],
        "BE" => &[
            "is", "are", "was", "were", "youre", "ur", "hes", "shes", "theyre", "im", "such",
            "what", "bunch", "complete", "total", "utter", "absolute", "being",
        ],
        // Spam: offers, money, calls to act, and what spammers sell.
        "MONEY" => &[
            "money", "cash", "income", "dollars", "usd", "rs", "rupees", "pkr", "profit*", "earn*",
            "paid", "salary", "payout", "bitcoin", "crypto*", "forex", "btc",
        ],
        "PER" => &[
            "per", "a", "an", "each", "every", "daily", "weekly", "monthly",
        ],
        "PERIOD" => &["day", "week", "month", "hour", "hr", "daily", "weekly"],
        "CALL" => &[
            "click",
            "visit",
            "call",
            "whatsapp",
            "telegram",
            "dm",
            "message",
            "contact",
            "text",
            "join",
            "subscribe",
            "follow",
            "register",
            "signup",
            "order",
            "buy",
            "check",
            "inbox",
        ],
        "SELL" => &[
            "followers",
            "likes",
            "casino",
            "viagra",
            "cialis",
            "loan",
            "loans",
            "betting",
            "bet",
            "jackpot",
            "lottery",
            "pills",
            "diet",
            "weightloss",
            "seo",
            "backlinks",
            "replica",
            "escort*",
            "hookup",
            "dating",
            "investment",
            "investors",
            "trading",
            "giveaway",
            "prize",
            "coupon",
            "discount",
            "deal",
            "deals",
            "offer",
            "promo",
        ],
        _ => return None,
    })
}

/// Patterns by kind. Words: a class name in capitals, a literal word, alternatives with `|`,
/// `?` before an optional word, `~N` for up to N other words.
const PATTERNS: &[(&str, &str)] = &[
    // "I'm going to break his legs", "we will shoot them", "I'll k1ll you"
    ("threat", "SELF ~2 WILL ~3 HARM ~3 PERSON"),
    ("threat", "SELF ~1 HARM PERSON"),
    (
        "threat",
        "break|snap|smash|bust ~2 legs|leg|neck|arms|bones|face|jaw|knees|kneecaps|skull|head|teeth",
    ),
    // "I'm going to burn the place down", "we will blow it up"
    (
        "threat",
        "SELF ~2 WILL ~3 burn|torch|bomb|blow|firebomb ~5 down|up",
    ),
    // "he should be strung up", whoever the subject
    ("threat", "OUGHT ~2 be|get|got ~1 UNAMBIG"),
    // "you'll end up floating in the river"
    (
        "threat",
        "youll|you|u ~2 end up ~3 dead|floating|hospital|buried|grave|morgue|river|ditch|bag|wheelchair",
    ),
    ("threat", "hang|string PERSON|THEY|IDGROUP ~1 up|from|by"),
    ("threat", "beat POSS|PERSON ~2 up|senseless|death|pulp"),
    // "I will find you", "we'll hunt him down"
    ("threat", "SELF ~2 WILL ~1 SEEK you|u|ya|yall|him|her|them"),
    ("threat", "SELF ~2 WILL ~1 SEEK the ~1 PERSON ~3 and"),
    // "someone should break his legs", "somebody needs to shoot them"
    ("threat", "OTHERS OUGHT ~3 HARM ~3 PERSON"),
    // "he should be shot", "they deserve to die", "who should drown"
    ("threat", "PERSON|THEY|OTHERS|IDGROUP OUGHT ~3 HARMED"),
    (
        "threat",
        "hope|hoping|wish|pray ~8 drowns|drown|burns|rots|killed|murdered|hanged|lynched|stabbed|raped|shot",
    ),
    // "I hope he dies" (said of a person; "I hope the bill dies" is not a threat)
    (
        "threat",
        "hope|hoping|wish|pray ~2 PERSON|THEY|IDGROUP ~4 HARMED",
    ),
    // Veiled: "watch your back", "I know where you live", "make him pay"
    ("threat", "watch POSS back"),
    (
        "threat",
        "better watch out|it|yourself|themselves|himself|herself",
    ),
    (
        "threat",
        "know|knows|found|find where ~2 SUBJ|PERSON ~1 PLACE",
    ),
    (
        "threat",
        "know|knows|found|got|have POSS address|plates|route|schedule",
    ),
    (
        "threat",
        "make you|him|her|them|u|ya|yall ~1 pay|bleed|suffer|regret",
    ),
    ("threat", "youll|you|u ~2 regret|pay ~1 this|that|it|for"),
    ("threat", "youll|you|u ~1 be sorry"),
    ("threat", "sleep with one eye open"),
    ("threat", "POSS days are numbered"),
    ("threat", "coming for you|him|her|them|u|ya|yall"),
    (
        "threat",
        "shame|pity if ~1 something|anything ~1 happened|happens|happen ~2 to",
    ),
    ("threat", "get|gets whats|what coming"),
    ("threat", "bullet|bullets in|for|between PERSON"),
    ("threat", "six feet under"),
    ("threat", "teach PERSON a lesson"),
    ("threat", "better keep ~1 mouth|mouths shut"),
    // Calling a person names: "Lloyd is a useless clown", "you moron".
    ("insult", "BE ~4 NAMECALL"),
    ("insult", "you|u|ya|yall ~2 NAMECALL"),
    // Profanity and slurs: one word is enough.
    ("obscene", "PROFANE"),
    ("identity_attack", "SLUR"),
    // Groups as vermin: "you people are subhuman vermin", "those migrants are animals"
    ("identity_attack", "IDGROUP ~3 IS ~2 DEHUMAN"),
    ("identity_attack", "THESE ?IDGROUP PPL ~3 IS ~2 DEHUMAN"),
    ("identity_attack", "they|theyre ~2 IS ~2 DEHUMAN"),
    ("identity_attack", "DEHUMAN like|as THESE|IDGROUP"),
    (
        "identity_attack",
        "ADJGROUP PPL|men|women|kids|families ~3 IS ~2 DEHUMAN|DEROG",
    ),
    ("identity_attack", "IDGROUP ~1 IS ~2 DEROG"),
    (
        "identity_attack",
        "typical|bloody|filthy|dirty|stinking|lazy IDGROUP",
    ),
    (
        "identity_attack",
        "IDGROUP|ADJGROUP ~1 PPL ~2 cant|cannot|never ~1 be trusted",
    ),
    (
        "identity_attack",
        "IDGROUP ~2 cant|cannot|never ~1 be trusted",
    ),
    (
        "identity_attack",
        "IDGROUP ~2 have|has no business|place|right",
    ),
    ("identity_attack", "back|belong ~2 kitchen|kitchens"),
    (
        "identity_attack",
        "IDGROUP ~3 run|control|controls|own|owns ~2 the|our|this ~1 council|government|media|banks|country|world|city",
    ),
    ("identity_attack", "subhuman*|untermensch*"),
    (
        "identity_attack",
        "THEY|IDGROUP|PPL ~3 infest*|infesting|breed|breeding ~3 like|our",
    ),
    // "go back where they came from", "send the migrants back"
    (
        "identity_attack",
        "go|send|sent|get|ship|kick|throw|fuck BACK ~2 WHERE ~2 CAME",
    ),
    (
        "identity_attack",
        "go|send|ship|get BACK ~1 to ~2 POSS|own ~1 country|countries|homeland|jungle|jungles|caves|desert",
    ),
    (
        "identity_attack",
        "send|ship|kick|throw|deport ~1 IDGROUP ~2 BACK|out",
    ),
    ("identity_attack", "IDGROUP ~3 OUGHT ~2 be ~1 REMOVE"),
    (
        "identity_attack",
        "THESE ?IDGROUP PPL ~3 OUGHT ~2 be ~1 REMOVE",
    ),
    ("identity_attack", "IDGROUP ~2 dont|doesnt belong|deserve"),
    (
        "identity_attack",
        "wipe|wiped|exterminate|eradicate ~2 IDGROUP|THESE ~1 PPL ~1 out|off",
    ),
    // Spam: "earn $500 a day from home", "DM me on WhatsApp", "buy followers"
    ("spam", "MONEY ~3 PER PERIOD"),
    ("spam", "earn*|make|making ~4 MONEY|online"),
    (
        "spam",
        "from home|laptop|phone ~3 MONEY|earn*|income|week|month|day",
    ),
    ("spam", "work|working from home"),
    (
        "spam",
        "CALL ~3 now|today|link|here|profile|bio|channel|site|website|page|whatsapp|telegram|inbox",
    ),
    ("spam", "in|on|at my|our bio|profile|channel|inbox"),
    ("spam", "buy|cheap|free|get ~2 SELL"),
    (
        "spam",
        "limited|exclusive|special|amazing ~1 offer|deal|time",
    ),
    ("spam", "guaranteed ~2 returns|profit*|income|results|win"),
    ("spam", "100|100% guaranteed|free|legit|real"),
    (
        "spam",
        "my|our channel|website|site|shop|store|page|profile|link",
    ),
];

/// Words that reverse what a pattern says; a gap may not step over one ("should not have to
/// suffer", "I hope no one was hurt").
const NEGATIONS: &[&str] = &[
    "not", "never", "no", "nobody", "dont", "doesnt", "didnt", "wont", "shouldnt", "cant",
    "wouldnt", "isnt", "arent", "nothing", "without",
];

/// A compiled slot: a set of words, or a gap.
enum Slot {
    Words(Vec<&'static str>, bool),
    Gap(usize),
}

fn compile(pattern: &'static str) -> Vec<Slot> {
    pattern
        .split_whitespace()
        .map(|part| {
            if let Some(n) = part.strip_prefix('~') {
                return Slot::Gap(n.parse().unwrap_or(1));
            }
            let (optional, part) = match part.strip_prefix('?') {
                Some(rest) => (true, rest),
                None => (false, part),
            };
            let mut words = Vec::new();
            for alt in part.split('|') {
                match class(alt) {
                    Some(list) => words.extend_from_slice(list),
                    None => words.push(alt),
                }
            }
            Slot::Words(words, optional)
        })
        .collect()
}

/// `entry` against a folded word; a `*` in the word (a masked letter, "f*ck") stands for any
/// one letter.
fn word_matches(entry: &str, word: &str) -> bool {
    let (pattern, open) = match entry.strip_suffix('*') {
        Some(prefix) => (prefix, true),
        None => (entry, false),
    };
    if !word.contains('*') {
        return if open {
            word.starts_with(pattern)
        } else {
            word == pattern
        };
    }
    // A masked word must show at least two real letters to be read as a word.
    if word.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return false;
    }
    let (w, p): (Vec<char>, Vec<char>) = (word.chars().collect(), pattern.chars().collect());
    let len_ok = if open {
        w.len() >= p.len()
    } else {
        w.len() == p.len()
    };
    len_ok && p.iter().zip(&w).all(|(a, b)| *b == '*' || a == b)
}

/// The end (exclusive) of a match of `slots` starting at token `at`.
fn match_at(slots: &[Slot], toks: &[Token], at: usize) -> Option<usize> {
    let Some((first, rest)) = slots.split_first() else {
        return Some(at);
    };
    match first {
        Slot::Gap(n) => (0..=*n)
            .take_while(|k| {
                at + k <= toks.len()
                    && (*k == 0 || !NEGATIONS.contains(&toks[at + k - 1].text.as_str()))
            })
            .find_map(|k| match_at(rest, toks, at + k)),
        Slot::Words(words, optional) => {
            let here = toks
                .get(at)
                .filter(|t| words.iter().any(|w| word_matches(w, &t.text)))
                .and_then(|_| match_at(rest, toks, at + 1));
            match (here, optional) {
                (Some(end), _) => Some(end),
                (None, true) => match_at(rest, toks, at),
                (None, false) => None,
            }
        }
    }
}

pub struct Harm {
    patterns: Vec<(&'static str, Vec<Slot>)>,
}

impl Default for Harm {
    fn default() -> Self {
        Self {
            patterns: PATTERNS.iter().map(|(k, p)| (*k, compile(p))).collect(),
        }
    }
}

impl Harm {
    /// Every kind found, with the first span for each pattern that matched.
    pub fn find(&self, text: &str) -> Vec<Finding> {
        self.find_tokens(text, &tokens(text))
    }

    /// `find` in a text already tokenised (`toks` are `text::tokens(text)`).
    pub fn find_tokens(&self, text: &str, toks: &[Token]) -> Vec<Finding> {
        let mut out: Vec<Finding> = Vec::new();
        for (kind, slots) in &self.patterns {
            for start in 0..toks.len() {
                if let Some(end) = match_at(slots, toks, start) {
                    let span = Span {
                        start: toks[start].start,
                        end: toks[end - 1].end,
                        text: text[toks[start].start..toks[end - 1].end].to_owned(),
                    };
                    if !out.iter().any(|f| f.kind == *kind && f.span == span) {
                        out.push(Finding { kind, span });
                    }
                    break;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<&'static str> {
        let mut k: Vec<&str> = Harm::default().find(text).iter().map(|f| f.kind).collect();
        k.dedup();
        k
    }

    #[test]
    fn threats_open_and_veiled_are_found_with_their_words() {
        for t in [
            "I will find the council leader and make her pay",
            "Someone should break his legs.",
            "watch your back on the way to your car",
            "I know where the transport chief lives...",
            "He deserves to be shot.",
            "I'm going to k1ll you",
        ] {
            assert_eq!(kinds(t), vec!["threat"], "{t}");
        }
        let f = Harm::default().find("Honestly, someone should break his legs.");
        assert_eq!(f[0].span.text, "break his legs");
    }

    #[test]
    fn attacks_on_groups_are_found() {
        assert!(
            kinds("you people are subhuman vermin who should drown").contains(&"identity_attack")
        );
        assert_eq!(
            kinds("those families should go back where they came from"),
            vec!["identity_attack"]
        );
    }

    #[test]
    fn talk_about_violence_and_sharp_criticism_are_not_threats() {
        for t in [
            "The attacker was shot by police after stabbing two men.",
            "If the embankment fails, the flood could kill thousands downstream.",
            "The minister should resign; this plan is incompetent and dishonest.",
            "The councils have failed these families for twenty years.",
            "I will be writing to my MP about the drainage budget.",
            "They should publish the flood maps before the next rains.",
            "I hope the proposal dies in committee.",
            "The plan should be executed properly this time.",
            "I hope the valley never drowns again.",
            "People will die if the embankment is not repaired.",
            "Muslim families in the camps were the worst affected by the dirty water.",
            "Call me cynical, but I doubt the control room opens in January.",
        ] {
            assert!(kinds(t).is_empty(), "{t}: {:?}", Harm::default().find(t));
        }
    }

    #[test]
    fn profanity_and_slurs_are_found_masked_or_not() {
        for t in [
            "go f*ck yourselves",
            "total bullsh1t",
            "a corrupt piece of shit",
            "STFU",
        ] {
            assert!(kinds(t).contains(&"obscene"), "{t}");
        }
        assert!(kinds("what a r3tard").contains(&"identity_attack"));
        for t in [
            "Scunthorpe floods again",
            "the shiitake harvest",
            "a bitter pill",
        ] {
            assert!(kinds(t).is_empty(), "{t}: {:?}", Harm::default().find(t));
        }
    }

    #[test]
    fn calling_people_names_is_an_insult_criticising_them_is_not() {
        for t in [
            "Lloyd is a fat useless clown",
            "Shut up, you pathetic moron",
        ] {
            assert_eq!(kinds(t), vec!["insult"], "{t}");
        }
        for t in [
            "The minister is a liar and a hypocrite on this.",
            "Was this the decision of a fool or of a committee?",
            "The plan is incompetent and the costings are a fantasy.",
        ] {
            assert!(kinds(t).is_empty(), "{t}: {:?}", Harm::default().find(t));
        }
    }

    #[test]
    fn spam_is_found() {
        assert!(kinds("Earn $500 a day from home, DM me now!").contains(&"spam"));
    }
}
