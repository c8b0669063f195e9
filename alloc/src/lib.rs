//! The binary's memory allocator: small blocks from per-thread size classes
//! carved out of one reserved address range; everything else from the system
//! allocator.
//!
//! A compile allocates tens of small blocks per statement (names, ids,
//! vectors of members and inputs) and frees few of them before it exits, so
//! glibc's thread cache is almost always empty and nearly every `malloc`
//! takes its slow path: about 12% of all instructions of `flowc build` and
//! `flowc check` were the allocator's (BENCHMARKS.md, "Issue 13"). Here a
//! small allocation is a pop from a free list or a pointer bump, with no
//! header per block, which also makes tiny blocks (most strings) take 16
//! bytes instead of glibc's 32. mimalloc was measured first: fewer
//! instructions on large files, but more on small ones and twice the peak
//! memory.
//!
//! - Sizes up to [`MAX_SMALL`] with an alignment up to [`GRAIN`] are served
//!   here, rounded up to a multiple of [`GRAIN`]: one free list per class.
//! - Freed blocks go onto the freeing thread's list for their class. A
//!   thread keeps at most one batch of a class (16 KiB worth) and gives
//!   each full batch to a shared pool, which a thread asks before it takes
//!   fresh memory: blocks freed on one thread are reused by
//!   the others (the language server frees old analyses on a thread of its
//!   own). Memory is never returned to the system, so peak memory is the
//!   peak of live small blocks plus those caches, as with any allocator.
//! - Fresh blocks are bumped out of chunks of [`CHUNK`] bytes, which threads
//!   take from one region of address space reserved (not committed) at the
//!   first allocation. Whether a block is ours is told by its address alone,
//!   so nothing else needs recording; when the region cannot be reserved or
//!   is used up, allocations go to the system allocator.
//!
//! Everything else (large or over-aligned blocks: the parser's token queue,
//! file contents, output buffers) goes to the system allocator unchanged,
//! and so does every block of `flowc lsp`, which calls [`system_only`]
//! first: a server should give memory back between edits.
//!
//! It stays because it earns it (BENCHMARKS.md, issue 20: 11–21% of the wall
//! time of large builds against glibc's `malloc`), and it is tested as such
//! code is: every test of the library and every fuzz target runs on it, and
//! its own tests, threads exchanging blocks among them, run under Miri too:
//!
//! ```text
//! MIRIFLAGS=-Zmiri-permissive-provenance cargo +nightly miri test -p flowc-alloc
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

/// Size classes are multiples of this, which is also the largest alignment served.
const GRAIN: usize = 16;
/// The largest size served from the size classes.
const MAX_SMALL: usize = 512;
const CLASSES: usize = MAX_SMALL / GRAIN;
/// What a thread takes from the region at a time.
const CHUNK: usize = 256 * 1024;
/// Address space reserved for small blocks. Only the pages used are backed
/// by memory; `MAP_NORESERVE` keeps the reservation out of the commit charge.
/// Miri, which runs the tests on memory it really allocates (and knows no
/// `MAP_NORESERVE`), gets a small region.
const RESERVE: usize = if cfg!(miri) { 64 * CHUNK } else { 16 << 30 };

/// Set by [`system_only`]: new blocks all come from the system allocator.
static SYSTEM_ONLY: AtomicBool = AtomicBool::new(false);

/// From now on, every new block comes from the system allocator; blocks
/// already handed out still go back where they came from. For a process
/// that lives long (the language server): glibc gives freed memory back to
/// the system, while the size classes keep their high-water mark.
pub fn system_only() {
    SYSTEM_ONLY.store(true, Ordering::Relaxed);
}

/// `BASE` before the region is reserved.
const UNSET: usize = 0;
/// `BASE` when it could not be reserved: everything goes to the system.
const UNAVAILABLE: usize = usize::MAX;

/// The region's start address, or [`UNSET`], or [`UNAVAILABLE`].
static BASE: AtomicUsize = AtomicUsize::new(UNSET);
/// The offset of the region's next free chunk.
static NEXT: AtomicUsize = AtomicUsize::new(0);

pub struct Alloc;

/// One thread's free lists and current chunk.
struct Local {
    /// The next fresh byte of the current chunk, and its end.
    bump: usize,
    end: usize,
    /// The head of each class's free list (0 when empty); each free block
    /// holds the address of the next.
    free: [usize; CLASSES],
    /// How many blocks each free list holds, at most [`batch`] of its class.
    count: [usize; CLASSES],
}

