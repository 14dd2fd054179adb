//! A small, fast, non-cryptographic hasher for the engine's maps (the FxHash
//! scheme used inside rustc). Keys are words and skill ids from the user's own
//! text, hashed in their own browser: there is no adversary to defend against
//! with SipHash, and hashing is a measurable part of each re-score.

use std::{
    collections::HashMap,
    hash::{BuildHasherDefault, Hasher},
};

#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_hash_equally_and_the_map_works() {
        let mut m: FxHashMap<String, u32> = FxHashMap::default();
        m.insert("kubernetes".into(), 1);
        m.insert("kafka".into(), 2);
        assert_eq!(m.get("kubernetes"), Some(&1));
        assert_eq!(m.get("kafka"), Some(&2));
        assert_eq!(m.get("k8s"), None);
    }
}
