//! The WASM build in headless Chromium: the engine gives the same answers as natively, and the app
//! mounts with the seed's order workflow as the current document.
#![cfg(target_arch = "wasm32")]

use statecraft::editor::document::Document;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_seed_document_parses_in_wasm() {
    let doc = Document::seed();
    assert_eq!(doc.syntax_error(), None);
    let names: Vec<String> = doc.states().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["ValidateInput", "CheckValidation", "ProcessData", "SendNotification", "HandleError"]);
}

#[wasm_bindgen_test]
fn json_errors_are_located_in_wasm() {
    let err = statecraft::asl::json::parse("{\n  \"a\": tru\n}").unwrap_err();
    assert_eq!(err.line, 2);
}

#[wasm_bindgen_test]
async fn the_app_mounts_with_the_seed_loaded() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("section").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let _handle = leptos::mount::mount_to(host.clone().unchecked_into(), statecraft::ui::App);
    leptos::task::tick().await;

    let text = |selector: &str| host.query_selector(selector).unwrap().expect(selector).text_content().unwrap();
    assert_eq!(text("[data-testid=doc-name]"), "OrderProcessingWorkflow");
    let states = host.query_selector_all("[data-testid=state]").unwrap();
    assert_eq!(states.length(), 5);
    let first = states.item(0).unwrap().text_content().unwrap();
    assert!(first.contains("ValidateInput") && first.contains("Start"), "{first}");
    assert!(text("[data-testid=asl-code]").contains("arn:aws:lambda:eu-west-3:ACCOUNT_ID:function:ProcessData"));
}