/// Full batches of free blocks that threads gave up, shared: blocks freed on
/// one thread (the language server frees old analyses on a thread of its
/// own) are taken by others instead of sitting on the freeing thread's list
/// while the allocating thread bumps fresh memory. Each entry is the head
/// of a chain of batches; a batch's first block holds the next batch's
/// address in its second word.
struct Pool {
    heads: [Mutex<usize>; CLASSES],
    /// How many batches each chain holds, read without the lock so that a
    /// thread with an empty list does not lock an empty pool (a compile
    /// frees almost nothing, so that is nearly every allocation); a stale
    /// read only delays a reuse or costs one lock.
    batches: [AtomicUsize; CLASSES],
}

static POOL: Pool = Pool::new();

impl Pool {
    const fn new() -> Pool {
        Pool {
            heads: [const { Mutex::new(0) }; CLASSES],
            batches: [const { AtomicUsize::new(0) }; CLASSES],
        }
    }

    fn slot(&self, class: usize) -> std::sync::MutexGuard<'_, usize> {
        // Nothing panics while the lock is held; a poisoned lock holds a
        // consistent list all the same.
        self.heads[class].lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, class: usize, batch: usize) {
        let mut head = self.slot(class);
        // SAFETY: a batch's first block is ours, free, and at least two
        // words long (GRAIN is 16).
        unsafe { *(batch as *mut usize).add(1) = *head };
        *head = batch;
        self.batches[class].fetch_add(1, Ordering::Relaxed);
    }

    /// Whether the pool may hold a batch of `class`: one load, no lock.
    fn ready(&self, class: usize) -> bool {
        self.batches[class].load(Ordering::Relaxed) != 0
    }

    fn pop(&self, class: usize) -> usize {
        let mut head = self.slot(class);
        let batch = *head;
        if batch != 0 {
            // SAFETY: as in `push`.
            *head = unsafe { *(batch as *const usize).add(1) };
            self.batches[class].fetch_sub(1, Ordering::Relaxed);
        }
        batch
    }
}

/// How many blocks of a class move between a thread and the pool at once:
/// 16 KiB worth, and at least 8.
fn batch(class: usize) -> usize {
    (16 * 1024 / class_size(class)).max(8)
}

thread_local! {
    // Constant-initialised and without a destructor: reading it never
    // allocates and works until the thread is gone.
    static LOCAL: UnsafeCell<Local> = const {
        UnsafeCell::new(Local {
            bump: 0,
            end: 0,
            free: [0; CLASSES],
            count: [0; CLASSES],
        })
    };
}

/// The class of a size in `1..=MAX_SMALL`.
fn class(size: usize) -> usize {
    (size.max(1) - 1) / GRAIN
}

/// The block size of a class.
fn class_size(class: usize) -> usize {
    (class + 1) * GRAIN
}

fn small(layout: &Layout) -> bool {
    layout.size() <= MAX_SMALL && layout.align() <= GRAIN && !SYSTEM_ONLY.load(Ordering::Relaxed)
}

/// Whether `ptr` was handed out from the region.
fn ours(ptr: *mut u8) -> bool {
    let base = BASE.load(Ordering::Relaxed);
    base != UNSET && base != UNAVAILABLE && (ptr as usize).wrapping_sub(base) < RESERVE
}

/// The region's start, reserving it on the first call.
fn base() -> Option<usize> {
    match BASE.load(Ordering::Acquire) {
        UNAVAILABLE => None,
        UNSET => {
            let reserved = reserve();
            match BASE.compare_exchange(UNSET, reserved, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => (reserved != UNAVAILABLE).then_some(reserved),
                Err(won) => {
                    // Another thread reserved first: give this one back.
                    release(reserved);
                    (won != UNAVAILABLE).then_some(won)
                }
            }
        }
        base => Some(base),
    }
}

#[cfg(target_os = "linux")]
fn reserve() -> usize {
    // SAFETY: an anonymous private mapping at an address of the kernel's
    // choosing touches no existing memory.
    let addr = unsafe {
        libc::mmap(
            ptr::null_mut(),
            RESERVE,
            libc::PROT_READ | libc::PROT_WRITE,
            if cfg!(miri) {
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS
            } else {
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE
            },
            -1,
            0,
        )
    };
    if addr == libc::MAP_FAILED {
        UNAVAILABLE
    } else {
        addr as usize
    }
}

