/*
 * sanopts: the sanitizer options of the --enable-asan build, compiled
 * into the entpress program only.
 *
 * ASan and UBSan end a process with exit status 1 after a finding, and 1
 * is what entpress returns for warnings: a test that accepts warnings
 * would take a memory error for a pass.  abort_on_error makes every
 * finding a SIGABRT instead, whatever the environment (the shell tests
 * run entpress under env -i, so *SAN_OPTIONS cannot be relied on).
 */
#include "config.h"

const char	*__asan_default_options(void);
const char	*__ubsan_default_options(void);

const char *
__asan_default_options(void)
{
	return "abort_on_error=1:halt_on_error=1:detect_leaks=1";
}

const char *
__ubsan_default_options(void)
{
	return "abort_on_error=1:halt_on_error=1:print_stacktrace=1";
}
