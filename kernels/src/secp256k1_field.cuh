// Arithmetic in GF(p), p = 2^256 - 2^32 - 977 (secp256k1's field).
//
// Representation: 8 little-endian 32-bit limbs, always fully reduced (0 <= v < p) between calls,
// so equality and parity are plain limb comparisons. 32-bit limbs because the GPU's integer
// multiplier is 32-bit (a 64-bit product costs several IMADs); the device path uses PTX carry
// chains (add.cc/addc, mad.lo.cc/madc.hi), the host path portable C with 64-bit temporaries.
// Reduction uses 2^256 = 2^32 + 977 (mod p): the high half is folded twice, then one
// conditional subtraction of p.
#pragma once
#include <stdint.h>

#ifdef __CUDACC__
#define SECP_HD __host__ __device__ __forceinline__
// Larger routines stay out of line on the device to keep the PTX (and the driver's JIT time) small.
#define SECP_HD_CALL __host__ __device__ __noinline__
#else
#define SECP_HD static inline
#define SECP_HD_CALL static
#endif

struct fe {
    uint32_t d[8];
};

#define FE_C_LOW 977u  // 2^256 - p = 2^32 + 977

SECP_HD void fe_set_u32(fe* r, uint32_t v) {
    r->d[0] = v;
    for (int i = 1; i < 8; i++) r->d[i] = 0;
}

SECP_HD bool fe_is_zero(const fe* a) {
    uint32_t z = 0;
    for (int i = 0; i < 8; i++) z |= a->d[i];
    return z == 0;
}

SECP_HD bool fe_equal(const fe* a, const fe* b) {
    uint32_t z = 0;
    for (int i = 0; i < 8; i++) z |= a->d[i] ^ b->d[i];
    return z == 0;
}

SECP_HD bool fe_is_odd(const fe* a) { return a->d[0] & 1u; }

// Big-endian 32 bytes <-> 8 little-endian 32-bit limbs: the one byte conversion of field elements
// and scalars (fe_*_bytes, sc_*_bytes and the key cache use it).
SECP_HD void secp_limbs_from_be32(uint32_t d[8], const uint8_t* b) {
    for (int i = 0; i < 8; i++) {
        const uint8_t* w = b + 4 * (7 - i);
        d[i] = ((uint32_t)w[0] << 24) | ((uint32_t)w[1] << 16) | ((uint32_t)w[2] << 8) | w[3];
    }
}

SECP_HD void secp_limbs_to_be32(uint8_t* b, const uint32_t d[8]) {
    for (int i = 0; i < 8; i++) {
        uint32_t v = d[7 - i];
        b[4 * i] = (uint8_t)(v >> 24);
        b[4 * i + 1] = (uint8_t)(v >> 16);
        b[4 * i + 2] = (uint8_t)(v >> 8);
        b[4 * i + 3] = (uint8_t)v;
    }
}

// Big-endian 32 bytes -> limbs. Returns false (value left unreduced) when the value is >= p.
SECP_HD bool fe_from_bytes(fe* r, const uint8_t* b) {
    secp_limbs_from_be32(r->d, b);
    // v >= p  <=>  v + (2^256 - p) overflows 256 bits
    uint64_t c = (uint64_t)r->d[0] + 0x3D1u;
    c = (c >> 32) + (uint64_t)r->d[1] + 1u;
    c >>= 32;
    for (int i = 2; i < 8; i++) c = (c + r->d[i]) >> 32;
    return c == 0;
}

SECP_HD void fe_to_bytes(uint8_t* b, const fe* a) { secp_limbs_to_be32(b, a->d); }

