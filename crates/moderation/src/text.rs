//! Text as moderation sees it: tokens folded so that evasions match what they imitate.
//!
//! Folding undoes the usual tricks: look-alike letters from other scripts and styled Unicode
//! (`ｆ`, `𝐟`, Cyrillic `а`), accents, leetspeak inside words (`1d10t`), stretched letters
//! (`stuuuupid`) and spelled-out words (`s t u p i d`, `s.t.u.p.i.d`). Every token keeps the
//! byte span it came from, so a reason can point at the words in the comment as written.

use unicode_normalization::UnicodeNormalization;

/// A folded word and where it sits in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Characters from other scripts that readers take for Latin letters.
fn confusable(c: char) -> Option<char> {
    Some(match c {
        'а' | 'α' => 'a',
        'в' | 'β' => 'b',
        'с' | 'ϲ' => 'c',
        'ԁ' => 'd',
        'е' | 'ε' | 'ё' => 'e',
        'һ' => 'h',
        'і' | 'ι' | 'ї' => 'i',
        'ј' => 'j',
        'к' | 'κ' => 'k',
        'м' => 'm',
        'η' | 'п' => 'n',
        'о' | 'ο' | 'σ' => 'o',
        'р' | 'ρ' => 'p',
        'ѕ' => 's',
        'т' | 'τ' => 't',
        'υ' | 'μ' => 'u',
        'ν' => 'v',
        'ш' | 'ω' => 'w',
        'х' | 'χ' => 'x',
        'у' | 'γ' => 'y',
        _ => return None,
    })
}

/// Arabic-script letters that are written for one another (Arabic and Persian forms of the
/// letters Urdu uses), folded to the Urdu form; Arabic-Indic digits to ASCII ones.
fn arabic_variant(c: char) -> Option<char> {
    Some(match c {
        // Arabic kaf, gaf variants → Urdu keheh.
        '\u{0643}' | '\u{06AA}' => '\u{06A9}',
        // Arabic yeh, alef maksura, yeh barree → Farsi yeh.
        '\u{064A}' | '\u{0649}' | '\u{06D2}' | '\u{06CD}' => '\u{06CC}',
        // Arabic heh, teh marbuta, heh with yeh → heh goal.
        '\u{0647}' | '\u{0629}' | '\u{06C0}' | '\u{06D5}' => '\u{06C1}',
        // Alef wasla → alef (madda and hamza forms lose their mark in decomposition).
        '\u{0671}' => '\u{0627}',
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        _ => return None,
    })
}

/// Characters that are invisible inside a word: zero-width space, non-joiner and joiner, word
/// joiner, byte-order mark, soft hyphen, and the Arabic tatweel that stretches a letter.
/// Urdu uses the non-joiner inside words; an evasion puts any of them inside a banned word.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{0640}'
    )
}

/// Digits and symbols that stand for letters inside a word.
fn leet(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' | '!' | '|' => 'i',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' | '+' => 't',
        '8' => 'b',
        '9' => 'g',
        _ => return None,
    })
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || invisible(c) || "'@$!+|".contains(c) || MASKS.contains(c)
}

/// Symbols that hide letters ("f*ck", "f#@%ing", "sh(t"); a word with one of them inside is a
/// masked word, and each hidden letter becomes a `*`.
const MASKS: &str = "*#%&()^";

/// Folds one raw word: compatibility forms, accents, confusables, case; leetspeak when the
/// word has letters in it (so "2029" stays a number); runs of 3+ equal letters to one.
fn fold_word(raw: &str) -> String {
    let mut base = String::with_capacity(raw.len());
    for c in raw.nfkd() {
        // Accents, and Arabic-script diacritics (zabar, zer, pesh, shadda, madda, hamza above).
        if unicode_normalization::char::is_combining_mark(c) || invisible(c) {
            continue;
        }
        let c = confusable(c).or_else(|| arabic_variant(c)).unwrap_or(c);
        base.extend(c.to_lowercase());
    }
    let has_letters = base.chars().any(char::is_alphabetic);
    if has_letters && base.chars().any(|c| MASKS.contains(c)) {
        let mut out = String::new();
        for c in base.chars() {
            if c.is_alphabetic() {
                out.push(c);
            } else if c != '\'' {
                out.push('*');
            }
        }
        return out;
    }
    let mapped: Vec<char> = base
        .chars()
        .filter_map(|c| match (has_letters, leet(c)) {
            (true, Some(l)) => Some(l),
            _ if c.is_alphanumeric() => Some(c),
            // Quotes inside words ("don't") are dropped, not split on.
            _ => None,
        })
        .collect();
    let mut out = String::with_capacity(mapped.len());
    let mut i = 0;
    while i < mapped.len() {
        let mut j = i;
        while j < mapped.len() && mapped[j] == mapped[i] {
            j += 1;
        }
        let run = if j - i >= 3 && mapped[i].is_alphabetic() {
            1
        } else {
            j - i
        };
        out.extend(std::iter::repeat_n(mapped[i], run));
        i = j;
    }
    out
}

