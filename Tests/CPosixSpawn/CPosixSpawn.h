#include <spawn.h>

// glibc (2.34 and later) has this, but declares it only for _GNU_SOURCE/_DEFAULT_SOURCE builds,
// which Swift's Glibc module is not: it closes, in the child, every descriptor from `from` up.
int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
