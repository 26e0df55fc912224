/* telemetry.h: evfwd counters exposed through DPDK telemetry (dpdk-telemetry.py). */
#ifndef EVF_TELEMETRY_H
#define EVF_TELEMETRY_H

/** Register /evfwd/... commands (main thread, after bring-up). */
void evf_telemetry_init(void);

#endif /* EVF_TELEMETRY_H */
