//! Typesetting: model -> shaped, broken, paginated pages.
