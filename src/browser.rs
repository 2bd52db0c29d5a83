//! The few things only a browser knows: the clock, the local time zone, and
//! `Intl.NumberFormat`. Off the browser (native tests) each has a plain stand-in.

use crossdock_core::Money;

/// Seconds since the Unix epoch, now.
#[cfg(target_arch = "wasm32")]
pub fn now_unix() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

/// Seconds since the Unix epoch, now.
#[cfg(not(target_arch = "wasm32"))]
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(0))
        .unwrap_or(0)
}

/// The browser's UTC offset at `unix` seconds, in minutes east of UTC.
#[cfg(target_arch = "wasm32")]
pub fn local_offset_min(unix: i64) -> i32 {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix as f64 * 1000.0));
    let west = d.get_timezone_offset();
    if west.is_finite() { -(west as i32) } else { 0 }
}

/// The browser's UTC offset at `unix` seconds, in minutes east of UTC.
#[cfg(not(target_arch = "wasm32"))]
pub fn local_offset_min(_unix: i64) -> i32 {
    0
}

/// An amount in the market's currency and locale ("$5.99", "5,99 €", "₩7,500"), by
/// `Intl.NumberFormat` given the exact decimal string (no floating point). Falls back to
/// "5.99 USD" when the browser cannot format it.
pub fn format_money(m: &Money, locale: &str) -> String {
    intl_money(m, locale).unwrap_or_else(|| m.to_string())
}

#[cfg(target_arch = "wasm32")]
fn intl_money(m: &Money, locale: &str) -> Option<String> {
    use js_sys::{Array, Function, Object, Reflect};
    use std::cell::RefCell;
    use wasm_bindgen::{JsCast, JsValue};

    thread_local! {
        /// Formatters by (locale, currency): building one costs more than using it.
        static CACHE: RefCell<Vec<(String, String, Function, JsValue)>> = const { RefCell::new(Vec::new()) };
    }
    let code = m.currency().code.as_str().to_string();
    let cached = CACHE.with(|c| {
        c.borrow()
            .iter()
            .find(|(l, k, _, _)| l == locale && *k == code)
            .map(|(_, _, f, nf)| (f.clone(), nf.clone()))
    });
    let (format, nf) = match cached {
        Some(x) => x,
        None => {
            let intl = Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
            let ctor: Function = Reflect::get(&intl, &JsValue::from_str("NumberFormat"))
                .ok()?
                .dyn_into()
                .ok()?;
            let options = Object::new();
            Reflect::set(&options, &"style".into(), &"currency".into()).ok()?;
            Reflect::set(&options, &"currency".into(), &JsValue::from_str(&code)).ok()?;
            let nf = Reflect::construct(&ctor, &Array::of2(&JsValue::from_str(locale), &options))
                .ok()?;
            let format: Function = Reflect::get(&nf, &"format".into()).ok()?.dyn_into().ok()?;
            CACHE.with(|c| {
                c.borrow_mut()
                    .push((locale.to_string(), code.clone(), format.clone(), nf.clone()))
            });
            (format, nf)
        }
    };
    format
        .call1(&nf, &JsValue::from_str(&m.to_decimal_string()))
        .ok()?
        .as_string()
}

#[cfg(not(target_arch = "wasm32"))]
fn intl_money(_m: &Money, _locale: &str) -> Option<String> {
    None
}

/// A value remembered in `localStorage` (`None` off the browser, or when storage is off).
pub fn storage_get(key: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()?
            .local_storage()
            .ok()??
            .get_item(key)
            .ok()?
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = key;
        None
    }
}

/// Remembers a value in `localStorage` (quietly does nothing when storage is off).
pub fn storage_set(key: &str, value: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(Ok(Some(s))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = s.set_item(key, value);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (key, value);
}

/// The browser's preferred language ("en-US"), or "" when unknown.
pub fn language() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.navigator().language())
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        String::new()
    }
}

/// Sets the document's title (what the tab and the history show).
pub fn set_title(title: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(title);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = title;
}

/// Waits `ms` milliseconds (a `setTimeout`); returns at once off the browser or when the
/// timer cannot be set.
pub async fn sleep_ms(ms: u32) {
    #[cfg(target_arch = "wasm32")]
    {
        let Some(window) = web_sys::window() else {
            return;
        };
        let delay = i32::try_from(ms).unwrap_or(i32::MAX);
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            if window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, delay)
                .is_err()
            {
                let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
            }
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = ms;
}
