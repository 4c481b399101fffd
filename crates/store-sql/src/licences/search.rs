//! Searching the licence register fast at a national size (a million licences) on both databases
//! with the same SQL: a word index of our own, because neither SQLite's trigram FTS nor
//! PostgreSQL's pg_trgm finds the one- and two-character Chinese queries people type (泵, 阀门;
//! docs STACK.md), and a `LIKE '%…%'` scan of a million rows is far too slow.
//!
//! Terms, from the number, the holder's name and credit code and the scope, case and width
//! folded: every Chinese character and every pair of neighbouring ones; every word of letters and
//! digits, and for a word of letters then digits (`xk06`, `ts2721001`) also its digits. A query
//! is split at spaces into parts; each part's terms are its Chinese characters (one alone) or
//! pairs, and its words as prefixes. The store drives the search from the rarest term's postings
//! and keeps only the licences whose text holds every part: exact, and as fast as that term is rare.

use std::collections::BTreeSet;

use onewindow_domain::licences::Licence;

/// One term of a query.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Term {
    Exact(String),
    /// Every term starting with this word.
    Prefix(String),
}

/// A parsed query: its terms and the folded parts the text must contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Query {
    pub terms: Vec<Term>,
    pub parts: Vec<String>,
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

/// Full-width ASCII to ASCII, capitals to small letters; brackets dropped, so `（辽）XK` and
/// `辽XK` read alike.
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .filter(|c| !matches!(c, '(' | ')' | '【' | '】'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The runs of Chinese characters and the words of letters and digits in folded text.
enum Run<'a> {
    Chinese(Vec<char>),
    Word(&'a str),
}

fn runs(folded: &str) -> Vec<Run<'_>> {
    let mut out = Vec::new();
    let mut chinese = Vec::new();
    let mut word_start: Option<usize> = None;
    for (i, c) in folded.char_indices() {
        if let Some(start) = word_start
            && !c.is_ascii_alphanumeric()
        {
            out.push(Run::Word(&folded[start..i]));
            word_start = None;
        }
        if is_cjk(c) {
            chinese.push(c);
            continue;
        }
        if !chinese.is_empty() {
            out.push(Run::Chinese(std::mem::take(&mut chinese)));
        }
        if c.is_ascii_alphanumeric() && word_start.is_none() {
            word_start = Some(i);
        }
    }
    if let Some(start) = word_start {
        out.push(Run::Word(&folded[start..]));
    }
    if !chinese.is_empty() {
        out.push(Run::Chinese(chinese));
    }
    out
}

/// The text a licence is matched against, folded like a query part.
pub(crate) fn search_text(licence: &Licence) -> String {
    let g = &licence.grant;
    [
        fold(&licence.number.to_string()),
        fold(&g.holder_name),
        fold(g.holder_credit_code.as_str()),
        fold(&g.scope.join("\n")),
    ]
    .join("\n")
}

/// Every term a licence is found by.
pub(crate) fn index_terms(licence: &Licence) -> BTreeSet<String> {
    let mut terms = BTreeSet::new();
    for run in runs(&search_text(licence)) {
        match run {
            Run::Chinese(chars) => {
                terms.extend(chars.iter().map(char::to_string));
                terms.extend(chars.windows(2).map(|w| w.iter().collect::<String>()));
            }
            Run::Word(word) => {
                terms.insert(word.to_owned());
                // `xk06` is also found by `06`: people type the codes without the letters.
                let digits = word.trim_start_matches(|c: char| c.is_ascii_alphabetic());
                if digits.len() < word.len() && digits.starts_with(|c: char| c.is_ascii_digit()) {
                    terms.insert(digits.to_owned());
                }
            }
        }
    }
    terms
}

/// The terms and parts of what was typed; both empty when it holds nothing to search by.
pub(crate) fn parse_query(text: &str) -> Query {
    let mut terms = BTreeSet::new();
    let mut parts = Vec::new();
    for part in text.split_whitespace().map(fold) {
        for run in runs(&part) {
            match run {
                Run::Chinese(chars) if chars.len() == 1 => {
                    terms.insert(Term::Exact(chars[0].to_string()));
                }
                Run::Chinese(chars) => terms.extend(
                    chars
                        .windows(2)
                        .map(|w| Term::Exact(w.iter().collect::<String>())),
                ),
                Run::Word(word) => {
                    terms.insert(Term::Prefix(word.to_owned()));
                }
            }
        }
        if !part.is_empty() && !parts.contains(&part) {
            parts.push(part);
        }
    }
    Query {
        terms: terms.into_iter().collect(),
        parts,
    }
}

impl Query {
    /// Whether the one term alone decides a match: a single part that is exactly one Chinese
    /// character, one pair, or one word (a word's prefix match implies the substring). Then no
    /// licence text needs reading.
    pub fn decided_by_term(&self) -> bool {
        match (self.terms.as_slice(), self.parts.as_slice()) {
            ([Term::Exact(t) | Term::Prefix(t)], [part]) => t == part,
            _ => false,
        }
    }
}

/// A `LIKE` pattern matching `part` anywhere, with `%`, `_` and `\` taken literally.
pub(crate) fn contains_pattern(part: &str) -> String {
    let mut pattern = String::from("%");
    for c in part.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The exclusive upper end of the range of words starting with `prefix`: words are ASCII letters
/// and digits, all below `~`.
pub(crate) fn prefix_end(prefix: &str) -> String {
    format!("{prefix}~")
}

#[cfg(test)]
mod tests {
    use super::*;
    use onewindow_domain::catalogue::{CatalogueCode, OrgCode};
    use onewindow_domain::identifiers::{CreditCode, LicenceNumber};
    use onewindow_domain::licences::{LicenceGrant, LicenceType};

    fn licence() -> Licence {
        Licence {
            number: LicenceNumber::parse("（辽）XK06-014-00042").expect("number"),
            grant: LicenceGrant {
                licence_type: LicenceType::IndustrialProduct,
                item_code: CatalogueCode::parse("BS-XK-0101-001-XB").expect("code"),
                holder_name: "大连海通阀门制造有限公司".into(),
                holder_credit_code: CreditCode::parse("91110000600037341L").expect("code"),
                production_address: "大连市".into(),
                scope: vec!["泵".into(), "管件 B级".into()],
                issued_on: "2026-01-01".parse().expect("date"),
                valid_until: "2030-12-31".parse().expect("date"),
                issuing_org: OrgCode::parse("210200").expect("org"),
                case_number: "2026-000001".into(),
            },
            events: Vec::new(),
        }
    }

    /// Whether the licence is found by `query` the way the store searches: every term present
    /// (prefixes as prefixes) and every part in the text.
    fn found(query: &str) -> bool {
        let l = licence();
        let terms = index_terms(&l);
        let text = search_text(&l);
        let q = parse_query(query);
        !q.terms.is_empty()
            && q.terms.iter().all(|t| match t {
                Term::Exact(e) => terms.contains(e),
                Term::Prefix(p) => terms.iter().any(|t| t.starts_with(p.as_str())),
            })
            && q.parts.iter().all(|p| text.contains(p.as_str()))
    }

    #[test]
    fn the_register_is_found_by_what_people_type() {
        for query in [
            "泵",
            "阀门",
            "海通阀门",
            "大连 阀门",
            "（辽）XK06-014-00042",
            "(辽)xk06-014-00042",
            "XK06-014",
            "06-014-00042",
            "00042",
            "９１１１００００",
            "91110000600037341L",
            "管件",
            "b级",
        ] {
            assert!(found(query), "{query}");
        }
        for query in ["阀泵", "海通 有限公司 沈阳", "XK07", "K06", "%", "-"] {
            assert!(!found(query), "{query}");
        }
    }

    #[test]
    fn terms_are_characters_pairs_and_words() {
        let terms = index_terms(&licence());
        for t in [
            "泵",
            "阀",
            "阀门",
            "xk06",
            "06",
            "014",
            "00042",
            "91110000600037341l",
        ] {
            assert!(terms.contains(t), "{t}");
        }
        assert!(!terms.contains("门制造"), "no triples");
        assert!(!terms.contains("管件b"), "words and characters are apart");
    }

    #[test]
    fn one_character_pair_or_word_decides_alone() {
        for q in ["泵", "阀门", " xk13 ", "（泵）"] {
            assert!(parse_query(q).decided_by_term(), "{q}");
        }
        for q in ["海通阀门", "泵-", "xk13-006", "大连 阀门"] {
            assert!(!parse_query(q).decided_by_term(), "{q}");
        }
    }

    #[test]
    fn a_query_without_letters_digits_or_chinese_has_no_terms() {
        assert!(parse_query("- % ").terms.is_empty());
        assert_eq!(parse_query("- % ").parts, vec!["-", "%"]);
        assert_eq!(contains_pattern("100%_"), "%100\\%\\_%");
    }
}
