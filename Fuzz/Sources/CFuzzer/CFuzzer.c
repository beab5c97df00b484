// Only the header matters: it declares libFuzzer's driver, which -sanitize=fuzzer links in.
#include "CFuzzer.h"
