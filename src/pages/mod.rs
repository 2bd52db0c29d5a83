//! One route per file.

mod cart;
mod explore;
mod listing;
mod not_found;
mod seller;
mod storefront;

pub use cart::Cart;
pub use explore::Explore;
pub use listing::ListingPage;
pub use not_found::NotFound;
pub use seller::SellerPanel;
pub use storefront::Storefront;