/// Splits and folds `text`. Runs of three or more single letters separated by single spaces
/// or dots ("s t u p i d") are joined into one token.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut raw: Vec<Token> = Vec::new();
    let mut push = |s: usize, e: usize| {
        // Symbols at the edges of a word are punctuation ("great!"), not leetspeak.
        let word = &text[s..e];
        // Masks at the end stay: "f***" hides letters; a closing bracket or "!" does not.
        let trimmed = word
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .trim_end_matches(|c: char| !c.is_alphanumeric() && !"*#%&^@$".contains(c));
        if !trimmed.chars().any(char::is_alphanumeric) {
            return;
        }
        let start = s
            + (word.len()
                - word
                    .trim_start_matches(|c: char| !c.is_alphanumeric())
                    .len());
        let end = start + trimmed.len();
        let folded = fold_word(trimmed);
        if !folded.is_empty() {
            raw.push(Token {
                text: folded,
                start,
                end,
            });
        }
    };
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push(s, i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push(s, text.len());
    }
    join_spelled_out(text, raw)
}

fn join_spelled_out(text: &str, raw: Vec<Token>) -> Vec<Token> {
    let single = |t: &Token| t.text.chars().count() == 1 && t.text.chars().all(char::is_alphabetic);
    let mut out: Vec<Token> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let mut j = i;
        while j + 1 < raw.len()
            && single(&raw[j])
            && single(&raw[j + 1])
            && raw[j + 1].start - raw[j].end == 1
            && matches!(&text[raw[j].end..raw[j + 1].start], " " | "." | "-" | "_")
        {
            j += 1;
        }
        if j - i >= 2 {
            out.push(Token {
                text: raw[i..=j].iter().map(|t| t.text.as_str()).collect(),
                start: raw[i].start,
                end: raw[j].end,
            });
            i = j + 1;
        } else {
            out.push(raw[i].clone());
            i += 1;
        }
    }
    out
}

/// The folded words of `text`, joined by spaces: what models and word lists read.
pub fn fold(text: &str) -> String {
    tokens(text)
        .into_iter()
        .map(|t| t.text)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evasions_fold_to_the_word_they_imitate() {
        for evasion in [
            "IDIOT",
            "1d10t",
            "idiooooot",
            "ｉｄｉｏｔ",
            "𝐢𝐝𝐢𝐨𝐭",
            "іdіоt",
            "i d i o t",
            "i.d.i.o.t",
            "ídìöt",
        ] {
            assert_eq!(fold(evasion), "idiot", "{evasion}");
        }
        assert_eq!(fold("f*ck off"), "f*ck off");
        assert_eq!(
            fold("F(*k you, f#@%ing sh*t, f***!"),
            "f**k you f***ing sh*t f***"
        );
        assert_eq!(fold("sh!t happens!"), "shit happens");
    }

    #[test]
    fn urdu_letter_variants_diacritics_and_invisible_characters_fold_away() {
        // "کتا" written with the Arabic kaf, with a zabar, stretched by tatweel, split by a
        // zero-width joiner or space, or with Arabic alef maksura for the Urdu yeh.
        let plain = fold("کتا");
        for variant in ["كتا", "کَتا", "کـــتا", "ک\u{200D}تا", "ک\u{200B}تا", "ﻛﺘﺎ"]
        {
            assert_eq!(fold(variant), plain, "{variant}");
        }
        assert_eq!(fold("بےغیرت"), fold("بیغیرت"));
        assert_eq!(fold("ي ى ی"), fold("ی ی ی"));
        assert_eq!(fold("آپ"), fold("اپ"));
        assert_eq!(fold("۲۰۲۹"), "2029");
        // Urdu punctuation separates words; the non-joiner inside a word does not.
        assert_eq!(fold("اچھا۔ ٹھیک ہے،").split(' ').count(), 3);
        let toks = tokens("یہ کـــتا ہے");
        assert_eq!(toks.len(), 3);
        assert_eq!(&"یہ کـــتا ہے"[toks[1].start..toks[1].end], "کـــتا");
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        assert_eq!(
            fold("The grant ends in 2029, a good year."),
            "the grant ends in 2029 a good year"
        );
        assert_eq!(fold("I agree. A B testing"), "i agree a b testing");
    }

    #[test]
    fn tokens_point_back_at_the_original_text() {
        let text = "You are a 1d10t, s t u p i d!";
        let toks = tokens(text);
        let idiot = toks.iter().find(|t| t.text == "idiot").expect("idiot");
        assert_eq!(&text[idiot.start..idiot.end], "1d10t");
        let stupid = toks.iter().find(|t| t.text == "stupid").expect("stupid");
        assert_eq!(&text[stupid.start..stupid.end], "s t u p i d");
    }
}