// r = v mod p for any v < 2^256 given as limbs plus an extra "carry" bit k1 meaning v + k1 * 2^256.
// Precondition: if k1 is set, v < 2^256 - 2^33 - 1954 (true for every caller below).
SECP_HD void fe_final_reduce(fe* r, uint32_t k1) {
#ifdef __CUDA_ARCH__
    uint32_t t[8], k2;
    asm("add.cc.u32 %0, %9, 977;\n\t"
        "addc.cc.u32 %1, %10, 1;\n\t"
        "addc.cc.u32 %2, %11, 0;\n\t"
        "addc.cc.u32 %3, %12, 0;\n\t"
        "addc.cc.u32 %4, %13, 0;\n\t"
        "addc.cc.u32 %5, %14, 0;\n\t"
        "addc.cc.u32 %6, %15, 0;\n\t"
        "addc.cc.u32 %7, %16, 0;\n\t"
        "addc.u32 %8, 0, 0;"
        : "=r"(t[0]), "=r"(t[1]), "=r"(t[2]), "=r"(t[3]), "=r"(t[4]), "=r"(t[5]), "=r"(t[6]), "=r"(t[7]), "=r"(k2)
        : "r"(r->d[0]), "r"(r->d[1]), "r"(r->d[2]), "r"(r->d[3]), "r"(r->d[4]), "r"(r->d[5]), "r"(r->d[6]),
          "r"(r->d[7]));
    if (k1 | k2) {
        for (int i = 0; i < 8; i++) r->d[i] = t[i];
    }
#else
    uint32_t t[8];
    uint64_t c = (uint64_t)r->d[0] + 0x3D1u;
    t[0] = (uint32_t)c;
    c = (c >> 32) + (uint64_t)r->d[1] + 1u;
    t[1] = (uint32_t)c;
    c >>= 32;
    for (int i = 2; i < 8; i++) {
        c += r->d[i];
        t[i] = (uint32_t)c;
        c >>= 32;
    }
    if (k1 | (uint32_t)c) {
        for (int i = 0; i < 8; i++) r->d[i] = t[i];
    }
#endif
}

SECP_HD void fe_add(fe* r, const fe* a, const fe* b) {
    uint32_t k1;
#ifdef __CUDA_ARCH__
    asm("add.cc.u32 %0, %9, %17;\n\t"
        "addc.cc.u32 %1, %10, %18;\n\t"
        "addc.cc.u32 %2, %11, %19;\n\t"
        "addc.cc.u32 %3, %12, %20;\n\t"
        "addc.cc.u32 %4, %13, %21;\n\t"
        "addc.cc.u32 %5, %14, %22;\n\t"
        "addc.cc.u32 %6, %15, %23;\n\t"
        "addc.cc.u32 %7, %16, %24;\n\t"
        "addc.u32 %8, 0, 0;"
        : "=r"(r->d[0]), "=r"(r->d[1]), "=r"(r->d[2]), "=r"(r->d[3]), "=r"(r->d[4]), "=r"(r->d[5]), "=r"(r->d[6]),
          "=r"(r->d[7]), "=r"(k1)
        : "r"(a->d[0]), "r"(a->d[1]), "r"(a->d[2]), "r"(a->d[3]), "r"(a->d[4]), "r"(a->d[5]), "r"(a->d[6]),
          "r"(a->d[7]), "r"(b->d[0]), "r"(b->d[1]), "r"(b->d[2]), "r"(b->d[3]), "r"(b->d[4]), "r"(b->d[5]),
          "r"(b->d[6]), "r"(b->d[7]));
#else
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c += (uint64_t)a->d[i] + b->d[i];
        r->d[i] = (uint32_t)c;
        c >>= 32;
    }
    k1 = (uint32_t)c;
#endif
    // a + b < 2p: with a carry the low 256 bits are < p - 2^33, so adding 2^256 - p cannot carry again
    fe_final_reduce(r, k1);
}

