// BIP-340 verification for one signature, shared by the kernel and the host tests.
#pragma once
#include "secp256k1_field.cuh"
#include "secp256k1_group.cuh"
#include "secp256k1_scalar.cuh"
#include "secp256k1_tables.cuh"
#include "sha256.cuh"

#ifdef __CUDACC__
__device__ const ge secp_g_table_dev[SECP_G_TABLE_SIZE] = SECP_G_TABLE_INIT;
__device__ const ge secp_lambda_g_table_dev[SECP_G_TABLE_SIZE] = SECP_LAMBDA_G_TABLE_INIT;
#endif
static const ge secp_g_table_host[SECP_G_TABLE_SIZE] = SECP_G_TABLE_INIT;
static const ge secp_lambda_g_table_host[SECP_G_TABLE_SIZE] = SECP_LAMBDA_G_TABLE_INIT;

#define SECP_WINDOW_P 5                               // wNAF width for the variable base
#define SECP_P_TABLE_SIZE (1 << (SECP_WINDOW_P - 2))  // odd multiples 1P .. 15P
#define SECP_WNAF_LEN 257                             // digits of a 256-bit scalar
#define SECP_GLV_BITS 130                             // bound checked on the split halves (they are < 2^128)
#define SECP_GLV_WNAF_LEN (SECP_GLV_BITS + 1)

// Odd multiple |digit| G of the generator (of lambda G when `lambda`), negated when `negate`.
SECP_HD void secp_g_multiple(ge* r, int digit, bool lambda, bool negate) {
    int idx = (digit < 0 ? -digit : digit) >> 1;
#ifdef __CUDA_ARCH__
    const ge* table = lambda ? secp_lambda_g_table_dev : secp_g_table_dev;
    const uint4* src = reinterpret_cast<const uint4*>(&table[idx]);
    uint4* dst = reinterpret_cast<uint4*>(r);
    for (int i = 0; i < 4; i++) dst[i] = __ldg(src + i);
#else
    *r = (lambda ? secp_lambda_g_table_host : secp_g_table_host)[idx];
#endif
    if (negate) fe_neg(&r->y, &r->y);
}

// Width-w non-adjacent form of k (< 2^256): out[i] in {0, +-1, +-3, .., +-(2^(w-1)-1)},
// k = sum out[i] 2^i. Returns the number of digits up to the highest non-zero one.
SECP_HD int secp_wnaf(int8_t* out, int len, const uint32_t k[8], int w) {
    for (int i = 0; i < len; i++) out[i] = 0;
    int carry = 0, last = 0, bit = 0;
    while (bit < len) {
        if ((int)sc_get_bits(k, bit, 1) == carry) {
            bit++;
            continue;
        }
        int width = w;
        if (bit + width > len) width = len - bit;
        int word = (int)sc_get_bits(k, bit, width) + carry;
        carry = (word >> (w - 1)) & 1;
        word -= carry << w;
        out[bit] = (int8_t)word;
        last = bit + 1;
        bit += width;
    }
    return last;
}

// Odd multiples 1Q, 3Q, .., 15Q (Jacobian) of an affine point.
SECP_HD void secp_odd_multiples(gej table[SECP_P_TABLE_SIZE], const ge* q) {
    gej twice;
    gej_set_ge(&table[0], q);
    gej_double(&twice, &table[0]);
    for (int i = 1; i < SECP_P_TABLE_SIZE; i++) gej_add(&table[i], &table[i - 1], &twice);
}

