#ifndef TIFA_SHA256_H
#define TIFA_SHA256_H
#include <stddef.h>
#include <stdint.h>

/* SHA-256's block function with the CPU's SHA instructions (x86 SHA-NI), for Tifa's SHA256.
   tifa_sha256_hardware_available() is nonzero when the CPU has them (always 0 elsewhere);
   tifa_sha256_hardware_compress updates state[8] with `blocks` 64-byte blocks of data. */
int tifa_sha256_hardware_available(void);
void tifa_sha256_hardware_compress(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
