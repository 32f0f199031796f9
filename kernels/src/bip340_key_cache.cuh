// Public-key cache in device memory: what the verifier derives from an x-only public key alone
// (the lifted point and its window table, see secp_p_table), kept across launches so that the
// authors who publish again and again (Nostr) skip lift_x (a square root) and the table set-up.
//
// Layout: `entries` entries of BIP340_KC_ENTRY_BYTES bytes each, zeroed by the host once when it
// allocates the buffer. An entry is
//   bytes  0..3    sequence word (u32): 0 = empty, odd = being written, even = stable
//   bytes  4..15   reserved (zero)
//   bytes 16..47   the key: x as 8 little-endian u32 limbs (a value < p that lifted)
//   bytes 48..     the secp_key_table of -P (see bip340.cuh), limbs as in memory: 608 bytes
//                  (entry 656 bytes), 1120 with BIP340_COMB (entry 1168 bytes)
// A key may live in one of two slots (2 choices from two hashes of x; any number of entries >= 1,
// no power of two needed: the slot is the high half of hash * entries). Eviction is by overwrite.
//
// Concurrency (several streams launch the kernel on the same cache; threads of one launch race
// on one entry): a sequence lock per entry, and nobody ever waits.
//   writer: read seq s; give up if s is odd (someone else is writing); CAS s -> s + 1 (give up if
//           the CAS fails: another writer won); fence; store key and table; fence; store s + 2.
//   reader: s1 = load seq (acquire); miss if s1 is 0 or odd; load key (miss if it differs) and
//           table; fence; s2 = load seq; the copy is used only if s2 == s1.
// Why a torn entry is never used: if any load of the reader returned data of a writer W, W's CAS
// (s -> odd) precedes that store and is separated from it by W's fence, and the reader's second
// seq load is separated from that data load by the reader's fence; fence ordering then makes the
// second load see W's odd value or a later one, so s2 != s1 (s1 was even and was read before).
// If s2 == s1, no writer's store can have been read, i.e. the copy equals the stable entry that
// s1 announced (whose stores the acquire load of s1 made visible). The sequence only grows (by 2
// per write); a wrap to 0 merely reads as an empty slot. Data moves with volatile (L1-bypassing)
// 16-byte loads and stores, so no SM reads a stale line of its own L1.
// Only keys that lifted are inserted, so an invalid key (x >= p, not on the curve) is never found.
#pragma once
#include "secp256k1_group.cuh"

#define BIP340_KC_KEY_OFFSET 16
#define BIP340_KC_TABLE_OFFSET 48
// Included by bip340.cuh once secp_key_table is defined.
#define BIP340_KC_ENTRY_BYTES (BIP340_KC_TABLE_OFFSET + (unsigned)sizeof(secp_key_table))

struct bip340_key_cache {
    uint8_t* base;     // NULL: no cache
    uint32_t entries;  // 0: no cache
};

// ---- memory primitives (the only device-specific part of the protocol) ----