SECP_HD void fe_sub(fe* r, const fe* a, const fe* b) {
#ifdef __CUDA_ARCH__
    uint32_t borrow;
    asm("sub.cc.u32 %0, %9, %17;\n\t"
        "subc.cc.u32 %1, %10, %18;\n\t"
        "subc.cc.u32 %2, %11, %19;\n\t"
        "subc.cc.u32 %3, %12, %20;\n\t"
        "subc.cc.u32 %4, %13, %21;\n\t"
        "subc.cc.u32 %5, %14, %22;\n\t"
        "subc.cc.u32 %6, %15, %23;\n\t"
        "subc.cc.u32 %7, %16, %24;\n\t"
        "subc.u32 %8, 0, 0;"
        : "=r"(r->d[0]), "=r"(r->d[1]), "=r"(r->d[2]), "=r"(r->d[3]), "=r"(r->d[4]), "=r"(r->d[5]), "=r"(r->d[6]),
          "=r"(r->d[7]), "=r"(borrow)
        : "r"(a->d[0]), "r"(a->d[1]), "r"(a->d[2]), "r"(a->d[3]), "r"(a->d[4]), "r"(a->d[5]), "r"(a->d[6]),
          "r"(a->d[7]), "r"(b->d[0]), "r"(b->d[1]), "r"(b->d[2]), "r"(b->d[3]), "r"(b->d[4]), "r"(b->d[5]),
          "r"(b->d[6]), "r"(b->d[7]));
    // on borrow the limbs hold a - b + 2^256; subtract 2^256 - p to get a - b + p
    uint32_t m0 = borrow & 977u, m1 = borrow & 1u;
    asm("sub.cc.u32 %0, %0, %8;\n\t"
        "subc.cc.u32 %1, %1, %9;\n\t"
        "subc.cc.u32 %2, %2, 0;\n\t"
        "subc.cc.u32 %3, %3, 0;\n\t"
        "subc.cc.u32 %4, %4, 0;\n\t"
        "subc.cc.u32 %5, %5, 0;\n\t"
        "subc.cc.u32 %6, %6, 0;\n\t"
        "subc.u32 %7, %7, 0;"
        : "+r"(r->d[0]), "+r"(r->d[1]), "+r"(r->d[2]), "+r"(r->d[3]), "+r"(r->d[4]), "+r"(r->d[5]), "+r"(r->d[6]),
          "+r"(r->d[7])
        : "r"(m0), "r"(m1));
#else
    int64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c += (int64_t)a->d[i] - (int64_t)b->d[i];
        r->d[i] = (uint32_t)c;
        c >>= 32;  // arithmetic shift: 0 or -1
    }
    if (c) {
        int64_t k = (int64_t)r->d[0] - 977;
        r->d[0] = (uint32_t)k;
        k = (k >> 32) + (int64_t)r->d[1] - 1;
        r->d[1] = (uint32_t)k;
        k >>= 32;
        for (int i = 2; i < 8 && k; i++) {
            k += r->d[i];
            r->d[i] = (uint32_t)k;
            k >>= 32;
        }
    }
#endif
}

SECP_HD void fe_neg(fe* r, const fe* a) {
    fe z;
    fe_set_u32(&z, 0);
    fe_sub(r, &z, a);
}

// r = a / 2 mod p: a + p when a is odd (257 bits), shifted right by one.
SECP_HD void fe_half(fe* r, const fe* a) {
    const uint32_t odd = 0u - (a->d[0] & 1u);
    const uint32_t pl[8] = {0xFFFFFC2Fu, 0xFFFFFFFEu, 0xFFFFFFFFu, 0xFFFFFFFFu,
                            0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu};
    uint32_t t[8];
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c += (uint64_t)a->d[i] + (pl[i] & odd);
        t[i] = (uint32_t)c;
        c >>= 32;
    }
    for (int i = 0; i < 7; i++) r->d[i] = (t[i] >> 1) | (t[i + 1] << 31);
    r->d[7] = (t[7] >> 1) | ((uint32_t)c << 31);
}

