//! The FNV-1a hasher, for the small tables of short names looked up on hot paths (the handler
//! registry, the validator's state tables), where SipHash's setup costs more than the lookup.

/// FNV-1a: the registry's keys are short names looked up up to three times per task, where
/// SipHash's setup costs more than the lookup.
#[derive(Default)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            hash = (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}
