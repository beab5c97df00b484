// tifa_cores.h — how many cores this process may run on, for Swift code: glibc declares
// sched_getaffinity and CPU_COUNT only with _GNU_SOURCE, which Swift's Glibc module does not set.
// Nothing from ICU here; it lives in this target because it is the package's C target.
#ifndef TIFA_CORES_H
#define TIFA_CORES_H

#ifdef __cplusplus
extern "C" {
#endif

/// The number of CPUs in this process's affinity mask (taskset, cpusets), or 0 when unknown.
int tifa_usable_cores(void);

#ifdef __cplusplus
}
#endif

#endif