// r = s*G + e*Q (Strauss-Shamir: one shared doubling chain, wNAF digits for both scalars).
SECP_HD_CALL void secp_ecmult(gej* r, const sc* s, const sc* e, const ge* q) {
    gej table[SECP_P_TABLE_SIZE];
    secp_odd_multiples(table, q);

    int8_t naf_s[SECP_WNAF_LEN], naf_e[SECP_WNAF_LEN];
    int len_s = secp_wnaf(naf_s, SECP_WNAF_LEN, s->d, SECP_WINDOW_G);
    int len_e = secp_wnaf(naf_e, SECP_WNAF_LEN, e->d, SECP_WINDOW_P);
    int len = len_s > len_e ? len_s : len_e;

    gej_set_infinity(r);
    for (int i = len - 1; i >= 0; i--) {
        gej_double(r, r);
        int ds = naf_s[i];
        if (ds) {
            ge g;
            secp_g_multiple(&g, ds, false, ds < 0);
            gej_add_ge(r, r, &g);
        }
        int de = naf_e[i];
        if (de) {
            gej t = table[(de < 0 ? -de : de) >> 1];
            if (de < 0) fe_neg(&t.y, &t.y);
            gej_add(r, r, &t);
        }
    }
}

// r = s*G + e*Q with the GLV endomorphism: s = s1 + s2*lambda, e = e1 + e2*lambda, and
// lambda*(x, y) = (beta*x, y), so four ~128-bit wNAFs share one chain of ~128 doublings.
// Returns false (r untouched) if a split half were too large for the digit arrays.
SECP_HD_CALL bool secp_ecmult_glv(gej* r, const sc* s, const sc* e, const ge* q) {
    sc s1, s2, e1, e2;
    bool ns1, ns2, ne1, ne2;
    if (!sc_split_lambda(&s1, &ns1, &s2, &ns2, s, SECP_GLV_BITS)) return false;
    if (!sc_split_lambda(&e1, &ne1, &e2, &ne2, e, SECP_GLV_BITS)) return false;

    gej table[SECP_P_TABLE_SIZE];
    fe beta_x[SECP_P_TABLE_SIZE];
    secp_odd_multiples(table, q);
    const fe beta = SECP_BETA_INIT;
    for (int i = 0; i < SECP_P_TABLE_SIZE; i++) fe_mul(&beta_x[i], &table[i].x, &beta);

    int8_t naf_s1[SECP_GLV_WNAF_LEN], naf_s2[SECP_GLV_WNAF_LEN], naf_e1[SECP_GLV_WNAF_LEN], naf_e2[SECP_GLV_WNAF_LEN];
    int len = secp_wnaf(naf_s1, SECP_GLV_WNAF_LEN, s1.d, SECP_WINDOW_G);
    int l = secp_wnaf(naf_s2, SECP_GLV_WNAF_LEN, s2.d, SECP_WINDOW_G);
    if (l > len) len = l;
    l = secp_wnaf(naf_e1, SECP_GLV_WNAF_LEN, e1.d, SECP_WINDOW_P);
    if (l > len) len = l;
    l = secp_wnaf(naf_e2, SECP_GLV_WNAF_LEN, e2.d, SECP_WINDOW_P);
    if (l > len) len = l;

    gej_set_infinity(r);
    for (int i = len - 1; i >= 0; i--) {
        gej_double(r, r);
        int d = naf_s1[i];
        if (d) {
            ge g;
            secp_g_multiple(&g, d, false, (d < 0) != ns1);
            gej_add_ge(r, r, &g);
        }
        d = naf_s2[i];
        if (d) {
            ge g;
            secp_g_multiple(&g, d, true, (d < 0) != ns2);
            gej_add_ge(r, r, &g);
        }
        d = naf_e1[i];
        if (d) {
            gej t = table[(d < 0 ? -d : d) >> 1];
            if ((d < 0) != ne1) fe_neg(&t.y, &t.y);
            gej_add(r, r, &t);
        }
        d = naf_e2[i];
        if (d) {
            int idx = (d < 0 ? -d : d) >> 1;
            gej t = table[idx];
            t.x = beta_x[idx];
            if ((d < 0) != ne2) fe_neg(&t.y, &t.y);
            gej_add(r, r, &t);
        }
    }
    return true;
}

