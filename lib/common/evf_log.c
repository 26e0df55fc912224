/* evf_log.c: the project's DPDK log type ("evfwd"). */
#include "evf_common.h"

RTE_LOG_REGISTER(evf_logtype, evfwd, INFO);
