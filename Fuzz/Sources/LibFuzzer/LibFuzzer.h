#include <stddef.h>
#include <stdint.h>

// libFuzzer's driver, for a program that has a main of its own (llvm.org/docs/LibFuzzer.html).
int LLVMFuzzerRunDriver(int *argc, char ***argv,
                        int (*test_one_input)(const uint8_t *data, size_t size));
