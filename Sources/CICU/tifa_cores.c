// tifa_cores.c — see include/tifa_cores.h.
#define _GNU_SOURCE
#include "tifa_cores.h"

#ifdef __linux__
#include <sched.h>
#endif

int tifa_usable_cores(void) {
#ifdef __linux__
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
#endif
    return 0;
}