// r = (lo + 2^256 * hi + 2^512 * c) mod p for any 512-bit value t[0..15] and, with `wide`, a
// carry bit c (a sum of two products, fe_mul_add); without, c is ignored. Template flag, so the
// plain reduction carries no code of the wide one.
template <bool wide>
SECP_HD void fe_reduce_body(fe* r, const uint32_t t[16], uint32_t c) {
#ifdef __CUDA_ARCH__
    uint32_t u8, u9;
    // u = lo + hi * 977 + (hi << 32) in two carry chains over consecutive limbs (the products of
    // the even and of the odd limbs of hi, lo and hi words alternating), then their sum
    uint32_t v1, v2, v3, v4, v5, v6, v7, v8, v9;
    asm("mad.lo.cc.u32 %0, %17, 977, %9;\n\t"
        "madc.hi.cc.u32 %1, %17, 977, %10;\n\t"
        "madc.lo.cc.u32 %2, %19, 977, %11;\n\t"
        "madc.hi.cc.u32 %3, %19, 977, %12;\n\t"
        "madc.lo.cc.u32 %4, %21, 977, %13;\n\t"
        "madc.hi.cc.u32 %5, %21, 977, %14;\n\t"
        "madc.lo.cc.u32 %6, %23, 977, %15;\n\t"
        "madc.hi.cc.u32 %7, %23, 977, %16;\n\t"
        "addc.u32 %8, 0, 0;"
        : "=r"(r->d[0]), "=r"(r->d[1]), "=r"(r->d[2]), "=r"(r->d[3]), "=r"(r->d[4]), "=r"(r->d[5]), "=r"(r->d[6]),
          "=r"(r->d[7]), "=r"(u8)
        : "r"(t[0]), "r"(t[1]), "r"(t[2]), "r"(t[3]), "r"(t[4]), "r"(t[5]), "r"(t[6]), "r"(t[7]), "r"(t[8]),
          "r"(t[9]), "r"(t[10]), "r"(t[11]), "r"(t[12]), "r"(t[13]), "r"(t[14]), "r"(t[15]));
    asm("mad.lo.cc.u32 %0, %10, 977, %9;\n\t"
        "madc.hi.cc.u32 %1, %10, 977, %10;\n\t"
        "madc.lo.cc.u32 %2, %12, 977, %11;\n\t"
        "madc.hi.cc.u32 %3, %12, 977, %12;\n\t"
        "madc.lo.cc.u32 %4, %14, 977, %13;\n\t"
        "madc.hi.cc.u32 %5, %14, 977, %14;\n\t"
        "madc.lo.cc.u32 %6, %16, 977, %15;\n\t"
        "madc.hi.cc.u32 %7, %16, 977, %16;\n\t"
        "addc.u32 %8, 0, 0;"
        : "=r"(v1), "=r"(v2), "=r"(v3), "=r"(v4), "=r"(v5), "=r"(v6), "=r"(v7), "=r"(v8), "=r"(v9)
        : "r"(t[8]), "r"(t[9]), "r"(t[10]), "r"(t[11]), "r"(t[12]), "r"(t[13]), "r"(t[14]), "r"(t[15]));
    asm("add.cc.u32 %0, %0, %9;\n\t"
        "addc.cc.u32 %1, %1, %10;\n\t"
        "addc.cc.u32 %2, %2, %11;\n\t"
        "addc.cc.u32 %3, %3, %12;\n\t"
        "addc.cc.u32 %4, %4, %13;\n\t"
        "addc.cc.u32 %5, %5, %14;\n\t"
        "addc.cc.u32 %6, %6, %15;\n\t"
        "addc.cc.u32 %7, %7, %16;\n\t"
        "addc.u32 %8, %17, 0;"
        : "+r"(r->d[1]), "+r"(r->d[2]), "+r"(r->d[3]), "+r"(r->d[4]), "+r"(r->d[5]), "+r"(r->d[6]), "+r"(r->d[7]),
          "+r"(u8), "=r"(u9)
        : "r"(v1), "r"(v2), "r"(v3), "r"(v4), "r"(v5), "r"(v6), "r"(v7), "r"(v8), "r"(v9));
    // c * 2^512 = c * 2^256 * (2^32 + 977) (mod p): c * 977 into limb 8 and c into limb 9
    if (wide) asm("mad.lo.cc.u32 %0, %2, 977, %0;\n\taddc.u32 %1, %1, %2;" : "+r"(u8), "+r"(u9) : "r"(c));
    // fold the top T = u9 * 2^32 + u8 (< 2^34, < 2^35 when wide): add T * 977 + T * 2^32
    uint32_t k1;
    asm("{\n\t.reg .u32 a0, a1, a2;\n\t"
        "mul.lo.u32 a0, %9, 977;\n\t"
        "mul.hi.u32 a1, %9, 977;\n\t"
        "mad.lo.u32 a1, %10, 977, a1;\n\t"
        "add.cc.u32 a1, a1, %9;\n\t"
        "addc.u32 a2, %10, 0;\n\t"
        "add.cc.u32 %0, %0, a0;\n\t"
        "addc.cc.u32 %1, %1, a1;\n\t"
        "addc.cc.u32 %2, %2, a2;\n\t"
        "addc.cc.u32 %3, %3, 0;\n\t"
        "addc.cc.u32 %4, %4, 0;\n\t"
        "addc.cc.u32 %5, %5, 0;\n\t"
        "addc.cc.u32 %6, %6, 0;\n\t"
        "addc.cc.u32 %7, %7, 0;\n\t"
        "addc.u32 %8, 0, 0;\n\t}"
        : "+r"(r->d[0]), "+r"(r->d[1]), "+r"(r->d[2]), "+r"(r->d[3]), "+r"(r->d[4]), "+r"(r->d[5]), "+r"(r->d[6]),
          "+r"(r->d[7]), "=r"(k1)
        : "r"(u8), "r"(u9));
#else
    uint64_t acc = 0;
    for (int i = 0; i < 8; i++) {
        acc += (uint64_t)t[i] + (uint64_t)t[8 + i] * 977u + (i ? t[7 + i] : 0u);
        r->d[i] = (uint32_t)acc;
        acc >>= 32;
    }
    uint64_t top = acc + t[15];  // < 2^33
    if (wide) top += (uint64_t)c * 977u + ((uint64_t)c << 32);  // c * 2^512 (< 2^34 in all)
    uint64_t lo = top * 977u;
    acc = (uint64_t)r->d[0] + (uint32_t)lo;
    r->d[0] = (uint32_t)acc;
    acc = (acc >> 32) + (uint64_t)r->d[1] + (lo >> 32) + (top & 0xFFFFFFFFu);
    r->d[1] = (uint32_t)acc;
    acc = (acc >> 32) + (uint64_t)r->d[2] + (top >> 32);
    r->d[2] = (uint32_t)acc;
    acc >>= 32;
    for (int i = 3; i < 8; i++) {
        acc += r->d[i];
        r->d[i] = (uint32_t)acc;
        acc >>= 32;
    }
    uint32_t k1 = (uint32_t)acc;
#endif
    // with k1 set the low limbs are < 2^67, so the precondition of fe_final_reduce holds.
    // Both k1 and r >= p are rare (r >= p needs limbs 2..7 all ones: p's are), so a cheap test
    // guards the full conditional subtraction; the result is fully reduced either way.
    uint32_t ones = r->d[2] & r->d[3] & r->d[4] & r->d[5] & r->d[6] & r->d[7];
    if (k1 | (ones == 0xFFFFFFFFu)) fe_final_reduce(r, k1);
}