#[cfg(target_os = "linux")]
fn release(base: usize) {
    if base != UNAVAILABLE {
        // SAFETY: `base` is a whole mapping of ours that was never published,
        // so no block in it was handed out.
        unsafe { libc::munmap(base as *mut libc::c_void, RESERVE) };
    }
}

#[cfg(not(target_os = "linux"))]
fn reserve() -> usize {
    UNAVAILABLE
}

#[cfg(not(target_os = "linux"))]
fn release(_: usize) {}

impl Local {
    /// A block of `class`, or None when the region is unavailable or used up:
    /// a free block of this thread's, else a batch of freed ones from the
    /// pool, else a fresh one from the current chunk, else a new
    /// chunk. Freed blocks come before fresh memory, or a thread that frees
    /// what another allocates would make that one grow without end.
    #[inline]
    fn take(&mut self, class: usize, pool: &Pool) -> Option<*mut u8> {
        if let Some(block) = self.pop(class) {
            return Some(block);
        }
        if pool.ready(class) && self.reload(class, pool) {
            return self.pop(class);
        }
        let size = class_size(class);
        if self.end - self.bump >= size {
            let block = self.bump;
            self.bump += size;
            return Some(block as *mut u8);
        }
        self.refill(class)
    }

    fn pop(&mut self, class: usize) -> Option<*mut u8> {
        let head = self.free[class];
        if head == 0 {
            return None;
        }
        // SAFETY: a free block of ours holds the next free block's address.
        self.free[class] = unsafe { *(head as *const usize) };
        self.count[class] -= 1;
        Some(head as *mut u8)
    }

    /// Makes a batch from the pool the free list of `class`, which is empty.
    /// Whether there was one.
    #[cold]
    #[inline(never)]
    fn reload(&mut self, class: usize, pool: &Pool) -> bool {
        let batch = pool.pop(class);
        if batch != 0 {
            self.free[class] = batch;
            self.count[class] = self::batch(class);
        }
        batch != 0
    }

    /// A block of `class` from a new chunk, when the current one is used up.
    #[cold]
    #[inline(never)]
    fn refill(&mut self, class: usize) -> Option<*mut u8> {
        let base = base()?;
        let offset = NEXT.fetch_add(CHUNK, Ordering::Relaxed);
        if offset > RESERVE - CHUNK {
            return None;
        }
        self.bump = base + offset;
        self.end = self.bump + CHUNK;
        let block = self.bump;
        self.bump += class_size(class);
        Some(block as *mut u8)
    }

    /// Puts a block of ours back on its class's list; a full list goes to
    /// the pool first, so a thread holds at most one batch of a class.
    fn give(&mut self, block: *mut u8, class: usize, pool: &Pool) {
        if self.count[class] == batch(class) {
            pool.push(class, std::mem::take(&mut self.free[class]));
            self.count[class] = 0;
        }
        // SAFETY: the block is ours, at least GRAIN bytes, aligned to GRAIN,
        // and its owner has given it up.
        unsafe { *(block as *mut usize) = self.free[class] };
        self.free[class] = block as usize;
        self.count[class] += 1;
    }

    /// Grows the block just bumped, in place, to `class` if the chunk has room.
    fn grow_last(&mut self, block: *mut u8, old: usize, class: usize) -> bool {
        let start = block as usize;
        if start + class_size(old) == self.bump && start + class_size(class) <= self.end {
            self.bump = start + class_size(class);
            true
        } else {
            false
        }
    }
}

fn with_local<T>(f: impl FnOnce(&mut Local) -> T) -> T {
    // SAFETY: the state is this thread's own, and no call below re-enters
    // the allocator while the reference lives.
    LOCAL.with(|local| f(unsafe { &mut *local.get() }))
}

