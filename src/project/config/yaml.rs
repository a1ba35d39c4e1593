//! pandoc-style YAML metadata as written: YAML text -> a [`Table`] whose every key and value
//! knows its line (saphyr's `MarkedYaml` keeps a span on every node).

use std::path::Path;

use saphyr::{LoadableYamlNode, MarkedYaml, Marker, Scalar, YamlData};

use super::{Entry, Key, Node, Table, Value};
use crate::diagnostic::Location;
use crate::project::ProjectError;

/// Parses `yaml`, which starts on line `first_line` of `path` (front matter starts on line 2).
/// Empty YAML is an empty table; YAML that is not a map is an error.
pub(super) fn read(path: &Path, yaml: &str, first_line: usize) -> Result<Table, ProjectError> {
    let at = |m: &Marker| Location::at(path, m.line() + first_line - 1, m.col() + 1);
    let docs = MarkedYaml::load_from_str(yaml).map_err(|e| ProjectError::Config {
        location: at(e.marker()),
        message: format!("the YAML cannot be read: {}", e.info()),
    })?;
    let Some(doc) = docs.first() else {
        return Ok(Table::new());
    };
    match node(doc, &at).value {
        Value::Table(t) => Ok(t),
        Value::Null => Ok(Table::new()),
        _ => Err(ProjectError::Config {
            location: at(&doc.span.start),
            message: "the YAML metadata must be a map of keys (`title: ...`), not a list or a single value".into(),
        }),
    }
}

fn node(n: &MarkedYaml<'_>, at: &impl Fn(&Marker) -> Location) -> Node {
    let value = match &n.data {
        YamlData::Value(s) => scalar(s),
        // Scalars are resolved when loading; this is only a fallback.
        YamlData::Representation(text, _, _) => Value::Text(text.to_string()),
        YamlData::Sequence(items) => Value::List(items.iter().map(|i| node(i, at)).collect()),
        YamlData::Mapping(map) => Value::Table(
            map.iter()
                .map(|(k, v)| Entry {
                    key: Key {
                        name: key_name(k),
                        at: at(&k.span.start),
                    },
                    node: node(v, at),
                })
                .collect(),
        ),
        // A tag (`!!str`, pandoc's `!expr`...) does not change what the value says.
        YamlData::Tagged(_, inner) => return node(inner, at),
        YamlData::Alias(_) | YamlData::BadValue => Value::Null,
    };
    Node {
        value,
        at: at(&n.span.start),
    }
}

fn scalar(s: &Scalar<'_>) -> Value {
    match s {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::Integer(*i),
        Scalar::FloatingPoint(f) => Value::Float(f.into_inner()),
        Scalar::String(t) => Value::Text(t.to_string()),
    }
}

/// A key as text (YAML allows numbers, even lists, as keys; metadata keys are words).
fn key_name(k: &MarkedYaml<'_>) -> String {
    match &k.data {
        YamlData::Value(Scalar::String(t)) => t.to_string(),
        YamlData::Value(Scalar::Integer(i)) => i.to_string(),
        YamlData::Value(Scalar::Boolean(b)) => b.to_string(),
        YamlData::Value(Scalar::FloatingPoint(f)) => f.to_string(),
        YamlData::Representation(text, _, _) => text.to_string(),
        _ => "?".to_string(),
    }
}
