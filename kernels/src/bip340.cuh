// BIP-340 verification for one signature, shared by the kernel and the host tests.
#pragma once
#include "secp256k1_field.cuh"
#include "secp256k1_group.cuh"
#include "secp256k1_scalar.cuh"
#include "secp256k1_tables.cuh"
#include "sha256.cuh"

// Compile-time variants (kernels/README.md, "Variants"); the committed PTX uses the defaults.
// BIP340_COMB=1: the scalar halves are split once more at bit 64 and the key's table also holds
// the multiples of 2^64 Q (G: constant tables of 2^64 G), so the loop needs 64 doublings instead
// of 128; the larger table (1120 bytes) is what the key cache keeps.
#ifndef BIP340_COMB
#define BIP340_COMB 0
#endif

// Verdict codes, equal to the event bus's: the host clears the verdict buffer to
// BIP340_NOT_VERIFIED before a launch, so a verdict the kernel never wrote reads as such.
#define BIP340_NOT_VERIFIED 0
#define BIP340_VALID 1
#define BIP340_INVALID 2

#ifdef __CUDACC__
__device__ const ge secp_g_table_dev[SECP_G_TABLE_SIZE] = SECP_G_TABLE_INIT;
__device__ const ge secp_lambda_g_table_dev[SECP_G_TABLE_SIZE] = SECP_LAMBDA_G_TABLE_INIT;
#if BIP340_COMB
__device__ const ge secp_g64_table_dev[SECP_G_TABLE_SIZE] = SECP_G64_TABLE_INIT;
__device__ const ge secp_lambda_g64_table_dev[SECP_G_TABLE_SIZE] = SECP_LAMBDA_G64_TABLE_INIT;
#endif
#endif
static const ge secp_g_table_host[SECP_G_TABLE_SIZE] = SECP_G_TABLE_INIT;
static const ge secp_lambda_g_table_host[SECP_G_TABLE_SIZE] = SECP_LAMBDA_G_TABLE_INIT;
#if BIP340_COMB
static const ge secp_g64_table_host[SECP_G_TABLE_SIZE] = SECP_G64_TABLE_INIT;
static const ge secp_lambda_g64_table_host[SECP_G_TABLE_SIZE] = SECP_LAMBDA_G64_TABLE_INIT;
#endif

#ifdef __CUDA_ARCH__
#define SECP_LOOP_ROLLED _Pragma("unroll 1")
#else
#define SECP_LOOP_ROLLED
#endif

// Scalar multiplication R = s*G + e*Q with signed fixed windows (Booth recoding) over one shared
// doubling chain (Strauss-Shamir). Fixed windows rather than wNAF because the threads of a warp
// run different scalars in lock step: with wNAF some thread almost always has a non-zero digit
// at any bit, so a warp would pay every addition at every bit; with fixed windows the warp pays
// one addition per scalar per window.
#define SECP_WINDOW_P 4                               // window width for the variable base Q
#define SECP_P_TABLE_SIZE (1 << (SECP_WINDOW_P - 1))  // multiples 1Q .. 8Q
#define SECP_STEP_BITS SECP_WINDOW_P                  // doublings between two window additions
#define SECP_GLV_BITS 130                             // bound checked on the split halves (they are < 2^128)
#define SECP_GLV_STEPS 33                             // 33 * 4 = 132 bits > SECP_GLV_BITS + 1
#define SECP_FULL_STEPS 65                            // 65 * 4 = 260 bits > 256 + 1
#define SECP_SCALAR_LIMBS 10                          // 8 limbs plus zero limbs read by the top windows
#if SECP_WINDOW_G != 2 * SECP_WINDOW_P
#error "the G windows must be exactly two P windows"
#endif

