// tifa_prefetch.h — a cache prefetch hint for Swift code, which has no intrinsic for it.
//
// Why: the segmenter's lattice is bound by the memory latency of its trie walks. The walk that
// starts a few characters ahead is independent of the current one, so its first child lookup
// can be requested early and arrive while the current position is being solved. Nothing from
// ICU here; it lives in this target because it is the package's only C target.
#ifndef TIFA_PREFETCH_H
#define TIFA_PREFETCH_H

/// Asks the CPU to bring the cache line of `address` closer; never faults, has no effect on
/// results.
static inline __attribute__((always_inline)) void tifa_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
