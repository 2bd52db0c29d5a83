//! View pieces of the seller panel, one public component per file.

mod audit_log;
mod conflict_view;
mod csv_import;
mod inbound;
mod margin_chart;
mod mode_columns;
mod panel_header;
mod promotions;
mod stock_table;

pub use audit_log::AuditLog;
pub use conflict_view::ConflictView;
pub use csv_import::CsvImport;
pub use inbound::InboundShipments;
pub use margin_chart::MarginChart;
pub use mode_columns::{ModeColumns, mode_slug, money_text};
pub use panel_header::PanelHeader;
pub use promotions::{PromotionList, PromotionRow};
pub use stock_table::StockTable;
