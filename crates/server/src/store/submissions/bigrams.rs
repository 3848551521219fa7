//! The index behind searches of one or two characters (migration 0007): each submission's characters
//! and pairs of adjacent characters, written as words of an FTS5 table, so that 电梯 or 养 is one word
//! to look up rather than a scan of every title and body.
//!
//! Only "index characters" (Chinese ideographs, ASCII letters and digits) make words; a term with any
//! other character is searched by a scan (`list.rs`), so the two can never disagree about a match.

use anyhow::Context;
use sqlx::{SqliteConnection, SqlitePool};

/// Rows indexed per statement while filling the index for rows stored before it existed.
const BACKFILL_CHUNK: i64 = 2_000;

/// Whether `c` makes words in the index: characters FTS5's `unicode61` tokenizer keeps whole (letters
/// and digits), limited to those our users search for, so the tokenizer and this file cannot differ.
fn is_index_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c,
            '\u{3400}'..='\u{4DBF}'     // CJK Extension A
            | '\u{4E00}'..='\u{9FFF}'   // CJK Unified Ideographs
            | '\u{F900}'..='\u{FAFF}'   // CJK Compatibility Ideographs
            | '\u{20000}'..='\u{3134F}' // CJK Extensions B–G
        )
}

/// The index's words for a title and body: every index character alone and every pair of adjacent
/// ones, each once, separated by spaces. Title and body are split apart, so no pair spans the two.
pub fn grams(title: &str, body: &str) -> String {
    let mut found: Vec<(char, Option<char>)> = Vec::new();
    for text in [title, body] {
        let mut previous: Option<char> = None;
        for c in text.chars() {
            if is_index_char(c) {
                let c = c.to_ascii_lowercase();
                found.push((c, None));
                if let Some(before) = previous {
                    found.push((before, Some(c)));
                }
                previous = Some(c);
            } else {
                previous = None;
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    let mut words = String::with_capacity(found.len() * 7);
    for (first, second) in found {
        if !words.is_empty() {
            words.push(' ');
        }
        words.push(first);
        words.extend(second);
    }
    words
}

/// The FTS5 query for a search term of one or two index characters, or `None` when the index cannot
/// answer it (longer, or with another character) and the caller must look elsewhere.
pub fn query(term: &str) -> Option<String> {
    let count = term.chars().count();
    let indexed = (1..=2).contains(&count) && term.chars().all(is_index_char);
    // A quoted word: never read as an operator (AND, OR, NOT) or a column name.
    indexed.then(|| format!("\"{}\"", term.to_ascii_lowercase()))
}

/// Indexes a new submission's text (rows written by `batch.rs` go in with its statement instead).
/// Replaces what was indexed for `id` before: a revision's old words must stop matching.
pub async fn replace(
    conn: &mut SqliteConnection,
    id: i64,
    title: &str,
    body: &str,
) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM submissions_bigrams WHERE rowid = ?")
        .bind(id)
        .execute(&mut *conn)
        .await
        .context("removing a submission's old search words")?;
    sqlx::query("INSERT INTO submissions_bigrams (rowid, grams) VALUES (?, ?)")
        .bind(id)
        .bind(grams(title, body))
        .execute(&mut *conn)
        .await
        .context("indexing a submission's search words")?;
    Ok(())
}

/// Indexes every submission stored before migration 0007, once: the step of that migration SQL alone
/// cannot do. Later starts find nothing to do.
pub async fn backfill(pool: &SqlitePool) -> anyhow::Result<()> {
    let pending: Option<i64> =
        sqlx::query_scalar("SELECT pending FROM submissions_bigrams_backfill LIMIT 1")
            .fetch_optional(pool)
            .await
            .context("checking whether the search index needs filling")?;
    if pending.is_none() {
        return Ok(());
    }
    let mut tx = pool
        .begin()
        .await
        .context("starting to fill the search index")?;
    sqlx::query("INSERT INTO submissions_bigrams (submissions_bigrams) VALUES ('delete-all')")
        .execute(&mut *tx)
        .await
        .context("emptying the search index")?;
    let mut after = 0i64;
    loop {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, title, body FROM submissions WHERE id > ? ORDER BY id LIMIT ?",
        )
        .bind(after)
        .bind(BACKFILL_CHUNK)
        .fetch_all(&mut *tx)
        .await
        .context("reading submissions to index")?;
        let Some((last, _, _)) = rows.last() else {
            break;
        };
        after = *last;
        let words: Vec<(i64, String)> = rows
            .iter()
            .map(|(id, title, body)| (*id, grams(title, body)))
            .collect();
        sqlx::query(
            "INSERT INTO submissions_bigrams (rowid, grams)
             SELECT value ->> 0, value ->> 1 FROM json_each(?)",
        )
        .bind(serde_json::to_string(&words).context("encoding search words")?)
        .execute(&mut *tx)
        .await
        .context("indexing submissions")?;
    }
    sqlx::query("DELETE FROM submissions_bigrams_backfill")
        .execute(&mut *tx)
        .await
        .context("marking the search index filled")?;
    tx.commit().await.context("committing the search index")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_each_character_and_each_adjacent_pair_once() {
        assert_eq!(grams("电梯", "加装电梯"), "加 加装 梯 电 电梯 装 装电");
    }

    #[test]
    fn no_pair_spans_punctuation_space_or_the_title_and_body() {
        let words = grams("养老", "服务，社区 5G基站");
        let words: Vec<&str> = words.split(' ').collect();
        for absent in ["老服", "务社", "区5", "区 5"] {
            assert!(!words.contains(&absent), "{absent} in {words:?}");
        }
        for present in ["养老", "服务", "社区", "5g", "g基", "基站"] {
            assert!(words.contains(&present), "{present} missing from {words:?}");
        }
    }

    #[test]
    fn only_short_terms_of_index_characters_use_the_index() {
        let cases = [
            ("电梯", Some("\"电梯\"")),
            ("养", Some("\"养\"")),
            ("5G", Some("\"5g\"")),
            ("OR", Some("\"or\"")),
            ("加装电梯", None),
            ("电，", None),
            ("é", None),
            ("\"", None),
        ];
        for (term, expected) in cases {
            assert_eq!(query(term).as_deref(), expected, "{term}");
        }
    }
}
