/*
 * LeakSanitizer hook of the -Dsanitizers=true build (main thread, at exit).
 *
 * DPDK 22.11's net_af_xdp PMD never frees the umem descriptor libxdp
 * allocates in xsk_umem__create() (the same PMD keeps its fill-ring mbufs
 * until close): that leak is the PMD's, not evfwd's, so it is suppressed by
 * name. Everything else still fails the run.
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
const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:xsk_umem__create\n";
}
#endif