// Multiple |digit| B of the base B = G (lambda G when `lambda`; with `hi` (BIP340_COMB only)
// 2^64 G resp. lambda 2^64 G), negated when `negate`.
SECP_HD void secp_g_multiple(ge* r, int digit, bool lambda, bool negate, bool hi = false) {
    int idx = (digit < 0 ? -digit : digit) - 1;
#ifdef __CUDA_ARCH__
    const ge* table = lambda ? secp_lambda_g_table_dev : secp_g_table_dev;
#if BIP340_COMB
    if (hi) table = lambda ? secp_lambda_g64_table_dev : secp_g64_table_dev;
#endif
    const uint4* src = reinterpret_cast<const uint4*>(&table[idx]);
    uint4* dst = reinterpret_cast<uint4*>(r);
    for (int i = 0; i < 4; i++) dst[i] = __ldg(src + i);
#else
    const ge* table = lambda ? secp_lambda_g_table_host : secp_g_table_host;
#if BIP340_COMB
    if (hi) table = lambda ? secp_lambda_g64_table_host : secp_g64_table_host;
#endif
    *r = table[idx];
#endif
    if (negate) fe_neg(&r->y, &r->y);
}

// Signed digit of k (limbs k[0..9], k < 2^(top window end - 1)) for the window of width w that
// starts at bit pos: bits [pos, pos + w) plus the bit below pos, minus 2^w when the window's top
// bit is set. Digits lie in [-2^(w-1), 2^(w-1)] and k = sum digit_i * 2^(i*w) (Booth recoding).
SECP_HD int secp_booth_digit(const uint32_t k[SECP_SCALAR_LIMBS], int pos, int w) {
    int limb = pos >> 5, shift = pos & 31;
    uint64_t v = ((uint64_t)k[limb + 1] << 32) | k[limb];
    uint32_t bits = (uint32_t)(v >> shift) & ((1u << w) - 1u);
    uint32_t below = 0;
    if (pos > 0) {
        int b = pos - 1;
        below = (k[b >> 5] >> (b & 31)) & 1u;
    }
    return (int)(bits + below) - (int)((bits >> (w - 1)) << w);
}

// Multiples 1Q .. 8Q of an affine point, all with one common Jacobian Z (returned in *zc):
// table[k-1] holds X, Y of kQ = (X / zc^2, Y / zc^3). The chain Q, 2Q = dbl(Q), 3Q = 2Q + Q, ..
// records each step's Z ratio; walking back multiplies every entry up to the last entry's Z.
// With one Z the entries act as affine points of the isomorphic curve y^2 = x^3 + 7 zc^6 (the
// doubling and addition formulas do not involve the curve constant), so the main loop adds them
// with mixed additions (8M + 3S instead of 12M + 4S).
SECP_HD_CALL void secp_p_multiples(ge table[SECP_P_TABLE_SIZE], fe* zc, const ge* q) {
    fe zr[SECP_P_TABLE_SIZE - 1];  // zr[k-1] = Z((k+1)Q) / Z(kQ)
    gej cur;
    gej_set_ge(&cur, q);
    table[0] = *q;
    gej_double(&cur, &cur);
    zr[0] = cur.z;  // Z(Q) = 1
    table[1].x = cur.x;
    table[1].y = cur.y;
    SECP_LOOP_ROLLED
    for (int k = 2; k < SECP_P_TABLE_SIZE; k++) {
        gej_add_ge_zr(&cur, &zr[k - 1], &cur, q);
        table[k].x = cur.x;
        table[k].y = cur.y;
    }
    *zc = cur.z;
    fe f = zr[SECP_P_TABLE_SIZE - 2];  // Z(8Q) / Z(7Q)
    SECP_LOOP_ROLLED
    for (int k = SECP_P_TABLE_SIZE - 2; k >= 0; k--) {
        if (k < SECP_P_TABLE_SIZE - 2) fe_mul(&f, &f, &zr[k]);  // f = Z(8Q) / Z((k+1)Q)
        fe f2, f3;
        fe_sqr(&f2, &f);
        fe_mul(&f3, &f2, &f);
        fe_mul(&table[k].x, &table[k].x, &f2);
        fe_mul(&table[k].y, &table[k].y, &f3);
    }
}

// Everything the scalar multiplication needs of the variable point Q (= -P, the negated lifted
// key), derived from Q alone: what the key cache stores (608 bytes).
struct secp_p_table {
    ge m[SECP_P_TABLE_SIZE];  // 1Q .. 8Q with the common Z zc (see secp_p_multiples)
    ge zmap;                  // (zc^2, zc^3): maps an affine point onto the isomorphic curve
    fe zc;
};

SECP_HD_CALL void secp_p_table_build(secp_p_table* t, const ge* q) {
    secp_p_multiples(t->m, &t->zc, q);
    fe_sqr(&t->zmap.x, &t->zc);
    fe_mul(&t->zmap.y, &t->zmap.x, &t->zc);
}

