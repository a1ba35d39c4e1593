//! Typesetting: model -> shaped, broken, paginated pages.

pub mod document;
