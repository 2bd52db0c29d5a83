//! The delivery explorer's state: the query (mirrored in the URL both ways), the clock,
//! and the estimate derived from them.

use std::sync::Arc;
use std::time::Duration;

use crossdock_core::{Instant, Network};
use leptos::prelude::*;

use crate::browser::now_unix;
use crate::model::estimate::{Estimate, estimate};
use crate::model::query::ExploreQuery;
use crate::state::clock::Clock;
use crate::state::url::{Nav, use_url};

/// Path of the explorer page.
pub const EXPLORE_PATH: &str = "/explore";

/// A `Copy` handle on the explorer's state. Create it with [`ExploreState::new`]; hand it to the explorer's components as a prop.
#[derive(Clone, Copy)]
pub struct ExploreState {
    net: StoredValue<Arc<Network>>,
    query: RwSignal<ExploreQuery>,
    notices: RwSignal<Vec<String>>,
    /// The wall clock, in Unix seconds, ticking every second.
    clock: RwSignal<i64>,
    estimate: Memo<Estimate>,
}

impl ExploreState {
    /// Reads the network.
    pub fn with_net<R>(&self, f: impl FnOnce(&Network) -> R) -> R {
        self.net.with_value(|n| f(n))
    }

    /// Reads the query (reactive).
    pub fn with<R>(&self, f: impl FnOnce(&ExploreQuery) -> R) -> R {
        self.query.with(f)
    }

    /// Changes the query; the URL follows.
    pub fn update(&self, f: impl FnOnce(&mut ExploreQuery, &Network)) {
        let net = self.net.get_value();
        self.query.update(|q| f(q, &net));
    }

    /// Notices about values of the link that could not be used (reactive).
    pub fn notices(&self) -> Vec<String> {
        self.notices.get()
    }

    /// Hides the notices.
    pub fn dismiss_notices(&self) {
        self.notices.set(Vec::new());
    }

    /// The estimate for the current query and order time (reactive).
    pub fn estimate(&self) -> Memo<Estimate> {
        self.estimate
    }

    /// The instant the order is placed, to the second: the chosen time, or now (reactive;
    /// ticks every second when live).
    pub fn order_time(&self) -> i64 {
        match self.query.with(|q| q.at) {
            Some(at) => at.unix(),
            None => self.clock.get(),
        }
    }

    /// The clock the explorer's countdowns tick with: the order time.
    pub fn clock(&self) -> Clock {
        let state = *self;
        Clock {
            now: Signal::derive(move || state.order_time()),
            live: Signal::derive(move || state.is_live()),
        }
    }

    /// Whether the order time is now (live).
    pub fn is_live(&self) -> bool {
        self.query.with(|q| q.at.is_none())
    }

    /// Sets up the explorer's state from the URL, keeps the two in step (the URL is replaced,
    /// not pushed, as inputs change), and starts the clock.
    pub fn new(net: Arc<Network>) -> ExploreState {
        let url = use_url();
        let parse = {
            let net = net.clone();
            move || url.with(|l| ExploreQuery::parse(&net, |k| l.query.get(k)))
        };
        let (initial, initial_notices) = untrack(&parse);
        let query = RwSignal::new(initial);
        let notices = RwSignal::new(initial_notices);

        // Only while the URL is the explorer's: leaving the page must not bring it back.
        let on_page = move || url.with_untracked(|l| l.path == EXPLORE_PATH);
        // The URL changed (a link, back/forward): follow it.
        Effect::new(move |_| {
            let (q, n) = parse();
            if !on_page() {
                return;
            }
            let differs = query.with_untracked(|cur| cur.to_query_string() != q.to_query_string());
            if differs {
                query.set(q);
                notices.set(n);
            }
        });
        // The state changed: write it to the URL.
        Effect::new(move |_| {
            let qs = query.with(|q| q.to_query_string());
            if !on_page() {
                return;
            }
            let current = url.with_untracked(|l| l.search.clone());
            if current.trim_start_matches('?') != qs {
                url.navigate(&format!("{EXPLORE_PATH}?{qs}"), Nav::Replace);
            }
        });

        let clock = RwSignal::new(now_unix());
        if let Ok(handle) =
            set_interval_with_handle(move || clock.set(now_unix()), Duration::from_secs(1))
        {
            on_cleanup(move || handle.clear());
        }
        // The engine works to the minute (cut-offs are whole minutes), so a live quote is
        // recomputed once a minute, not on every tick.
        let engine_now = Memo::new(move |_| match query.with(|q| q.at) {
            Some(at) => at.unix(),
            None => clock.get().div_euclid(60) * 60,
        });
        let stored = StoredValue::new(net);
        let estimate = Memo::new(move |_| {
            let secs = engine_now.get();
            stored.with_value(|net| {
                query.with(|q| match Instant::from_unix(secs) {
                    Ok(now) => estimate(net, q, now),
                    Err(e) => Estimate {
                        errors: Default::default(),
                        postal: None,
                        quote: Some(Err(format!("The order time is {e}."))),
                    },
                })
            })
        });
        ExploreState {
            net: stored,
            query,
            notices,
            clock,
            estimate,
        }
    }
}