// acc += d times the base of scalar part j (d != 0): for the G parts (j = 0: G, 1: lambda G; 2^64
// multiples when hi) an affine constant mapped onto the isomorphic curve by zmap = (zc^2, zc^3);
// for the Q parts (2: Q, 3: lambda Q) the entry of the thread's table q, lambda*(x, y) =
// (beta*x, y). A negative digit or a negative part negates y. One body for both loops.
SECP_HD void secp_add_digit(gej* acc, int d, int j, bool neg, bool hi, const ge* q, const ge* zmap, const fe* beta) {
    ge t;
    if (j < 2) {
        secp_g_multiple(&t, d, j == 1, (d < 0) != neg, hi);
        fe_mul(&t.x, &t.x, &zmap->x);
        fe_mul(&t.y, &t.y, &zmap->y);
    } else {
        t = q[(d < 0 ? -d : d) - 1];
        if (j == 3) fe_mul(&t.x, &t.x, beta);
        if ((d < 0) != neg) fe_neg(&t.y, &t.y);
    }
    gej_add_ge_fi(acc, acc, &t);
}

// r = s1*G + s2*(lambda G) + e1*Q + e2*(lambda Q), each scalar given as a magnitude (10 limbs,
// limbs 8, 9 zero) and a sign flag, scanned in `steps` windows of 4 bits from the top.
// The accumulator lives on the isomorphic curve of the Q table (see secp_p_multiples): the G
// points are mapped there with (x zc^2, y zc^3), and the result back with Z * zc.
SECP_HD_CALL void secp_ecmult_windows(gej* r, const uint32_t (*mag)[SECP_SCALAR_LIMBS], const bool* neg,
                                      const secp_p_table* src, int steps) {
    // mag/neg: [0] = s1, [1] = s2 (G parts), [2] = e1, [3] = e2 (Q parts)
    // table[0..7]: the Q multiples; table[8] = (zc^2, zc^3), kept in (local) memory with the
    // table rather than in registers because only the G additions need it. Copied from *src into
    // this frame so that the loop reads it with local rather than generic loads.
    ge table[SECP_P_TABLE_SIZE + 1];
    for (int k = 0; k < SECP_P_TABLE_SIZE; k++) table[k] = src->m[k];
    table[SECP_P_TABLE_SIZE] = src->zmap;
    const fe beta = SECP_BETA_INIT;

    gej acc;
    gej_set_infinity(&acc);
    SECP_LOOP_ROLLED
    for (int step = steps - 1; step >= 0; step--) {
        if (step != steps - 1) {
            SECP_LOOP_ROLLED
            for (int i = 0; i < SECP_STEP_BITS; i++) gej_double_fi(&acc, &acc);
        }
        int pos = step * SECP_STEP_BITS;
        SECP_LOOP_ROLLED
        for (int j = 0; j < 4; j++) {
            if (j < 2 && (step & 1)) continue;  // G windows are 8 bits: every other step
            int d = secp_booth_digit(mag[j], pos, j < 2 ? SECP_WINDOW_G : SECP_WINDOW_P);
            if (d != 0) secp_add_digit(&acc, d, j, neg[j], false, table, &table[SECP_P_TABLE_SIZE], &beta);
        }
    }
    fe_mul(&acc.z, &acc.z, &src->zc);  // read only now: no registers held through the loop
    *r = acc;
}

// What the verifier derives from the key alone and the key cache stores: the secp_p_table, and
// with BIP340_COMB also the multiples of 2^64 Q, all with one common Z.
#if BIP340_COMB
struct secp_key_table {
    secp_p_table base;           // 1Q .. 8Q, (zc^2, zc^3), zc
    ge m64[SECP_P_TABLE_SIZE];   // 1 .. 8 times 2^64 Q, same zc
};
SECP_HD const secp_p_table* secp_key_table_base(const secp_key_table* t) { return &t->base; }

// (x f^2, y f^3) for the entries: the same points with their Z multiplied by f.
SECP_HD_CALL void secp_table_rescale(ge* t, int n, const fe* f) {
    fe f2, f3;
    fe_sqr(&f2, f);
    fe_mul(&f3, &f2, f);
    SECP_LOOP_ROLLED
    for (int k = 0; k < n; k++) {
        fe_mul(&t[k].x, &t[k].x, &f2);
        fe_mul(&t[k].y, &t[k].y, &f3);
    }
}

