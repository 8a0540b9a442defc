/**
 * Reads go through a memory map of the database file instead of `read()` into each connection's
 * page cache. A short-lived process that reads thousands of random pages of a large file (a
 * register delta over a 1 M list reads about 78,000) otherwise pays a system call and a freshly
 * faulted page of cache memory for each; mapped, it reads the kernel's cached pages in place.
 * Writes still go through the WAL as before. SQLite caps the size at its compile-time maximum.
 */
export const MMAP_PRAGMA = 'mmap_size = 17179869184';
