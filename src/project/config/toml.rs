//! book.toml as written: TOML text -> a [`Table`] whose every key and value knows its line.
//!
//! `toml`'s span-keeping parser (`DeTable`) is used rather than serde structs: serde's
//! `flatten` (the only way to collect unknown keys) loses the spans, and every key's place is
//! needed, for unknown keys and for the diagnostics about a setting.

use std::path::Path;

use ::toml::de::{DeTable, DeValue};
use ::toml::Spanned;

use super::{Entry, Key, Node, Table, Value};
use crate::diagnostic::Location;
use crate::project::ProjectError;

/// Parses `text` (the contents of `path`); a syntax error points at its line and column.
pub(super) fn read(path: &Path, text: &str) -> Result<Table, ProjectError> {
    let root = DeTable::parse(text).map_err(|e| ProjectError::Config {
        location: match e.span() {
            Some(span) => Location::at_offset(path, text, span.start),
            None => Location::file(path),
        },
        message: e.message().trim().to_string(),
    })?;
    let at = |offset: usize| Location::at_offset(path, text, offset);
    Ok(table(root.get_ref(), &at))
}

/// The entries in file order (`DeTable` keeps them sorted by name).
fn table(t: &DeTable<'_>, at: &impl Fn(usize) -> Location) -> Table {
    let mut entries: Table = t
        .iter()
        .map(|(k, v)| Entry {
            key: Key {
                name: k.get_ref().to_string(),
                at: at(k.span().start),
            },
            node: node(v, at),
        })
        .collect();
    entries.sort_by(|a, b| a.key.at.cmp(&b.key.at));
    entries
}

fn node(v: &Spanned<DeValue<'_>>, at: &impl Fn(usize) -> Location) -> Node {
    let value = match v.get_ref() {
        DeValue::String(s) => Value::Text(s.to_string()),
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Value::Integer(n),
            // Out of i64's range: no setting takes such a number, say so as for any number.
            Err(_) => Value::Float(f64::INFINITY),
        },
        DeValue::Float(f) => Value::Float(f.as_str().replace('_', "").parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::Date(d.to_string()),
        DeValue::Array(items) => Value::List(items.iter().map(|i| node(i, at)).collect()),
        DeValue::Table(t) => Value::Table(table(t, at)),
    };
    Node {
        value,
        at: at(v.span().start),
    }
}
