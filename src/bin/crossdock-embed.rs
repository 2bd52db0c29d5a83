//! Crossdock's partner embed (`embed.html`, served at `/embed/listing/{id}` and
//! `/embed/search`, framed on other sites by `public/embed.js`): mounts
//! [`crossdock::embed::EmbedApp`].

fn main() {
    leptos::mount::mount_to_body(crossdock::embed::EmbedApp);
}
