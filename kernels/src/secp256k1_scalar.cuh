// Integers modulo the group order n of secp256k1, 8 little-endian 32-bit limbs, fully reduced.
// Scalar work is a handful of operations per signature, so one portable C implementation serves
// both host and device.
#pragma once
#include "secp256k1_field.cuh"
#include "secp256k1_tables.cuh"

struct sc {
    uint32_t d[8];
};

// n = FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFE BAAEDCE6 AF48A03B BFD25E8C D0364141
#define SC_N0 0xD0364141u
#define SC_N1 0xBFD25E8Cu
#define SC_N2 0xAF48A03Bu
#define SC_N3 0xBAAEDCE6u
#define SC_N4 0xFFFFFFFEu
#define SC_N5 0xFFFFFFFFu
#define SC_N6 0xFFFFFFFFu
#define SC_N7 0xFFFFFFFFu
// 2^256 - n (129 bits): 1 45512319 50B75FC4 402DA173 2FC9BEBF
#define SC_NC0 0x2FC9BEBFu
#define SC_NC1 0x402DA173u
#define SC_NC2 0x50B75FC4u
#define SC_NC3 0x45512319u
#define SC_NC4 0x00000001u

SECP_HD bool sc_is_zero(const sc* a) {
    uint32_t z = 0;
    for (int i = 0; i < 8; i++) z |= a->d[i];
    return z == 0;
}

// Adds 2^256 - n to the limbs; returns the carry out (1 <=> the input was >= n).
SECP_HD uint32_t sc_add_nc(uint32_t out[8], const uint32_t a[8]) {
    const uint32_t nc[5] = {SC_NC0, SC_NC1, SC_NC2, SC_NC3, SC_NC4};
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c += (uint64_t)a[i] + (i < 5 ? nc[i] : 0u);
        out[i] = (uint32_t)c;
        c >>= 32;
    }
    return (uint32_t)c;
}

// Reduces a value v + k * 2^256 (k in {0,1}, total < 2n) to [0, n).
SECP_HD void sc_reduce_once(sc* r, uint32_t k) {
    uint32_t t[8];
    uint32_t c = sc_add_nc(t, r->d);
    if (c | k) {
        for (int i = 0; i < 8; i++) r->d[i] = t[i];
    }
}

// Big-endian bytes -> scalar. Returns false when the value is >= n (then r is reduced mod n).
SECP_HD bool sc_from_bytes(sc* r, const uint8_t* b) {
    secp_limbs_from_be32(r->d, b);
    uint32_t t[8];
    uint32_t overflow = sc_add_nc(t, r->d);
    if (overflow) {
        for (int i = 0; i < 8; i++) r->d[i] = t[i];
    }
    return overflow == 0;
}

SECP_HD void sc_to_bytes(uint8_t* b, const sc* a) { secp_limbs_to_be32(b, a->d); }

SECP_HD void sc_add(sc* r, const sc* a, const sc* b) {
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c += (uint64_t)a->d[i] + b->d[i];
        r->d[i] = (uint32_t)c;
        c >>= 32;
    }
    sc_reduce_once(r, (uint32_t)c);
}

SECP_HD void sc_negate(sc* r, const sc* a) {
    // n - a, and 0 stays 0
    const uint32_t n[8] = {SC_N0, SC_N1, SC_N2, SC_N3, SC_N4, SC_N5, SC_N6, SC_N7};
    uint32_t nonzero = sc_is_zero(a) ? 0u : 0xFFFFFFFFu;
    int64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c += (int64_t)(n[i] & nonzero) - (int64_t)(a->d[i] & nonzero);
        r->d[i] = (uint32_t)c;
        c >>= 32;
    }
}

// r = t mod n for any 512-bit t (16 little-endian limbs), folding with 2^256 = 2^256 - n (mod n).
SECP_HD void sc_reduce512(sc* r, const uint32_t t[16]) {
    const uint32_t nc[5] = {SC_NC0, SC_NC1, SC_NC2, SC_NC3, SC_NC4};
    uint32_t cur[16];
    for (int i = 0; i < 16; i++) cur[i] = t[i];
    int len = 16;  // limbs that may be non-zero
    // Each fold: 256 + len' bits -> at most 129 + (len'*32) + 1 bits; three folds reach <= 2^256 + small.
    while (len > 8) {
        uint32_t next[16];
        for (int i = 0; i < 16; i++) next[i] = 0;
        for (int i = 0; i < 8; i++) next[i] = cur[i];
        for (int i = 8; i < len; i++) {
            uint32_t hi = cur[i];
            if (!hi) continue;
            uint64_t c = 0;
            int j = 0;
            for (; j < 5; j++) {
                c += (uint64_t)hi * nc[j] + next[i - 8 + j];
                next[i - 8 + j] = (uint32_t)c;
                c >>= 32;
            }
            for (int k = i - 8 + j; c && k < 16; k++) {
                c += next[k];
                next[k] = (uint32_t)c;
                c >>= 32;
            }
        }
        int nl = 16;
        while (nl > 8 && next[nl - 1] == 0) nl--;
        for (int i = 0; i < 16; i++) cur[i] = next[i];
        len = nl;
    }
    for (int i = 0; i < 8; i++) r->d[i] = cur[i];
    sc_reduce_once(r, 0);
}

