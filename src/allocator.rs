//! The C allocator's settings for a long-running server.

/// Each argon2 hash takes 19 MiB. glibc's malloc maps such a block and unmaps it when
/// freed, but a freed mapped block also raises its threshold for mapping, and from then
/// on the blocks come from the per-thread arenas, which keep the memory: under a storm of
/// sign-ins (the load benchmark's rush, 10 a second) the server's resident size grew by
/// hundreds of megabytes and stayed there. A fixed threshold keeps large blocks mapped,
/// and returned on free.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's parameters; it is called at start-up,
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
    }
}
