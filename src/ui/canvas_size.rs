//! The canvas's size in pixels, kept by a `ResizeObserver` (which reports after the browser's
//! layout) instead of read from `clientWidth` when it is needed: a read in the middle of an
//! update (opening a big definition changes the code editor's DOM and the canvas's) forces the
//! browser to lay the whole page out there and then, and again once the update is done.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Observes `el` once it is in the page; the size reader it gives follows the element's size
/// (tracked: what reads it in a memo or effect runs again on a resize). Until the first report,
/// the reader asks the element itself.
pub fn observe(el: NodeRef<leptos::html::Section>) -> impl Fn() -> Option<(f64, f64)> + Copy + Send + Sync + 'static {
    let measured = RwSignal::new(None::<(f64, f64)>);
    type Observer = (js_sys::Object, Closure<dyn FnMut(js_sys::Array)>);
    let held: StoredValue<Option<Observer>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        let Some(target) = el.get() else { return };
        if held.with_value(Option::is_some) {
            return;
        }
        let element: web_sys::Element = target.clone().into();
        let report = Closure::<dyn FnMut(js_sys::Array)>::new(move |_: js_sys::Array| {
            let size = (element.client_width() as f64, element.client_height() as f64);
            if measured.try_with_untracked(|m| *m != Some(size)).unwrap_or(false) {
                measured.set(Some(size));
            }
        });
        let observer = (|| {
            let class = js_sys::Reflect::get(&js_sys::global(), &"ResizeObserver".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
            let observer: js_sys::Object = js_sys::Reflect::construct(&class, &js_sys::Array::of1(report.as_ref())).ok()?.into();
            let observe = js_sys::Reflect::get(&observer, &"observe".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
            observe.call1(&observer, &target).ok()?;
            Some(observer)
        })();
        // (Without ResizeObserver the reader keeps asking the element.)
        if let Some(observer) = observer {
            held.set_value(Some((observer, report)));
        }
    });
    on_cleanup(move || {
        if let Some(Some((observer, _))) = held.try_update_value(Option::take) {
            if let Ok(disconnect) = js_sys::Reflect::get(&observer, &"disconnect".into()).and_then(|f| f.dyn_into::<js_sys::Function>().map_err(Into::into)) {
                let _ = disconnect.call0(&observer);
            }
        }
    });
    move || measured.get().or_else(|| el.get_untracked().map(|d| (d.client_width() as f64, d.client_height() as f64)))
}