// 64 doublings give 2^64 Q = (X, Y, Z); (X, Y) is an affine point of the isomorphic curve
// y^2 = x^3 + 7 Z^6, whose multiples secp_p_multiples builds with a common Z2' (the formulas do
// not involve the curve constant), i.e. Z2 = Z2' Z on the curve itself. Both tables are then
// brought to Z1 Z2 by scaling (36 multiplications, no inversion).
SECP_HD_CALL void secp_key_table_build(secp_key_table* t, const ge* q) {
    fe z1, z2;
    secp_p_multiples(t->base.m, &z1, q);
    gej q64;
    gej_set_ge(&q64, q);
    SECP_LOOP_ROLLED
    for (int i = 0; i < 64; i++) gej_double(&q64, &q64);
    ge q64a;
    q64a.x = q64.x;
    q64a.y = q64.y;
    secp_p_multiples(t->m64, &z2, &q64a);
    fe_mul(&z2, &z2, &q64.z);
    secp_table_rescale(t->base.m, SECP_P_TABLE_SIZE, &z2);
    secp_table_rescale(t->m64, SECP_P_TABLE_SIZE, &z1);
    fe_mul(&t->base.zc, &z1, &z2);
    fe_sqr(&t->base.zmap.x, &t->base.zc);
    fe_mul(&t->base.zmap.y, &t->base.zmap.x, &t->base.zc);
}

#define SECP_COMB_STEPS 17  // hi windows at 64 + 4j for j = 0..16, lo windows at 4j for j = 0..15

// The BIP340_COMB loop: like secp_ecmult_windows over the GLV halves (< 2^130), but each half k
// is read as k_lo + 2^64 k_hi: at step j the digit of window 4j (lo, table of Q resp. G) and the
// digit of window 64 + 4j (hi, table of 2^64 Q resp. 2^64 G) are added, so 17 steps of 4
// doublings (64 in all) replace 33 steps (128); the additions stay 66 (Q) + 34 (G). Booth
// digits of the whole half, so the lo part's top window borrows from the hi part's as usual.
SECP_HD_CALL void secp_ecmult_comb(gej* r, const uint32_t (*mag)[SECP_SCALAR_LIMBS], const bool* neg,
                                   const secp_key_table* src) {
    // table[0..7] = kQ, table[8..15] = k 2^64 Q, table[16] = (zc^2, zc^3), local as in
    // secp_ecmult_windows
    ge table[2 * SECP_P_TABLE_SIZE + 1];
    for (int k = 0; k < SECP_P_TABLE_SIZE; k++) {
        table[k] = src->base.m[k];
        table[SECP_P_TABLE_SIZE + k] = src->m64[k];
    }
    table[2 * SECP_P_TABLE_SIZE] = src->base.zmap;
    const fe beta = SECP_BETA_INIT;

    gej acc;
    gej_set_infinity(&acc);
    SECP_LOOP_ROLLED
    for (int step = SECP_COMB_STEPS - 1; step >= 0; step--) {
        if (step != SECP_COMB_STEPS - 1) {
            SECP_LOOP_ROLLED
            for (int i = 0; i < SECP_STEP_BITS; i++) gej_double_fi(&acc, &acc);
        }
        SECP_LOOP_ROLLED
        for (int slot = 0; slot < 8; slot++) {
            const int j = slot & 3;  // 0 = s1, 1 = s2 (G parts), 2 = e1, 3 = e2 (Q parts)
            const bool hi = slot >= 4;
            if (j < 2 && (step & 1)) continue;                  // G windows are 8 bits
            if (!hi && step == SECP_COMB_STEPS - 1) continue;  // the lo part has 16 windows
            int d = secp_booth_digit(mag[j], (hi ? 64 : 0) + step * SECP_STEP_BITS, j < 2 ? SECP_WINDOW_G : SECP_WINDOW_P);
            if (d != 0) {
                secp_add_digit(&acc, d, j, neg[j], hi, table + (hi ? SECP_P_TABLE_SIZE : 0),
                               &table[2 * SECP_P_TABLE_SIZE], &beta);
            }
        }
    }
    fe_mul(&acc.z, &acc.z, &src->base.zc);
    *r = acc;
}
#else
typedef secp_p_table secp_key_table;
SECP_HD const secp_p_table* secp_key_table_base(const secp_key_table* t) { return t; }
SECP_HD_CALL void secp_key_table_build(secp_key_table* t, const ge* q) { secp_p_table_build(t, q); }
#endif

