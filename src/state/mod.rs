//! Shared state: context pairs handing out `Copy` handles.

pub mod cart;
pub mod clock;
pub mod destination;
pub mod explore;
pub mod load;
pub mod network;
pub mod session;
pub mod url;
