//! Whether the tagger's hot loops (scoring a sequence's features, decoding it) may run their
//! copies compiled for AVX2. Each such loop is one `#[inline(always)]` body compiled twice, for
//! the x86-64 baseline and in a `#[target_feature(enable = "avx2")]` function: the same
//! floating-point operations in the same order on each label (eight labels an instruction
//! instead of four; no fused multiply-add, which would round differently), so both copies give
//! bit-identical scores and labels and only the instruction count differs.

/// Whether this CPU runs AVX2 (x86-64 CPUs since 2013); the answer is cached by the standard
/// library after the first call.
#[cfg(target_arch = "x86_64")]
#[inline]
pub(super) fn has_avx2() -> bool {
    std::arch::is_x86_feature_detected!("avx2")
}