// Plain 256x256 -> 512-bit product.
SECP_HD void mul256(uint32_t t[16], const uint32_t a[8], const uint32_t b[8]) {
    for (int i = 0; i < 16; i++) t[i] = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t c = 0;
        for (int j = 0; j < 8; j++) {
            c += (uint64_t)a[j] * b[i] + t[i + j];
            t[i + j] = (uint32_t)c;
            c >>= 32;
        }
        t[i + 8] = (uint32_t)c;
    }
}

SECP_HD void sc_mul(sc* r, const sc* a, const sc* b) {
    uint32_t t[16];
    mul256(t, a->d, b->d);
    sc_reduce512(r, t);
}

// Bits [pos, pos + count) of a (count <= 16 here), reading past bit 255 as zeros.
SECP_HD uint32_t sc_get_bits(const uint32_t a[8], int pos, int count) {
    int limb = pos >> 5, shift = pos & 31;
    if (limb >= 8) return 0;
    uint64_t w = a[limb];
    if (limb + 1 < 8) w |= (uint64_t)a[limb + 1] << 32;
    return (uint32_t)(w >> shift) & ((1u << count) - 1u);
}

// a > (n-1)/2, i.e. a is the representative of a "negative" value.
SECP_HD bool sc_is_high(const sc* a) {
    // (n-1)/2 = 7FFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF 5D576E73 57A4501D DFE92F46 681B20A0
    const uint32_t h[8] = {0x681B20A0u, 0xDFE92F46u, 0x57A4501Du, 0x5D576E73u,
                           0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0x7FFFFFFFu};
    for (int i = 7; i >= 0; i--) {
        if (a->d[i] != h[i]) return a->d[i] > h[i];
    }
    return false;
}

// round(k * g / 2^384) for the 256-bit constants g of the GLV split.
SECP_HD void sc_mul_shift384_round(sc* r, const sc* k, const uint32_t g[8]) {
    uint32_t t[16];
    mul256(t, k->d, g);
    uint64_t c = (t[11] >> 31) & 1u;  // bit 383 rounds
    for (int i = 0; i < 4; i++) {
        c += t[12 + i];
        r->d[i] = (uint32_t)c;
        c >>= 32;
    }
    for (int i = 4; i < 8; i++) r->d[i] = 0;
}

// GLV split: k = k1 + k2 * lambda (mod n) with |k1|, |k2| small. Each half is returned as a
// magnitude and a sign (true = the half is -magnitude). Returns false if a magnitude does not fit
// in `bits` bits (never seen: they are below 2^128; callers then fall back to the unsplit path).
SECP_HD bool sc_split_lambda(sc* k1, bool* neg1, sc* k2, bool* neg2, const sc* k, int bits) {
    const sc g1 = SECP_GLV_G1_INIT, g2 = SECP_GLV_G2_INIT;
    const sc minus_b1 = SECP_GLV_MINUS_B1_INIT, minus_b2 = SECP_GLV_MINUS_B2_INIT;
    const sc lambda = SECP_LAMBDA_INIT;
    sc c1, c2, t;
    sc_mul_shift384_round(&c1, k, g1.d);
    sc_mul_shift384_round(&c2, k, g2.d);
    sc_mul(&c1, &c1, &minus_b1);
    sc_mul(&c2, &c2, &minus_b2);
    sc_add(k2, &c1, &c2);
    sc_mul(&t, k2, &lambda);
    sc_negate(&t, &t);
    sc_add(k1, k, &t);
    *neg1 = sc_is_high(k1);
    if (*neg1) sc_negate(k1, k1);
    *neg2 = sc_is_high(k2);
    if (*neg2) sc_negate(k2, k2);
    // magnitude < 2^bits: limbs above and the high bits of the boundary limb are zero
    uint32_t over = 0;
    for (int i = 0; i < 8; i++) {
        int lo = 32 * i;
        uint32_t mask = lo >= bits ? 0xFFFFFFFFu : (bits - lo >= 32 ? 0u : ~((1u << (bits - lo)) - 1u));
        over |= (k1->d[i] | k2->d[i]) & mask;
    }
    return over == 0;
}
