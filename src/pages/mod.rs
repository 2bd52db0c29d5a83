//! One route per file.

mod explore;
mod home;
mod not_found;

pub use explore::Explore;
pub use home::Home;
pub use not_found::NotFound;
