//! The C allocator's settings for a long-running server.

/// Each argon2 hash takes 19 MiB. glibc's malloc maps such a block and unmaps it when
/// freed, but a freed mapped block also raises its threshold for mapping, and from then
/// on the blocks come from the per-thread arenas, which keep the memory: under a storm of
/// sign-ins (the load benchmark's rush, 10 a second) the server's resident size grew by
/// hundreds of megabytes and stayed there. A fixed threshold keeps such blocks mapped,
/// and returned on free. 16 MiB, not less: below it the exports' buffers stay in the
/// heap, as before (at 1 MiB, exports of 20,000 organisations mapped and unmapped their
/// page buffers and slowed down per answer, export benchmark).
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's parameters; it is called at start-up,
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 16 * 1024 * 1024);
    }
}
