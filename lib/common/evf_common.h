/* evf_common.h: project-wide limits, branch hints and logging macros.
 * Included by every thread's code; holds no state. */
#ifndef EVF_COMMON_H
#define EVF_COMMON_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_log.h>

#define EVF_NAME_LEN      32   /**< names of ports, MAC-VRFs, LAGs, ESs (with NUL) */
#define EVF_MAX_WORKERS   16
#define EVF_MAX_PORTS     RTE_MAX_ETHPORTS
#define EVF_MAX_IFACES    64   /**< ports and LAGs */
#define EVF_MAX_BDS       4094 /**< MAC-VRFs */
#define EVF_MAX_ATTACH    4096 /**< port/LAG + VLAN attachments */
#define EVF_MAX_VTEPS     4096 /**< remote VTEPs known at once */
#define EVF_MAX_UPLINKS   4    /**< network ports used as ECMP uplinks */
#define EVF_BURST_MAX     64
#define EVF_VLAN_UNTAGGED 0    /**< attachment VLAN id meaning "untagged" */

#define EVF_INVALID_ID    0xffff

extern int evf_logtype;
#define EVF_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, evf_logtype, "evfwd: " fmt "\n", ##__VA_ARGS__)

#endif /* EVF_COMMON_H */
