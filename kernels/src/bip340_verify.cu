// Batch BIP-340 (Schnorr over secp256k1) signature verification kernel.
//
// Entry point: bip340_verify_batch(records, verdicts, count, key_cache, key_cache_entries)
//   records  : count * 128 bytes, array of structures, each record
//                bytes   0..31  message (the Nostr event id)
//                bytes  32..63  x-only public key
//                bytes  64..127 signature r || s
//              all big-endian as in BIP-340; the buffer must be 16-byte aligned (cuMemAlloc is).
//   verdicts : count bytes, the event bus's codes: 1 = VALID, 2 = INVALID. The host clears the
//              buffer to 0 (NOT_VERIFIED) before a launch; the kernel writes every verdict.
//   key_cache: NULL, or key_cache_entries * bip340_key_cache_entry_bytes bytes of device memory,
//              zeroed once by the host when allocated and kept across launches (and shared by
//              concurrent launches); see bip340_key_cache.cuh. Any number of entries >= 1.
//              NULL or 0 entries: no cache.
// One thread per signature with a grid-stride loop, so any grid size covers any count.
// Recommended launch: 256 threads per block, grid = ceil(count / 256); see kernels/README.md.
#include "bip340.cuh"

// Register cap of the entry point (emitted as .maxnreg): 128 gives 16 warps per SM for any block
// size without spills. The device benchmark also builds variants with other caps to compare.
#ifndef BIP340_MAX_REGISTERS
#define BIP340_MAX_REGISTERS 128
#endif

// 1: the final inversions of a block share one inversion (Montgomery's trick in shared memory,
// blocks of up to SECP_INV_BATCH threads; larger blocks invert per thread).
#ifndef BIP340_BATCH_INV
#define BIP340_BATCH_INV 0
#endif

extern "C" {
// Bytes per key-cache entry; the host reads it with cuModuleGetGlobal to size the cache buffer.
__constant__ unsigned int bip340_key_cache_entry_bytes = BIP340_KC_ENTRY_BYTES;
}

__device__ __forceinline__ uint32_t bswap32(uint32_t v) { return __byte_perm(v, 0, 0x0123); }

__device__ __forceinline__ void bip340_load_record(uint32_t w[32], const unsigned char* records, unsigned long long i) {
    const uint4* src = reinterpret_cast<const uint4*>(records + i * 128ull);
    for (int j = 0; j < 8; j++) {
        uint4 v = __ldg(src + j);
        w[4 * j] = bswap32(v.x);
        w[4 * j + 1] = bswap32(v.y);
        w[4 * j + 2] = bswap32(v.z);
        w[4 * j + 3] = bswap32(v.w);
    }
}

#if BIP340_BATCH_INV
// out = 1 / a for every thread of the block (all threads must call it; a != 0). Thread 0 inverts
// the root while the others wait at the barrier.
__device__ __noinline__ void secp_block_inverse(fe* out, const fe* a) {
    __shared__ fe tree[2 * SECP_INV_BATCH];
    const uint32_t t = threadIdx.x, n = blockDim.x;
    fe one;
    fe_set_u32(&one, 1);
    for (uint32_t k = t; k < SECP_INV_BATCH; k += n) tree[SECP_INV_BATCH + k] = k == t ? *a : one;
    __syncthreads();
    for (uint32_t m = SECP_INV_BATCH / 2; m >= 1; m /= 2) {
        for (uint32_t k = t; k < m; k += n) secp_inv_tree_up(tree, m, k);
        __syncthreads();
    }
    if (t == 0) fe_inv(&tree[1], &tree[1]);
    __syncthreads();
    for (uint32_t m = 1; m < SECP_INV_BATCH; m *= 2) {
        for (uint32_t k = t; k < m; k += n) secp_inv_tree_down(tree, m, k);
        __syncthreads();
    }
    *out = tree[SECP_INV_BATCH + t];
    __syncthreads();  // the next tile rebuilds the tree
}
#endif

extern "C" __global__ void __maxnreg__(BIP340_MAX_REGISTERS)
    bip340_verify_batch(const unsigned char* records, unsigned char* verdicts, unsigned int count,
                        unsigned char* key_cache, unsigned int key_cache_entries) {
    const bip340_key_cache cache = {key_cache, key_cache_entries};
    const unsigned long long stride = (unsigned long long)gridDim.x * blockDim.x;
#if BIP340_BATCH_INV
    // whole blocks step through the batch together (every thread must reach the barriers);
    // threads past the end or whose signature already failed contribute 1 to the tree. Blocks
    // larger than the tree invert per thread (a uniform branch). One call site of
    // bip340_verify_start keeps the code (and the JIT time) as small as without batching.
    const bool batched = blockDim.x <= SECP_INV_BATCH;
    for (unsigned long long base = (unsigned long long)blockIdx.x * blockDim.x; base < count; base += stride) {
        const unsigned long long i = base + threadIdx.x;
        fe ry, rz, zi;
        int v = BIP340_INVALID;
        if (i < count) {
            uint32_t w[32];
            bip340_load_record(w, records, i);
            v = bip340_verify_start(w, cache, &ry, &rz);
        }
        const bool pending = v == BIP340_NOT_VERIFIED;
        if (!pending) fe_set_u32(&rz, 1);
        if (batched) {
            secp_block_inverse(&zi, &rz);
        } else {
            fe_inv(&zi, &rz);
        }
        if (pending) v = bip340_verify_finish(&ry, &zi);
        if (i < count) verdicts[i] = (unsigned char)v;
    }
#else
    for (unsigned long long i = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x; i < count; i += stride) {
        uint32_t w[32];
        bip340_load_record(w, records, i);
        verdicts[i] = (unsigned char)bip340_verify_words(w, cache);
    }
#endif
}
