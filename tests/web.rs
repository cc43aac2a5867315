//! The WASM build in headless Chromium: the engine gives the same answers as natively, and the app
//! mounts with the seed's order workflow drawn on the canvas and in the code pane.
#![cfg(target_arch = "wasm32")]

use statecraft::editor::document::Document;
use statecraft::editor::graph::derive;
use statecraft::editor::layout::layout;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_seed_document_parses_and_lays_out_in_wasm() {
    let doc = Document::seed();
    assert!(doc.syntax_error().is_none());
    let names: Vec<&str> = doc.machine().states.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["ValidateInput", "CheckValidation", "ProcessData", "SendNotification", "HandleError"]);
    let scene = layout(&derive(doc.machine()));
    assert_eq!(scene.nodes.len(), 7);
    assert_eq!(scene.edges.len(), 9);
}

#[wasm_bindgen_test]
fn json_errors_are_located_in_wasm() {
    let err = statecraft::asl::json::parse("{\n  \"a\": tru\n}").unwrap_err();
    assert_eq!(err.line, 2);
}

/// Waits `ms` milliseconds (IndexedDB answers in tasks of its own, not in microtasks).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn the_app_mounts_with_the_seed_loaded() {
    use leptos::prelude::*;
    use statecraft::ui::App;
    let window = web_sys::window().unwrap();
    // A fresh start: no document stored by an earlier run.
    let _ = window.local_storage().unwrap().unwrap().clear();
    let _ = window.session_storage().unwrap().unwrap().clear();
    let _ = window.indexed_db().unwrap().unwrap().delete_database("statecraft");
    let document = window.document().unwrap();
    let host = document.create_element("section").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let loaded = std::rc::Rc::new(std::cell::RefCell::new(None));
    let into = loaded.clone();
    statecraft::ui::load(move |l| *into.borrow_mut() = Some(l));
    for _ in 0..250 {
        if loaded.borrow().is_some() {
            break;
        }
        sleep(20).await;
    }
    let loaded = loaded.borrow_mut().take().expect("the workspace loads");
    // The parts loaded after the first paint, as plain calls (the page's are its split points).
    statecraft::ui::lazy::install(statecraft::ui::lazy::plain());
    let _handle = leptos::mount::mount_to(host.clone().unchecked_into(), move || view! { <App loaded/> });
    leptos::task::tick().await;

    let text = |selector: &str| host.query_selector(selector).unwrap().expect(selector).text_content().unwrap();
    assert_eq!(text("[data-testid=doc-name]"), "OrderProcessingWorkflow");
    let states = host.query_selector_all(".canvas [data-state-name]").unwrap();
    assert_eq!(states.length(), 5);
    let first: web_sys::Element = states.item(0).unwrap().unchecked_into();
    assert_eq!(first.get_attribute("data-state-name").as_deref(), Some("ValidateInput"));
    // Its accessible name is its content: name, kind (said, not drawn), then the summary the
    // node shows (its Lambda function); no aria-label that would differ from what is seen.
    assert_eq!(first.get_attribute("aria-label"), None);
    let spoken = first.query_selector(".node-text").unwrap().expect("a node's text").text_content().unwrap();
    assert_eq!(spoken, "ValidateInput (Task): λ ValidateInput");
    // The code editor comes after the first paint (its bundle is fetched then); the wasm tests
    // load no scripts, so the plain textarea stands in once the fetch has been given up.
    let mut code = None;
    for _ in 0..250 {
        code = host.query_selector("[data-testid=asl-code]").unwrap();
        if code.is_some() {
            break;
        }
        sleep(20).await;
    }
    let code: web_sys::HtmlTextAreaElement = code.expect("the code pane's textarea within 5 s").unchecked_into();
    assert!(code.value().contains("arn:aws:lambda:eu-west-3:ACCOUNT_ID:function:ProcessData"));
}

/// The simulator in wasm: the seed's three scenarios take the course's branches, with its
/// messages, and the JSONata twin of the workflow (the JSONata engine compiled to wasm) agrees
/// with the JSONPath one field by field.
#[wasm_bindgen_test]
fn the_seed_scenarios_run_in_wasm_in_both_query_languages() {
    use statecraft::sim::batch::Simulator;
    use statecraft::sim::handler::HandlerSet;
    use statecraft::sim::scenario::seed_scenarios;
    let jsonpath = Simulator::new(statecraft::seed::ORDER_WORKFLOW, &HandlerSet::new()).expect("JSONPath seed");
    let jsonata = Simulator::new(statecraft::seed::ORDER_WORKFLOW_JSONATA, &HandlerSet::new()).expect("JSONata seed");
    let expected = [
        (["ValidateInput", "CheckValidation", "ProcessData", "SendNotification"].as_slice(), "confirmée"),
        (["ValidateInput", "CheckValidation", "HandleError"].as_slice(), "Champ manquant: amount"),
        (["ValidateInput", "CheckValidation", "HandleError"].as_slice(), "Le montant doit être positif"),
    ];
    for (scenario, (path, text)) in seed_scenarios().iter().zip(expected) {
        let input = scenario.parsed_input().unwrap();
        let a = jsonpath.run(input.clone(), 7);
        let b = jsonata.run(input, 7);
        assert_eq!(a.status, "SUCCEEDED", "{}", scenario.name);
        assert_eq!(a.path(), path, "{}", scenario.name);
        let output = serde_json::to_string(a.output.as_deref().unwrap()).unwrap();
        assert!(output.contains(text), "{}: {output}", scenario.name);
        assert_eq!(b.status, a.status, "{}", scenario.name);
        assert_eq!(b.path(), a.path(), "{}", scenario.name);
        assert_eq!(b.output, a.output, "{}", scenario.name);
    }
}
