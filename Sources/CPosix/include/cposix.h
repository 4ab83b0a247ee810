#ifndef CLEARANCE_CPOSIX_H
#define CLEARANCE_CPOSIX_H

#include <stddef.h>
#include <stdint.h>

/* epoll, hidden from Swift's Glibc module, behind plain functions: the packed epoll_event never crosses into Swift. */
int clr_epoll_create(void);
/* op: 0 add, 1 modify, 2 delete. events: bit 0 readable, bit 1 one-shot, bit 2 edge-triggered. */
int clr_epoll_ctl(int epfd, int op, int fd, uint32_t events);
/* Fills fds[i] and flags[i] (bit 0 readable, bit 1 hang-up or error); returns the count, 0 on timeout, -1 on error. */
int clr_epoll_wait(int epfd, int32_t *fds, uint32_t *flags, int max, int timeout_ms);

/* memmem (a GNU extension the Glibc module does not expose): the first occurrence of needle in haystack, or NULL. */
const void *clr_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);

/* malloc_trim(0) (malloc.h, not in the Glibc module): returns the free memory of every malloc arena to the system. */
int clr_malloc_trim(void);
/* mallopt(M_ARENA_MAX, count): how many malloc arenas threads may spread over. */
int clr_malloc_arena_max(int count);

#endif