SECP_HD void fe_reduce512(fe* r, const uint32_t t[16]) { fe_reduce_body<false>(r, t, 0); }

SECP_HD void fe_reduce513(fe* r, const uint32_t t[16], uint32_t c) { fe_reduce_body<true>(r, t, c); }

// t += u (512 bits); returns the carry out.
SECP_HD uint32_t fe_add512(uint32_t t[16], const uint32_t u[16]) {
#ifdef __CUDA_ARCH__
    uint32_t c;
    asm("add.cc.u32 %0, %0, %17;\n\t"
        "addc.cc.u32 %1, %1, %18;\n\t"
        "addc.cc.u32 %2, %2, %19;\n\t"
        "addc.cc.u32 %3, %3, %20;\n\t"
        "addc.cc.u32 %4, %4, %21;\n\t"
        "addc.cc.u32 %5, %5, %22;\n\t"
        "addc.cc.u32 %6, %6, %23;\n\t"
        "addc.cc.u32 %7, %7, %24;\n\t"
        "addc.cc.u32 %8, %8, %25;\n\t"
        "addc.cc.u32 %9, %9, %26;\n\t"
        "addc.cc.u32 %10, %10, %27;\n\t"
        "addc.cc.u32 %11, %11, %28;\n\t"
        "addc.cc.u32 %12, %12, %29;\n\t"
        "addc.cc.u32 %13, %13, %30;\n\t"
        "addc.cc.u32 %14, %14, %31;\n\t"
        "addc.cc.u32 %15, %15, %32;\n\t"
        "addc.u32 %16, 0, 0;"
        : "+r"(t[0]), "+r"(t[1]), "+r"(t[2]), "+r"(t[3]), "+r"(t[4]), "+r"(t[5]), "+r"(t[6]), "+r"(t[7]), "+r"(t[8]),
          "+r"(t[9]), "+r"(t[10]), "+r"(t[11]), "+r"(t[12]), "+r"(t[13]), "+r"(t[14]), "+r"(t[15]), "=r"(c)
        : "r"(u[0]), "r"(u[1]), "r"(u[2]), "r"(u[3]), "r"(u[4]), "r"(u[5]), "r"(u[6]), "r"(u[7]), "r"(u[8]), "r"(u[9]),
          "r"(u[10]), "r"(u[11]), "r"(u[12]), "r"(u[13]), "r"(u[14]), "r"(u[15]));
    return c;
#else
    uint64_t c = 0;
    for (int i = 0; i < 16; i++) {
        c += (uint64_t)t[i] + u[i];
        t[i] = (uint32_t)c;
        c >>= 32;
    }
    return (uint32_t)c;
#endif
}