// e = int(sha256(sha256(tag) || sha256(tag) || r || px || m)) as big-endian words; inputs are
// the 32-byte strings as 8 big-endian words each.
SECP_HD void bip340_challenge_words(uint32_t out[8], const uint32_t r[8], const uint32_t px[8], const uint32_t m[8]) {
    const uint32_t mid[8] = BIP340_CHALLENGE_MIDSTATE;
    uint32_t w[16];
    for (int i = 0; i < 8; i++) out[i] = mid[i];
    for (int i = 0; i < 8; i++) {
        w[i] = r[i];
        w[8 + i] = px[i];
    }
    sha256_compress(out, w);
    for (int i = 0; i < 8; i++) w[i] = m[i];
    w[8] = 0x80000000u;
    for (int i = 9; i < 15; i++) w[i] = 0;
    w[15] = (64 + 96) * 8;  // message length in bits
    sha256_compress(out, w);
}

// Big-endian words (w[0] most significant) -> little-endian limbs.
SECP_HD void secp_limbs_from_words(uint32_t limbs[8], const uint32_t* words) {
    for (int i = 0; i < 8; i++) limbs[i] = words[7 - i];
}

// The verdict for one record of 32 big-endian words: message (0..7) | x-only key (8..15) |
// r (16..23) | s (24..31).
SECP_HD bool bip340_verify_words(const uint32_t rec[32]) {
    fe px, rx;
    sc s, e;
    secp_limbs_from_words(px.d, rec + 8);
    secp_limbs_from_words(rx.d, rec + 16);
    secp_limbs_from_words(s.d, rec + 24);
    uint32_t t[8];
    // each value is < p (resp. < n) iff adding 2^256 - p (resp. 2^256 - n) does not carry
    fe tmp = px;
    fe_final_reduce(&tmp, 0);
    if (!fe_equal(&tmp, &px)) return false;  // public key x >= p
    tmp = rx;
    fe_final_reduce(&tmp, 0);
    if (!fe_equal(&tmp, &rx)) return false;  // r >= p
    if (sc_add_nc(t, s.d)) return false;     // s >= n

    ge p;
    if (!ge_lift_x_even(&p, &px)) return false;

    uint32_t h[8];
    bip340_challenge_words(h, rec + 16, rec + 8, rec);
    secp_limbs_from_words(e.d, h);
    sc_reduce_once(&e, 0);

    // R = s*G - e*P = s*G + e*(-P)
    fe_neg(&p.y, &p.y);
    gej R;
    if (!secp_ecmult_glv(&R, &s, &e, &p)) secp_ecmult(&R, &s, &e, &p);
    if (gej_is_infinity(&R)) return false;

    // x(R) == r  <=>  X == r * Z^2 (no inversion needed)
    fe z2, rz2;
    fe_sqr(&z2, &R.z);
    fe_mul(&rz2, &rx, &z2);
    if (!fe_equal(&rz2, &R.x)) return false;

    // even y(R): y = Y / Z^3
    fe zi, zi3, y;
    fe_inv(&zi, &R.z);
    fe_sqr(&zi3, &zi);
    fe_mul(&zi3, &zi3, &zi);
    fe_mul(&y, &R.y, &zi3);
    return !fe_is_odd(&y);
}

SECP_HD void secp_words_from_bytes(uint32_t* words, const uint8_t* b, int count) {
    for (int i = 0; i < count; i++) {
        words[i] = ((uint32_t)b[4 * i] << 24) | ((uint32_t)b[4 * i + 1] << 16) | ((uint32_t)b[4 * i + 2] << 8) |
                   b[4 * i + 3];
    }
}

// Byte interface: one 128-byte record message | key | signature (the kernel's input layout).
SECP_HD bool bip340_verify_record(const uint8_t rec[128]) {
    uint32_t w[32];
    secp_words_from_bytes(w, rec, 32);
    return bip340_verify_words(w);
}
