// Batch BIP-340 (Schnorr over secp256k1) signature verification kernel.
//
// Entry point: bip340_verify_batch(records, verdicts, count)
//   records  : count * 128 bytes, array of structures, each record
//                bytes   0..31  message (the Nostr event id)
//                bytes  32..63  x-only public key
//                bytes  64..127 signature r || s
//              all big-endian as in BIP-340; the buffer must be 16-byte aligned (cuMemAlloc is).
//   verdicts : count bytes, 1 = valid, 0 = invalid.
// One thread per signature with a grid-stride loop, so any grid size covers any count.
// Recommended launch: 128 threads per block, grid = ceil(count / 128) (or a multiple of the SM
// count with the grid-stride loop); see kernels/README.md for the measured choice.
#include "bip340.cuh"

__device__ __forceinline__ uint32_t bswap32(uint32_t v) { return __byte_perm(v, 0, 0x0123); }

// Register cap of the entry point (emitted as .maxnreg): 128 gives 16 warps per SM for any block
// size without spills. The device benchmark also builds variants with lower caps to compare.
#ifndef BIP340_MAX_REGISTERS
#define BIP340_MAX_REGISTERS 128
#endif

extern "C" __global__ void __maxnreg__(BIP340_MAX_REGISTERS) bip340_verify_batch(const unsigned char* records, unsigned char* verdicts,
                                               unsigned int count) {
    const unsigned long long stride = (unsigned long long)gridDim.x * blockDim.x;
    for (unsigned long long i = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x; i < count; i += stride) {
        const uint4* src = reinterpret_cast<const uint4*>(records + i * 128ull);
        uint32_t w[32];
        for (int j = 0; j < 8; j++) {
            uint4 v = __ldg(src + j);
            w[4 * j] = bswap32(v.x);
            w[4 * j + 1] = bswap32(v.y);
            w[4 * j + 2] = bswap32(v.z);
            w[4 * j + 3] = bswap32(v.w);
        }
        verdicts[i] = bip340_verify_words(w) ? 1 : 0;
    }
}