// t = a * b (512 bits). On the device a generated carry-chain layout (tools/gen_field_asm.py):
// the products are accumulated by the parity of i + j so that each lo/hi pair stays in an
// aligned register pair and becomes one wide multiply-add, ~160 SASS instructions per fe_mul
// against ~250 for the row-by-row layout and ~314 for this C code (sm_90, nvcc 13).
SECP_HD void fe_mul512(uint32_t t[16], const fe* a, const fe* b) {
#ifdef __CUDA_ARCH__
    asm(
#include "secp256k1_mul_asm.inc"
        : "=r"(t[0]), "=r"(t[1]), "=r"(t[2]), "=r"(t[3]), "=r"(t[4]), "=r"(t[5]), "=r"(t[6]), "=r"(t[7]), "=r"(t[8]),
          "=r"(t[9]), "=r"(t[10]), "=r"(t[11]), "=r"(t[12]), "=r"(t[13]), "=r"(t[14]), "=r"(t[15])
        : "r"(a->d[0]), "r"(a->d[1]), "r"(a->d[2]), "r"(a->d[3]), "r"(a->d[4]), "r"(a->d[5]), "r"(a->d[6]),
          "r"(a->d[7]), "r"(b->d[0]), "r"(b->d[1]), "r"(b->d[2]), "r"(b->d[3]), "r"(b->d[4]), "r"(b->d[5]),
          "r"(b->d[6]), "r"(b->d[7]));
#else
    for (int i = 0; i < 16; i++) t[i] = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t c = 0;
        for (int j = 0; j < 8; j++) {
            c += (uint64_t)a->d[j] * b->d[i] + t[i + j];
            t[i + j] = (uint32_t)c;
            c >>= 32;
        }
        t[i + 8] = (uint32_t)c;
    }
#endif
}

// 512-bit square: the 28 cross products once, doubled, plus the 8 squares (36 instead of 64
// 32 x 32-bit products). On the device the generated layout of fe_mul512 (tools/gen_field_asm.py).
SECP_HD void fe_sqr512(uint32_t t[16], const fe* a) {
#ifdef __CUDA_ARCH__
    const uint32_t* x = a->d;
    asm(
#include "secp256k1_sqr_asm.inc"
        : "=r"(t[0]), "=r"(t[1]), "=r"(t[2]), "=r"(t[3]), "=r"(t[4]), "=r"(t[5]), "=r"(t[6]), "=r"(t[7]), "=r"(t[8]),
          "=r"(t[9]), "=r"(t[10]), "=r"(t[11]), "=r"(t[12]), "=r"(t[13]), "=r"(t[14]), "=r"(t[15])
        : "r"(x[0]), "r"(x[1]), "r"(x[2]), "r"(x[3]), "r"(x[4]), "r"(x[5]), "r"(x[6]), "r"(x[7]));
#else
    const uint32_t* x = a->d;
    for (int i = 0; i < 16; i++) t[i] = 0;
    for (int i = 0; i < 7; i++) {
        uint64_t c = 0;
        for (int j = i + 1; j < 8; j++) {
            c += (uint64_t)x[i] * x[j] + t[i + j];
            t[i + j] = (uint32_t)c;
            c >>= 32;
        }
        t[i + 8] = (uint32_t)c;
    }
    // the cross products are < 2^480: doubling them fits in 16 limbs
    t[15] = t[14] >> 31;
    for (int k = 14; k >= 2; k--) t[k] = (t[k] << 1) | (t[k - 1] >> 31);
    t[1] <<= 1;
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c += (uint64_t)x[i] * x[i] + t[2 * i];
        t[2 * i] = (uint32_t)c;
        c >>= 32;
        c += t[2 * i + 1];
        t[2 * i + 1] = (uint32_t)c;
        c >>= 32;
    }
#endif
}

SECP_HD void fe_mul(fe* r, const fe* a, const fe* b) {
    uint32_t t[16];
    fe_mul512(t, a, b);
    fe_reduce512(r, t);
}