#ifdef __CUDA_ARCH__
SECP_HD uint32_t kc_load_seq_acquire(const uint8_t* e) {
    uint32_t v;
    asm volatile("ld.acquire.gpu.u32 %0, [%1];" : "=r"(v) : "l"(e) : "memory");
    return v;
}
SECP_HD uint32_t kc_load_seq_relaxed(const uint8_t* e) {
    uint32_t v;
    asm volatile("ld.volatile.u32 %0, [%1];" : "=r"(v) : "l"(e) : "memory");
    return v;
}
SECP_HD void kc_fence() { __threadfence(); }
SECP_HD bool kc_cas_seq(uint8_t* e, uint32_t expected, uint32_t desired) {
    return atomicCAS(reinterpret_cast<unsigned int*>(e), expected, desired) == expected;
}
SECP_HD void kc_store_seq(uint8_t* e, uint32_t v) {
    asm volatile("st.volatile.u32 [%0], %1;" ::"l"(e), "r"(v) : "memory");
}
// n bytes (a multiple of 16) as volatile 16-byte accesses to the entry (16-byte aligned); the
// thread's side is only 4-byte aligned (fe, ge), hence the word-wise copies there
SECP_HD void kc_load_bytes(void* dst, const uint8_t* src, int n) {
    uint32_t* d = static_cast<uint32_t*>(dst);
    for (int i = 0; i < n / 16; i++) {
        asm volatile("ld.volatile.v4.u32 {%0, %1, %2, %3}, [%4];"
                     : "=r"(d[4 * i]), "=r"(d[4 * i + 1]), "=r"(d[4 * i + 2]), "=r"(d[4 * i + 3])
                     : "l"(src + 16 * i)
                     : "memory");
    }
}
SECP_HD void kc_store_bytes(uint8_t* dst, const void* src, int n) {
    const uint32_t* s = static_cast<const uint32_t*>(src);
    for (int i = 0; i < n / 16; i++) {
        asm volatile("st.volatile.v4.u32 [%0], {%1, %2, %3, %4};" ::"l"(dst + 16 * i), "r"(s[4 * i]), "r"(s[4 * i + 1]),
                     "r"(s[4 * i + 2]), "r"(s[4 * i + 3])
                     : "memory");
    }
}
#else
// Host: the same protocol with the compiler's atomics (the host tests run it single-threaded and
// simulate a concurrent writer by editing an entry between the steps of a read).
SECP_HD uint32_t kc_load_seq_acquire(const uint8_t* e) {
    return __atomic_load_n(reinterpret_cast<const uint32_t*>(e), __ATOMIC_ACQUIRE);
}
SECP_HD uint32_t kc_load_seq_relaxed(const uint8_t* e) {
    return __atomic_load_n(reinterpret_cast<const uint32_t*>(e), __ATOMIC_RELAXED);
}
SECP_HD void kc_fence() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
SECP_HD bool kc_cas_seq(uint8_t* e, uint32_t expected, uint32_t desired) {
    return __atomic_compare_exchange_n(reinterpret_cast<uint32_t*>(e), &expected, desired, false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}
SECP_HD void kc_store_seq(uint8_t* e, uint32_t v) {
    __atomic_store_n(reinterpret_cast<uint32_t*>(e), v, __ATOMIC_RELEASE);
}
SECP_HD void kc_load_bytes(void* dst, const uint8_t* src, int n) {
    for (int i = 0; i < n; i++) static_cast<uint8_t*>(dst)[i] = src[i];
}
SECP_HD void kc_store_bytes(uint8_t* dst, const void* src, int n) {
    for (int i = 0; i < n; i++) dst[i] = static_cast<const uint8_t*>(src)[i];
}
#endif

// ---- hashing ----

// Slot of key x for choice `way` (0 or 1). x-coordinates of honest keys are uniform, so a cheap
// mix of two limbs per way suffices; a crafted key can only evict, never corrupt (the key is
// compared in full).
SECP_HD uint32_t kc_slot(const fe* x, int way, uint32_t entries) {
    uint32_t h = way ? (x->d[2] ^ (x->d[5] * 0x85EBCA77u)) : (x->d[0] ^ (x->d[3] * 0x9E3779B1u));
    h ^= h >> 15;
    h *= 0x2C1B3C6Du;
    h ^= h >> 12;
    return (uint32_t)(((uint64_t)h * entries) >> 32);
}

SECP_HD uint8_t* kc_entry(const bip340_key_cache* c, uint32_t slot) {
    return c->base + (uint64_t)slot * BIP340_KC_ENTRY_BYTES;
}

// ---- the reader's steps (separate so that the host tests can interleave a writer) ----

// Sequence word at the start of a read; the entry is usable only if it is non-zero and even.
SECP_HD uint32_t kc_read_begin(const uint8_t* e) { return kc_load_seq_acquire(e); }

SECP_HD void kc_read_key(const uint8_t* e, fe* x) { kc_load_bytes(x, e + BIP340_KC_KEY_OFFSET, 32); }

SECP_HD void kc_read_table(const uint8_t* e, void* table, int bytes) {
    kc_load_bytes(table, e + BIP340_KC_TABLE_OFFSET, bytes);
}

// True if nothing was written to the entry since kc_read_begin returned seq.
SECP_HD bool kc_read_end(const uint8_t* e, uint32_t seq) {
    kc_fence();
    return kc_load_seq_relaxed(e) == seq;
}

// Copies the table of key x into `table` (bytes long) and returns true on a hit.
SECP_HD bool kc_lookup(const bip340_key_cache* c, const fe* x, void* table, int bytes) {
    for (int way = 0; way < 2; way++) {
        const uint8_t* e = kc_entry(c, kc_slot(x, way, c->entries));
        uint32_t seq = kc_read_begin(e);
        if (seq == 0 || (seq & 1u)) continue;
        fe k;
        kc_read_key(e, &k);
        if (!fe_equal(&k, x)) continue;
        kc_read_table(e, table, bytes);
        if (kc_read_end(e, seq)) return true;
    }
    return false;
}

// Stores the table of key x (which must have lifted) in one of its two slots: an empty one if
// there is one, else the one `choice` (any varying bit) names. Gives up, never waits, if another
// writer holds or wins the slot.
SECP_HD void kc_insert(const bip340_key_cache* c, const fe* x, const void* table, int bytes, uint32_t choice) {
    uint8_t* e0 = kc_entry(c, kc_slot(x, 0, c->entries));
    uint8_t* e1 = kc_entry(c, kc_slot(x, 1, c->entries));
    uint32_t s0 = kc_load_seq_relaxed(e0), s1 = kc_load_seq_relaxed(e1);
    uint8_t* e;
    uint32_t seq;
    if (s0 == 0 || (s1 != 0 && !(choice & 1u))) {
        e = e0;
        seq = s0;
    } else {
        e = e1;
        seq = s1;
    }
    if (seq & 1u) return;
    if (!kc_cas_seq(e, seq, seq + 1)) return;
    kc_fence();
    kc_store_bytes(e + BIP340_KC_KEY_OFFSET, x, 32);
    kc_store_bytes(e + BIP340_KC_TABLE_OFFSET, table, bytes);
    kc_fence();
    kc_store_seq(e, seq + 2);
}
