//! Pure editor logic: the document being edited and, in later modules, changes, undo/redo, the
//! graph, layout, geometry and code sync. No UI imports: everything here tests natively.

pub mod document;