SECP_HD void fe_sqr(fe* r, const fe* a) {
    uint32_t t[16];
    fe_sqr512(t, a);
    fe_reduce512(r, t);
}

// Lazy reduction (BIP340_LAZY): r = a*b + c*d resp. a*b + c^2 (mod p) with ONE reduction of the
// 513-bit sum of the two products instead of two reductions and an addition.
SECP_HD void fe_mul_add(fe* r, const fe* a, const fe* b, const fe* c, const fe* d) {
    uint32_t t[16], u[16];
    fe_mul512(t, a, b);
    fe_mul512(u, c, d);
    uint32_t k = fe_add512(t, u);
    fe_reduce513(r, t, k);
}

SECP_HD void fe_mul_add_sqr(fe* r, const fe* a, const fe* b, const fe* c) {
    uint32_t t[16], u[16];
    fe_mul512(t, a, b);
    fe_sqr512(u, c);
    uint32_t k = fe_add512(t, u);
    fe_reduce513(r, t, k);
}

SECP_HD_CALL void fe_sqr_n(fe* r, const fe* a, int n) {
    fe t;  // a local value, so the loop keeps it in registers instead of storing through r
    fe_sqr(&t, a);
#ifdef __CUDA_ARCH__
#pragma unroll 1
#endif
    for (int i = 1; i < n; i++) fe_sqr(&t, &t);
    *r = t;
}

// x^(2^k - 1) building blocks shared by the inversion and the square root chains.
struct fe_pow_blocks {
    fe x2, x3, x22, x223;
};

SECP_HD_CALL void fe_pow_common(fe_pow_blocks* b, const fe* a) {
    fe x6, x9, x11, x44, x88, x176, x220, t;
    fe_sqr(&t, a);
    fe_mul(&b->x2, &t, a);  // a^(2^2-1)
    fe_sqr(&t, &b->x2);
    fe_mul(&b->x3, &t, a);  // a^(2^3-1)
    fe_sqr_n(&t, &b->x3, 3);
    fe_mul(&x6, &t, &b->x3);
    fe_sqr_n(&t, &x6, 3);
    fe_mul(&x9, &t, &b->x3);
    fe_sqr_n(&t, &x9, 2);
    fe_mul(&x11, &t, &b->x2);
    fe_sqr_n(&t, &x11, 11);
    fe_mul(&b->x22, &t, &x11);
    fe_sqr_n(&t, &b->x22, 22);
    fe_mul(&x44, &t, &b->x22);
    fe_sqr_n(&t, &x44, 44);
    fe_mul(&x88, &t, &x44);
    fe_sqr_n(&t, &x88, 88);
    fe_mul(&x176, &t, &x88);
    fe_sqr_n(&t, &x176, 44);
    fe_mul(&x220, &t, &x44);
    fe_sqr_n(&t, &x220, 3);
    fe_mul(&b->x223, &t, &b->x3);
}

// r = a^(p-2) = a^-1 (0 maps to 0). p - 2 = [223 ones] 0 [22 ones] 0000 1 0 11 0 1.
SECP_HD_CALL void fe_inv(fe* r, const fe* a) {
    fe_pow_blocks b;
    fe_pow_common(&b, a);
    fe t;
    fe_sqr_n(&t, &b.x223, 23);
    fe_mul(&t, &t, &b.x22);
    fe_sqr_n(&t, &t, 5);
    fe_mul(&t, &t, a);
    fe_sqr_n(&t, &t, 3);
    fe_mul(&t, &t, &b.x2);
    fe_sqr_n(&t, &t, 2);
    fe_mul(r, &t, a);
}

// r = a^((p+1)/4); returns whether r^2 == a (a is a square). (p+1)/4 = [223 ones] 0 [22 ones] 000000 11 00.
SECP_HD_CALL bool fe_sqrt(fe* r, const fe* a) {
    fe_pow_blocks b;
    fe_pow_common(&b, a);
    fe t;
    fe_sqr_n(&t, &b.x223, 23);
    fe_mul(&t, &t, &b.x22);
    fe_sqr_n(&t, &t, 6);
    fe_mul(&t, &t, &b.x2);
    fe_sqr(&t, &t);
    fe_sqr(r, &t);
    fe_sqr(&t, r);
    return fe_equal(&t, a);
}
