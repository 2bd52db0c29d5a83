//! A small reproducible random number generator (SplitMix64) with integer draws only, so
//! a seed gives the same history on every machine. Not for cryptography.

/// SplitMix64: 64 bits of state, passes BigCrush, trivially seedable.
#[derive(Debug, Clone)]
pub struct Rng(u64);

/// One million: probabilities are given in parts per million.
pub const PPM: u32 = 1_000_000;

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// An independent stream for (`seed`, `stream`, `index`): draws for one shipment or
    /// one departure do not depend on how many draws were made before it.
    pub fn stream(seed: u64, stream: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let a = r.next_u64();
        Rng(a ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0), by the widening-multiply method.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: u32, hi: u32) -> u32 {
        let span = u64::from(hi.saturating_sub(lo)) + 1;
        lo.saturating_add(u32::try_from(self.below(span)).unwrap_or(0))
    }

    /// True with probability `p_ppm` parts per million.
    pub fn chance(&mut self, p_ppm: u32) -> bool {
        self.below(u64::from(PPM)) < u64::from(p_ppm)
    }

    /// An index drawn with the given weights (0 when all are zero).
    pub fn pick(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        if total == 0 {
            return 0;
        }
        let mut r = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            let w = u64::from(*w);
            if r < w {
                return i;
            }
            r -= w;
        }
        weights.len().saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_draws_and_streams_differ() {
        let a: Vec<u64> = (0..5).map(|_| Rng::new(7).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        let s1: Vec<u64> = {
            let mut r = Rng::stream(7, 1, 0);
            (0..4).map(|_| r.below(1000)).collect()
        };
        let s2: Vec<u64> = {
            let mut r = Rng::stream(7, 1, 1);
            (0..4).map(|_| r.below(1000)).collect()
        };
        assert_ne!(s1, s2);
    }

    #[test]
    fn weighted_picks_follow_their_weights() {
        let mut r = Rng::new(1);
        let mut counts = [0u32; 3];
        for _ in 0..30_000 {
            counts[r.pick(&[1, 0, 2])] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!(counts[2] > counts[0] * 3 / 2 && counts[2] < counts[0] * 5 / 2);
    }
}
