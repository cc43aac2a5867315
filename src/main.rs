//! The web app's entry point: installs the panic hook and mounts the app. Nothing else.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(statecraft::ui::App);
}
