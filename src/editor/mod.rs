//! Pure editor logic: the document, its changes and their undo, the graph derived from the
//! model, its layered layout, the geometry of the canvas, the palette's items, and the code ↔
//! model sync; copy/paste of states and share links; the static HTML of often-drawn parts (`markup`). No UI imports: everything here tests natively.

pub mod change;
pub mod document;
pub mod geometry;
pub mod scope;
pub mod sync;
pub mod reread;
pub mod history;
pub mod session;
pub mod graph;
pub mod layout;
pub mod text;
pub mod placement;
pub mod palette;
pub mod convert;
pub mod edit;
pub mod clipboard;
pub mod share;
pub mod fields;
pub mod markup;
pub mod selection;
pub mod workspace;
pub mod gesture;
pub mod panes;
pub mod minimap;
pub mod drawn;
