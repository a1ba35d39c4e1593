//! EPUB writer: model -> XHTML + CSS -> epub-builder.
