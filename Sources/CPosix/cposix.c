#define _GNU_SOURCE
#include "cposix.h"
#include <sys/epoll.h>
#include <stddef.h>
#include <string.h>
#include <malloc.h>

int clr_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int clr_epoll_ctl(int epfd, int op, int fd, uint32_t events) {
    struct epoll_event event;
    event.events = 0;
    if (events & 1u) event.events |= EPOLLIN | EPOLLRDHUP;
    if (events & 2u) event.events |= EPOLLONESHOT;
    if (events & 4u) event.events |= EPOLLET;
    event.data.u64 = 0;
    event.data.fd = fd;
    int code = op == 0 ? EPOLL_CTL_ADD : op == 1 ? EPOLL_CTL_MOD : EPOLL_CTL_DEL;
    return epoll_ctl(epfd, code, fd, op == 2 ? NULL : &event);
}

int clr_epoll_wait(int epfd, int32_t *fds, uint32_t *flags, int max, int timeout_ms) {
    struct epoll_event events[256];
    if (max > 256) max = 256;
    int n = epoll_wait(epfd, events, max, timeout_ms);
    for (int i = 0; i < n; i++) {
        fds[i] = events[i].data.fd;
        uint32_t f = 0;
        if (events[i].events & EPOLLIN) f |= 1u;
        if (events[i].events & (EPOLLHUP | EPOLLERR | EPOLLRDHUP)) f |= 2u;
        flags[i] = f;
    }
    return n;
}

const void *clr_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len) {
    return memmem(haystack, haystack_len, needle, needle_len);
}

int clr_malloc_trim(void) { return malloc_trim(0); }
int clr_malloc_arena_max(int count) { return mallopt(M_ARENA_MAX, count); }