static_assert(sizeof(secp_key_table) % 16 == 0, "cache entries are copied in 16-byte units");
#include "bip340_key_cache.cuh"  // sizes its entries by secp_key_table

// r = s*G + e*Q without the endomorphism (256-bit windows, 65 steps): the fallback path.
SECP_HD_CALL void secp_ecmult(gej* r, const sc* s, const sc* e, const secp_p_table* q) {
    uint32_t mag[4][SECP_SCALAR_LIMBS];
    bool neg[4] = {false, false, false, false};
    for (int i = 0; i < SECP_SCALAR_LIMBS; i++) {
        mag[0][i] = i < 8 ? s->d[i] : 0u;
        mag[1][i] = 0;
        mag[2][i] = i < 8 ? e->d[i] : 0u;
        mag[3][i] = 0;
    }
    secp_ecmult_windows(r, mag, neg, q, SECP_FULL_STEPS);
}

// r = s*G + e*Q with the GLV endomorphism: s = s1 + s2*lambda, e = e1 + e2*lambda, and
// lambda*(x, y) = (beta*x, y), so four ~128-bit scalars share one chain of ~128 doublings.
// Returns false (r untouched) if a split half were too large for 33 windows.
SECP_HD_CALL bool secp_ecmult_glv(gej* r, const sc* s, const sc* e, const secp_key_table* q) {
    sc half[4];
    bool neg[4];
    if (!sc_split_lambda(&half[0], &neg[0], &half[1], &neg[1], s, SECP_GLV_BITS)) return false;
    if (!sc_split_lambda(&half[2], &neg[2], &half[3], &neg[3], e, SECP_GLV_BITS)) return false;
    uint32_t mag[4][SECP_SCALAR_LIMBS];
    for (int j = 0; j < 4; j++) {
        for (int i = 0; i < SECP_SCALAR_LIMBS; i++) mag[j][i] = i < 8 ? half[j].d[i] : 0u;
    }
#if BIP340_COMB
    secp_ecmult_comb(r, mag, neg, q);
#else
    secp_ecmult_windows(r, mag, neg, q, SECP_GLV_STEPS);
#endif
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

// The table of Q = -P for the x-only key px (< p): from the cache on a hit, else lifted (false
// when px is not on the curve: nothing is cached then) and stored in the cache if there is one.
SECP_HD_CALL bool bip340_key_table(secp_key_table* t, const fe* px, bip340_key_cache cache, uint32_t choice) {
    const bool cached = cache.base != nullptr && cache.entries != 0;
    if (cached && kc_lookup(&cache, px, t, (int)sizeof(secp_key_table))) return true;
    ge p;
    if (!ge_lift_x_even(&p, px)) return false;
    fe_neg(&p.y, &p.y);  // R = s*G - e*P = s*G + e*(-P)
    secp_key_table_build(t, &p);
    if (cached) kc_insert(&cache, px, t, (int)sizeof(secp_key_table), choice);
    return true;
}

// Everything of the verification of one record of 32 big-endian words (message 0..7 | x-only
// key 8..15 | r 16..23 | s 24..31) except the final inversion: returns BIP340_INVALID, or
// BIP340_NOT_VERIFIED with R = s*G - e*P in *ry, *rz (Z != 0, X already checked against r); the
// verdict then is the parity of y = Y / Z^3 (bip340_verify_finish). Split so that the kernel can
// batch the inversions of a block.
SECP_HD int bip340_verify_start(const uint32_t rec[32], bip340_key_cache cache, fe* ry, fe* rz) {
    fe px, rx;
    sc s, e;
    secp_limbs_from_words(px.d, rec + 8);
    secp_limbs_from_words(rx.d, rec + 16);
    secp_limbs_from_words(s.d, rec + 24);
    uint32_t t[8];
    // each value is < p (resp. < n) iff adding 2^256 - p (resp. 2^256 - n) does not carry
    fe tmp = px;
    fe_final_reduce(&tmp, 0);
    if (!fe_equal(&tmp, &px)) return BIP340_INVALID;  // public key x >= p
    tmp = rx;
    fe_final_reduce(&tmp, 0);
    if (!fe_equal(&tmp, &rx)) return BIP340_INVALID;  // r >= p
    if (sc_add_nc(t, s.d)) return BIP340_INVALID;     // s >= n

    secp_key_table table;
    // the message's low bit picks the slot to evict: varies from record to record
    if (!bip340_key_table(&table, &px, cache, rec[7])) return BIP340_INVALID;

    uint32_t h[8];
    bip340_challenge_words(h, rec + 16, rec + 8, rec);
    secp_limbs_from_words(e.d, h);
    sc_reduce_once(&e, 0);

    gej R;
    if (!secp_ecmult_glv(&R, &s, &e, &table)) secp_ecmult(&R, &s, &e, secp_key_table_base(&table));
    if (gej_is_infinity(&R)) return BIP340_INVALID;

    // x(R) == r  <=>  X == r * Z^2 (no inversion needed)
    fe z2, rz2;
    fe_sqr(&z2, &R.z);
    fe_mul(&rz2, &rx, &z2);
    if (!fe_equal(&rz2, &R.x)) return BIP340_INVALID;
    *ry = R.y;
    *rz = R.z;
    return BIP340_NOT_VERIFIED;
}

// The verdict from R's Y and 1/Z: valid iff y = Y / Z^3 is even.
SECP_HD int bip340_verify_finish(const fe* ry, const fe* zinv) {
    fe zi3, y;
    fe_sqr(&zi3, zinv);
    fe_mul(&zi3, &zi3, zinv);
    fe_mul(&y, ry, &zi3);
    return fe_is_odd(&y) ? BIP340_INVALID : BIP340_VALID;
}

// The verdict (BIP340_VALID or BIP340_INVALID) for one record of 32 big-endian words.
SECP_HD int bip340_verify_words(const uint32_t rec[32], bip340_key_cache cache) {
    fe ry, rz, zi;
    int v = bip340_verify_start(rec, cache, &ry, &rz);
    if (v != BIP340_NOT_VERIFIED) return v;
    fe_inv(&zi, &rz);
    return bip340_verify_finish(&ry, &zi);
}

SECP_HD void secp_words_from_bytes(uint32_t* words, const uint8_t* b, int count) {
    for (int i = 0; i < count; i++) {
        words[i] = ((uint32_t)b[4 * i] << 24) | ((uint32_t)b[4 * i + 1] << 16) | ((uint32_t)b[4 * i + 2] << 8) |
                   b[4 * i + 3];
    }
}

// Byte interface: one 128-byte record message | key | signature (the kernel's input layout).
SECP_HD int bip340_verify_record(const uint8_t rec[128], bip340_key_cache cache) {
    uint32_t w[32];
    secp_words_from_bytes(w, rec, 32);
    return bip340_verify_words(w, cache);
}

// ---- Montgomery's trick over a block: one inversion for up to SECP_INV_BATCH values ----
// A product tree in (shared) memory: tree[1] is the root, node k has children 2k and 2k + 1, the
// leaves are tree[SECP_INV_BATCH + t]. Up: every internal node becomes the product of its
// children (level by level, m nodes per level). The root is inverted once. Down: a node holding
// the inverse I of the product L * R of its children gives them I * R = 1/L and I * L = 1/R.
// The leaves then hold the inverses: 3 multiplications per value instead of an inversion each.
// Every leaf must be non-zero (a zero would zero the whole tree): callers put 1 where they have
// nothing to invert. The steps are host/device functions so the host tests can run the tree.
#define SECP_INV_BATCH 256

SECP_HD void secp_inv_tree_up(fe* tree, uint32_t m, uint32_t k) {
    uint32_t n = m + k;
    fe_mul(&tree[n], &tree[2 * n], &tree[2 * n + 1]);
}

SECP_HD void secp_inv_tree_down(fe* tree, uint32_t m, uint32_t k) {
    uint32_t n = m + k;
    fe inv = tree[n], l = tree[2 * n], r = tree[2 * n + 1];
    fe_mul(&tree[2 * n], &inv, &r);
    fe_mul(&tree[2 * n + 1], &inv, &l);
}
