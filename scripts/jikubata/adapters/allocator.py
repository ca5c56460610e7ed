"""The C allocator, told how a reading run uses memory (README: Kinerja). Linux with glibc only; elsewhere nothing.

Reading a city's files makes large short-lived buffers: calamine parses each
file in a background thread into one big block, turns it into rows, and frees
it. glibc answers the first such free by raising its mmap threshold to that
size, so every later block up to it (the purchase table's growing columns,
the next files' buffers) comes from the heap, where a freed block leaves a
hole the next larger one cannot use. Memory then grows with the number of
files read: at 7x the city (1.5 million rows in 41 files) the peak was
295 MiB with the threshold left to move and 199 MiB with it fixed at glibc's
default of 128 KiB, which keeps every large block in its own mapping,
returned to the system when freed.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import platform

log = logging.getLogger("jikubata.allocator")

_M_MMAP_THRESHOLD = -3  # mallopt parameter numbers, from glibc's malloc.h
_MMAP_THRESHOLD = 128 * 1024
_done = False


def large_blocks_mapped() -> None:
    """Fix glibc's mmap threshold at 128 KiB for this process (once; a no-op off glibc)."""
    global _done
    if _done:
        return
    _done = True
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        if not libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD):
            log.debug("mallopt(M_MMAP_THRESHOLD) refused")
    except (OSError, AttributeError) as exc:  # no libc to load: memory stays as the allocator keeps it
        log.debug("mallopt not available: %s", exc)
