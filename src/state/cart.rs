//! The cart: lines remembered in `localStorage`, shared by the header's count, the
//! listing page's button and the cart page.

use leptos::prelude::*;

use crate::browser::{storage_get, storage_set};
use crate::model::cart::{CartLine, add_line, decode_cart, encode_cart};

const KEY: &str = "crossdock.cart";

/// A `Copy` handle on the cart.
#[derive(Clone, Copy)]
pub struct CartHandle {
    lines: RwSignal<Vec<CartLine>>,
}

impl CartHandle {
    /// The lines (reactive).
    pub fn lines(&self) -> Vec<CartLine> {
        self.lines.get()
    }

    /// Units in the cart (reactive).
    pub fn count(&self) -> u32 {
        self.lines
            .with(|l| l.iter().fold(0u32, |a, x| a.saturating_add(x.qty)))
    }

    fn save(&self, f: impl FnOnce(&mut Vec<CartLine>)) {
        self.lines.update(|l| {
            f(l);
            storage_set(KEY, &encode_cart(l));
        });
    }

    /// Adds units of a listing.
    pub fn add(&self, id: &str, qty: u32) {
        self.save(|l| add_line(l, id, qty));
    }

    /// Sets a line's quantity (0 removes it).
    pub fn set_qty(&self, id: &str, qty: u32) {
        self.save(|l| {
            if qty == 0 {
                l.retain(|x| x.id != id);
            } else if let Some(x) = l.iter_mut().find(|x| x.id == id) {
                x.qty = qty.min(crate::model::cart::MAX_QTY);
            }
        });
    }
}

/// Reads the remembered cart and shares it.
pub fn provide_cart() -> CartHandle {
    let handle = CartHandle {
        lines: RwSignal::new(
            storage_get(KEY)
                .map(|s| decode_cart(&s))
                .unwrap_or_default(),
        ),
    };
    provide_context(handle);
    handle
}

/// The cart handle.
pub fn use_cart() -> CartHandle {
    use_context::<CartHandle>().unwrap_or_else(provide_cart)
}
