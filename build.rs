//! Links the page's wasm (`statecraft-web`) with its relocations kept (`--emit-relocs`): the
//! post-build split (`scripts/wasm-split.mjs`, wasm-split-cli) reads them to know which code
//! only the lazily loaded parts reach (`ui::lazy`). Nothing else is built differently.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo::rustc-link-arg-bin=statecraft-web=--emit-relocs");
    }
}
