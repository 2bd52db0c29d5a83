//! Reusable view pieces, one public component per file.

mod countdown;
mod destination_fields;
mod destination_picker;
mod field;
mod fulfilment_fields;
mod link_notices;
mod listing_card;
mod load_error;
mod order_fields;
mod picture;
mod plan_summary;
mod product_fields;
mod results;
mod route_card;
mod route_table;
mod site_footer;
mod site_header;
mod timeline;

pub use countdown::Countdown;
pub use destination_fields::DestinationFields;
pub use destination_picker::DestinationPicker;
pub use field::Field;
pub use fulfilment_fields::FulfilmentFields;
pub use link_notices::LinkNotices;
pub use listing_card::ListingCard;
pub use load_error::LoadError;
pub use order_fields::OrderFields;
pub use picture::Picture;
pub use plan_summary::PlanSummary;
pub use product_fields::ProductFields;
pub use results::Results;
pub use route_card::RouteCard;
pub use route_table::RouteTable;
pub use site_footer::SiteFooter;
pub use site_header::SiteHeader;
pub use timeline::Timeline;
