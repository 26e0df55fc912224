/* evf_clock.c: the storage of evfwd's coarse clock (evf_clock.h). */
#include "evf_clock.h"

uint32_t evf_now_sec = 1;
