// SHA-256 (FIPS 180-4) for host and device. The round constants are immediates in the unrolled
// rounds so the device code touches no memory for them.
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "secp256k1_field.cuh"

#define SHA_ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define SHA_CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define SHA_MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define SHA_BSIG0(x) (SHA_ROTR(x, 2) ^ SHA_ROTR(x, 13) ^ SHA_ROTR(x, 22))
#define SHA_BSIG1(x) (SHA_ROTR(x, 6) ^ SHA_ROTR(x, 11) ^ SHA_ROTR(x, 25))
#define SHA_SSIG0(x) (SHA_ROTR(x, 7) ^ SHA_ROTR(x, 18) ^ ((x) >> 3))
#define SHA_SSIG1(x) (SHA_ROTR(x, 17) ^ SHA_ROTR(x, 19) ^ ((x) >> 10))

// Message word of round i (compile-time i): the first 16 come from the block, later ones are
// expanded in place in a 16-word ring.
#define SHA_W(i)                                                                                                     \
    ((i) < 16 ? w[(i)&15]                                                                                            \
              : (w[(i)&15] += SHA_SSIG1(w[((i)-2) & 15]) + w[((i)-7) & 15] + SHA_SSIG0(w[((i)-15) & 15])))

#define SHA_RND(a, b, c, d, e, f, g, h, i, k)                                      \
    {                                                                              \
        uint32_t t1 = h + SHA_BSIG1(e) + SHA_CH(e, f, g) + (k) + SHA_W(i);         \
        uint32_t t2 = SHA_BSIG0(a) + SHA_MAJ(a, b, c);                             \
        d += t1;                                                                   \
        h = t1 + t2;                                                               \
    }

#define SHA_RND8(i, k0, k1, k2, k3, k4, k5, k6, k7) \
    SHA_RND(a, b, c, d, e, f, g, h, (i) + 0, k0)    \
    SHA_RND(h, a, b, c, d, e, f, g, (i) + 1, k1)    \
    SHA_RND(g, h, a, b, c, d, e, f, (i) + 2, k2)    \
    SHA_RND(f, g, h, a, b, c, d, e, (i) + 3, k3)    \
    SHA_RND(e, f, g, h, a, b, c, d, (i) + 4, k4)    \
    SHA_RND(d, e, f, g, h, a, b, c, (i) + 5, k5)    \
    SHA_RND(c, d, e, f, g, h, a, b, (i) + 6, k6)    \
    SHA_RND(b, c, d, e, f, g, h, a, (i) + 7, k7)

// state = compress(state, block); block holds 16 big-endian message words (clobbered).
SECP_HD void sha256_compress(uint32_t state[8], uint32_t w[16]) {
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    SHA_RND8(0, 0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u)
    SHA_RND8(8, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u)
    SHA_RND8(16, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau)
    SHA_RND8(24, 0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u)
    SHA_RND8(32, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u)
    SHA_RND8(40, 0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u)
    SHA_RND8(48, 0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u)
    SHA_RND8(56, 0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u)
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

SECP_HD void sha256_init(uint32_t state[8]) {
    state[0] = 0x6a09e667u;
    state[1] = 0xbb67ae85u;
    state[2] = 0x3c6ef372u;
    state[3] = 0xa54ff53au;
    state[4] = 0x510e527fu;
    state[5] = 0x9b05688cu;
    state[6] = 0x1f83d9abu;
    state[7] = 0x5be0cd19u;
}

// One-shot SHA-256 of an arbitrary byte string (used by the tests and to derive tag midstates).
SECP_HD void sha256_bytes(uint8_t out[32], const uint8_t* msg, size_t len) {
    uint32_t st[8], w[16];
    sha256_init(st);
    size_t total = len + 9;
    size_t blocks = (total + 63) / 64;
    for (size_t blk = 0; blk < blocks; blk++) {
        for (int i = 0; i < 16; i++) {
            uint32_t v = 0;
            for (int j = 0; j < 4; j++) {
                size_t pos = blk * 64 + (size_t)(4 * i + j);
                uint8_t byte;
                if (pos < len) {
                    byte = msg[pos];
                } else if (pos == len) {
                    byte = 0x80;
                } else if (pos >= blocks * 64 - 8) {
                    byte = (uint8_t)(((uint64_t)len * 8) >> (8 * (blocks * 64 - 1 - pos)));
                } else {
                    byte = 0;
                }
                v = (v << 8) | byte;
            }
            w[i] = v;
        }
        sha256_compress(st, w);
    }
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(st[i] >> 24);
        out[4 * i + 1] = (uint8_t)(st[i] >> 16);
        out[4 * i + 2] = (uint8_t)(st[i] >> 8);
        out[4 * i + 3] = (uint8_t)st[i];
    }
}
