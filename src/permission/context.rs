//! The request context: the values of condition keys (`g:UserName`, `g:CurrentTime`, ...) for one
//! request. Keys compare without case; a key may have several values (`g:ResourceTag/...`).

use std::collections::BTreeMap;

/// Condition keys and their values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestContext {
    values: BTreeMap<String, Vec<String>>,
}

impl RequestContext {
    /// Adds a value to a key (keys may repeat).
    pub fn insert(&mut self, key: &str, value: &str) {
        self.values
            .entry(key.to_lowercase())
            .or_default()
            .push(value.to_owned());
    }

    /// Sets a key's value unless the context already has one.
    pub fn insert_default(&mut self, key: &str, value: &str) {
        self.values
            .entry(key.to_lowercase())
            .or_insert_with(|| vec![value.to_owned()]);
    }

    /// The values of a key, if it is present.
    pub fn values(&self, key: &str) -> Option<&Vec<String>> {
        self.values.get(&key.to_lowercase())
    }

    /// Parses `KEY=VALUE` (as the CLI's `--context` gives it).
    pub fn insert_pair(&mut self, pair: &str) -> Option<()> {
        let (key, value) = pair.split_once('=')?;
        (!key.trim().is_empty()).then(|| self.insert(key.trim(), value))
    }
}
