//! Shared state: context pairs handing out `Copy` handles.

pub mod explore;
pub mod network;
