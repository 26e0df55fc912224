/*
 * Sanitizer hooks of the -Dsanitizers=true build.
 *
 * Default options: a sanitizer report (leak, memory error, UB) exits 99,
 * never 1 or 2, the codes evfwd itself uses for a bad configuration or
 * failed bring-up, so a test expecting such a failure cannot mistake a
 * report for it. ASAN_OPTIONS / UBSAN_OPTIONS in the environment still
 * override these (meson test sets the same values).
 *
 * Leak suppression (at exit): DPDK 22.11's net_af_xdp PMD never frees the
 * umem descriptor libxdp allocates in xsk_umem__create() (the same PMD keeps
 * its fill-ring mbufs until close): that leak is the PMD's, not evfwd's, so
 * it is suppressed by name. Everything else still fails the run.
 */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EVF_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define EVF_ASAN 1
#endif

#ifdef EVF_ASAN
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);
const char *__lsan_default_suppressions(void);

const char *
__asan_default_options(void)
{
	return "exitcode=99:abort_on_error=0";
}

const char *
__ubsan_default_options(void)
{
	return "exitcode=99:abort_on_error=0:halt_on_error=1:print_stacktrace=1";
}

const char *
__lsan_default_suppressions(void)
{
	return "leak:xsk_umem__create\n";
}
#endif
