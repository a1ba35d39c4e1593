//! Typesetting: model -> shaped, broken, paginated pages.

pub mod blocks;
pub mod document;
pub mod fonts;
pub mod hyphenate;
pub mod linebreak;
pub mod paginate;
pub mod paragraph;
pub mod shape;

#[derive(Debug, thiserror::Error)]
pub enum TypesetError {
    #[error("the bundled font `{0}` could not be read")]
    Font(&'static str),
}