// Out of line: inlined into every allocation site, the allocator made the
// parser's hot functions too large for LLVM to inline what they call (the
// instruction count rose by 8% where it should have fallen).
//
// SAFETY: small blocks are distinct GRAIN-aligned ranges of at least the
// size asked for (a class's size), handed out once until given back; every
// other layout is passed to the system allocator, and a block goes back to
// where its address says it came from.
unsafe impl GlobalAlloc for Alloc {
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if small(&layout) {
            if let Some(block) = with_local(|l| l.take(class(layout.size()), &POOL)) {
                return block;
            }
        }
        // SAFETY: the caller's layout, as given.
        unsafe { System.alloc(layout) }
    }

    #[inline(never)]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if small(&layout) {
            if let Some(block) = with_local(|l| l.take(class(layout.size()), &POOL)) {
                // SAFETY: the block has at least `layout.size()` bytes.
                unsafe { ptr::write_bytes(block, 0, layout.size()) };
                return block;
            }
        }
        // SAFETY: the caller's layout, as given.
        unsafe { System.alloc_zeroed(layout) }
    }

    #[inline(never)]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ours(ptr) {
            with_local(|l| l.give(ptr, class(layout.size()), &POOL));
        } else {
            // SAFETY: a block that is not ours came from the system allocator.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    #[inline(never)]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !ours(ptr) {
            // SAFETY: a block that is not ours came from the system allocator.
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        let old = class(layout.size());
        if new_size <= MAX_SMALL {
            let new = class(new_size);
            // A smaller class keeps the block: its real size only matters
            // to the free list it joins, which gets the smaller class.
            if new <= old || with_local(|l| l.grow_last(ptr, old, new)) {
                return ptr;
            }
        }
        // SAFETY: `new_size` was checked by the caller against the layout's
        // alignment, as `realloc` requires.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: a valid non-zero layout.
        let moved = unsafe { self.alloc(new_layout) };
        if !moved.is_null() {
            // SAFETY: both blocks hold at least the smaller size and are distinct.
            unsafe {
                ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        moved
    }
}

// The tests' own allocations (vectors, strings, threads, channels) go
// through it too, as the binary's do.
#[cfg(test)]
#[global_allocator]
static TESTED: Alloc = Alloc;

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    #[cfg_attr(
        not(target_os = "linux"),
        ignore = "the region is reserved on Linux only"
    )]
    fn small_blocks_are_distinct_aligned_and_come_back() {
        let mut blocks = Vec::new();
        let n = if cfg!(miri) { 200 } else { 2000usize };
        for i in 0..n {
            let size = 1 + (i * 37) % MAX_SMALL;
            let align = [1, 2, 4, 8, 16][i % 5];
            let l = layout(size, align);
            let p = unsafe { Alloc.alloc(l) };
            assert!(ours(p), "a small block comes from the region");
            assert_eq!(p as usize % align, 0);
            unsafe { ptr::write_bytes(p, (i % 251) as u8, size) };
            blocks.push((p as usize, l, (i % 251) as u8));
        }
        let mut sorted: Vec<_> = blocks.iter().map(|&(p, l, _)| (p, l.size())).collect();
        sorted.sort();
        for w in sorted.windows(2) {
            assert!(w[0].0 + w[0].1 <= w[1].0, "blocks overlap: {w:?}");
        }
        for &(p, l, fill) in &blocks {
            let bytes = unsafe { std::slice::from_raw_parts(p as *const u8, l.size()) };
            assert!(bytes.iter().all(|&b| b == fill), "a block was written over");
        }
        // A freed block is the next one its class hands out.
        let (p, l, _) = blocks[7];
        unsafe { Alloc.dealloc(p as *mut u8, l) };
        let again = unsafe { Alloc.alloc(layout(l.size(), 1)) };
        assert_eq!(again as usize, p);
        for &(p, l, _) in &blocks {
            unsafe { Alloc.dealloc(p as *mut u8, l) };
        }
    }

    #[test]
    #[cfg_attr(
        not(target_os = "linux"),
        ignore = "the region is reserved on Linux only"
    )]
    fn realloc_keeps_contents_across_classes_and_into_the_system() {
        let mut l = layout(3, 1);
        let mut p = unsafe { Alloc.alloc(l) };
        unsafe { ptr::copy_nonoverlapping(b"abc".as_ptr(), p, 3) };
        // A block stays in the region while it is small; once moved to the
        // system, it stays there, whatever its size.
        let mut in_region = true;
        for size in [5, 16, 17, 100, 512, 513, 4096, 40, 2] {
            in_region &= size <= MAX_SMALL;
            p = unsafe { Alloc.realloc(p, l, size) };
            assert!(!p.is_null());
            let kept = l.size().min(size).min(3);
            let bytes = unsafe { std::slice::from_raw_parts(p, kept) };
            assert_eq!(bytes, &b"abc"[..kept], "after a realloc to {size}");
            assert_eq!(ours(p), in_region, "after a realloc to {size}");
            l = layout(size, 1);
        }
        unsafe { Alloc.dealloc(p, l) };
    }

    /// A thread's state over a chunk of its own (`chunk`, in 16-byte units),
    /// so that no other test's frees decide where blocks come from.
    fn local_over(chunk: &mut [u128]) -> Local {
        let start = chunk.as_mut_ptr() as usize;
        Local {
            bump: start,
            end: start + chunk.len() * 16,
            free: [0; CLASSES],
            count: [0; CLASSES],
        }
    }

    #[test]
    fn the_block_last_bumped_grows_in_place() {
        let pool = Pool::new();
        let mut chunk = vec![0u128; 32];
        let start = chunk.as_mut_ptr() as usize;
        let mut local = local_over(&mut chunk);
        let a = local.take(class(24), &pool).unwrap();
        assert_eq!(a as usize, start);
        assert!(
            local.grow_last(a, class(24), class(200)),
            "nothing was bumped after it"
        );
        assert_eq!(local.bump, start + 208);
        let b = local.take(class(10), &pool).unwrap();
        assert_eq!(b as usize, start + 208);
        assert!(
            !local.grow_last(a, class(200), class(300)),
            "b follows it now"
        );
        assert!(
            !local.grow_last(b, class(10), class(MAX_SMALL)),
            "the chunk is too small"
        );
        local.give(b, class(10), &pool);
        assert_eq!(
            local.take(class(16), &pool),
            Some(b),
            "the freed block comes back first"
        );
        drop(chunk);
    }

    #[test]
    fn full_batches_a_thread_frees_go_to_the_pool_and_come_back_elsewhere() {
        let pool = Pool::new();
        let c = class(512);
        let n = batch(c);
        let mut chunk = vec![0u128; 3 * n * 512 / 16];
        let (start, len) = (chunk.as_mut_ptr() as usize, chunk.len() * 16);
        let mut maker = local_over(&mut chunk);
        let blocks: Vec<_> = (0..3 * n).map(|_| maker.take(c, &pool).unwrap()).collect();
        assert_eq!(maker.bump, start + len, "the chunk is used up");
        // Another thread frees them all: it keeps the last batch and gives
        // the two full ones before it to the pool.
        let mut freer = local_over(&mut []);
        for &b in &blocks {
            freer.give(b, c, &pool);
        }
        assert_eq!(freer.count[c], n);
        assert_eq!(pool.batches[c].load(Ordering::Relaxed), 2);
        let sorted = |mut v: Vec<*mut u8>| {
            v.sort();
            v
        };
        // A third thread takes the batch given last, whole, before it
        // bumps its own chunk, which has room.
        let mut own = vec![0u128; 64];
        let mut taker = local_over(&mut own);
        let taken: Vec<_> = (0..n).map(|_| taker.take(c, &pool).unwrap()).collect();
        assert_eq!(sorted(taken), sorted(blocks[n..2 * n].to_vec()));
        // The freer uses its own batch, then the pool's other one.
        let again: Vec<_> = (0..2 * n).map(|_| freer.take(c, &pool).unwrap()).collect();
        let mut expected = blocks[..n].to_vec();
        expected.extend_from_slice(&blocks[2 * n..]);
        assert_eq!(sorted(again), sorted(expected));
        assert_eq!(pool.pop(c), 0, "the pool is empty again");
        drop(chunk);
    }

    #[test]
    fn large_and_over_aligned_blocks_go_to_the_system() {
        for l in [
            layout(MAX_SMALL + 1, 8),
            layout(64, 64),
            layout(1 << 20, 16),
        ] {
            let p = unsafe { Alloc.alloc(l) };
            assert!(!p.is_null());
            assert!(!ours(p), "{l:?} is the system's");
            assert_eq!(p as usize % l.align(), 0);
            unsafe { Alloc.dealloc(p, l) };
        }
    }

    #[test]
    fn blocks_freed_on_other_threads_are_reused_there() {
        let (send, receive) = std::sync::mpsc::channel::<Vec<String>>();
        let consumer = std::thread::spawn(move || {
            let mut total = 0;
            for batch in receive {
                for (i, s) in batch.iter().enumerate() {
                    assert_eq!(s, &format!("item {i} of a batch"));
                }
                total += batch.len();
                // The strings are freed here, on another thread than theirs,
                // and this thread's next allocations take them.
                let mine: Vec<String> = (0..50).map(|i| i.to_string()).collect();
                assert_eq!(mine[42], "42");
            }
            total
        });
        // Miri interprets every instruction: fewer, still several batches.
        let (rounds, items) = if cfg!(miri) { (4, 40) } else { (50, 200) };
        let producers: Vec<_> = (0..4)
            .map(|_| {
                let send = send.clone();
                std::thread::spawn(move || {
                    for _ in 0..rounds {
                        let batch = (0..items).map(|i| format!("item {i} of a batch")).collect();
                        send.send(batch).unwrap();
                    }
                })
            })
            .collect();
        drop(send);
        for p in producers {
            p.join().unwrap();
        }
        assert_eq!(consumer.join().unwrap(), 4 * rounds * items);
    }

    /// A block a thread owns: its layout and the byte it was filled with.
    struct Block {
        ptr: *mut u8,
        layout: Layout,
        fill: u8,
    }

    // SAFETY: a block is plain memory that one thread owns at a time.
    unsafe impl Send for Block {}

    impl Block {
        fn new(size: usize, align: usize, fill: u8) -> Block {
            let layout = layout(size, align);
            let ptr = unsafe { Alloc.alloc(layout) };
            assert!(!ptr.is_null());
            assert_eq!(ptr as usize % align, 0, "{layout:?}");
            unsafe { ptr::write_bytes(ptr, fill, size) };
            Block { ptr, layout, fill }
        }

        /// Every byte still holds its fill: no other block was placed over it.
        fn check(&self) {
            let bytes = unsafe { std::slice::from_raw_parts(self.ptr, self.layout.size()) };
            assert!(
                bytes.iter().all(|&b| b == self.fill),
                "{:?} was written over",
                self.layout
            );
        }

        fn resize(&mut self, size: usize) {
            self.check();
            let kept = self.layout.size().min(size);
            self.ptr = unsafe { Alloc.realloc(self.ptr, self.layout, size) };
            assert!(!self.ptr.is_null());
            self.layout = layout(size, self.layout.align());
            // What was kept is the old fill; the rest gets it too.
            unsafe { ptr::write_bytes(self.ptr.add(kept), self.fill, size - kept) };
            self.check();
        }

        fn free(self) {
            self.check();
            unsafe { Alloc.dealloc(self.ptr, self.layout) };
        }
    }

    /// A small xorshift generator: the same sequence on every run.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Threads allocate blocks of every class and beyond, fill them, grow
    /// and shrink some, and pass about half to the next thread, which checks
    /// and frees them: blocks cross threads and batches cross the pool all
    /// the time. No block may ever be written over by another.
    #[test]
    fn threads_allocating_and_freeing_each_others_blocks_never_share_one() {
        let threads = 4;
        let rounds = if cfg!(miri) { 40 } else { 4000 };
        let (senders, receivers): (Vec<_>, Vec<_>) = (0..threads)
            .map(|_| std::sync::mpsc::channel::<Vec<Block>>())
            .unzip();
        let handles: Vec<_> = receivers
            .into_iter()
            .enumerate()
            .map(|(t, inbox)| {
                let next = senders[(t + 1) % threads].clone();
                std::thread::spawn(move || {
                    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (t as u64 + 1));
                    let mut mine: Vec<Block> = Vec::new();
                    for round in 0..rounds {
                        let size = match rng.below(10) {
                            0 => MAX_SMALL + 1 + rng.below(1000),
                            _ => 1 + rng.below(MAX_SMALL),
                        };
                        let align = [1, 2, 4, 8, 16, 32][rng.below(6)];
                        mine.push(Block::new(size, align, (round % 251) as u8));
                        if rng.below(4) == 0 {
                            let i = rng.below(mine.len());
                            let size = 1 + rng.below(2 * MAX_SMALL);
                            mine[i].resize(size);
                        }
                        if rng.below(3) == 0 {
                            let i = rng.below(mine.len());
                            mine.swap_remove(i).free();
                        }
                        if mine.len() >= 32 {
                            let _ = next.send(mine.split_off(16));
                        }
                        while let Ok(theirs) = inbox.try_recv() {
                            theirs.into_iter().for_each(Block::free);
                        }
                    }
                    drop(next);
                    mine.into_iter().for_each(Block::free);
                    // What the other threads still send until they are done.
                    for theirs in inbox {
                        theirs.into_iter().for_each(Block::free);
                    }
                })
            })
            .collect();
        drop(senders);
        for h in handles {
            h.join().unwrap();
        }
    }
}
