// BIP-340 signing built from the verifier's own arithmetic, for the host tests and the device
// bench's corpus generator (host and device). Deterministic nonces from a seed, variable time:
// test data only, never for real keys.
#pragma once
#include "../src/bip340.cuh"

// The table of G as "Q", so that k*G = k*G + 0*Q runs through the verifier's scalar
// multiplication (no Q digit is ever non-zero; the table only has to be valid).
SECP_HD void sign_g_table(secp_key_table* t) {
#ifdef __CUDA_ARCH__
    secp_key_table_build(t, &secp_g_table_dev[0]);
#else
    secp_key_table_build(t, &secp_g_table_host[0]);
#endif
}

// r = k*G in affine coordinates; false for k = 0.
SECP_HD bool sign_mul_g(ge* r, const sc* k, const secp_key_table* gt) {
    sc zero;
    for (int i = 0; i < 8; i++) zero.d[i] = 0;
    gej j;
    if (!secp_ecmult_glv(&j, k, &zero, gt)) secp_ecmult(&j, k, &zero, secp_key_table_base(gt));
    if (gej_is_infinity(&j)) return false;
    gej_to_ge(r, &j);
    return true;
}

// A scalar in [1, n) from SHA-256(tag, a, b): the test corpora's secret keys and nonces.
SECP_HD void sign_derive_scalar(sc* r, uint32_t tag, uint32_t a, uint32_t b) {
    uint8_t msg[12], h[32];
    const uint32_t v[3] = {tag, a, b};
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 4; j++) msg[4 * i + j] = (uint8_t)(v[i] >> (24 - 8 * j));
    }
    const uint8_t first = msg[0];
    for (uint32_t salt = 0;; salt++) {
        msg[0] = first ^ (uint8_t)salt;
        sha256_bytes(h, msg, sizeof msg);
        bool in_range = sc_from_bytes(r, h);
        if (in_range && !sc_is_zero(r)) return;
    }
}

// The x-only public key (32 big-endian bytes) of secret d; d is replaced by the secret of the
// even-y point (n - d when d*G has odd y), as BIP-340 signing needs.
SECP_HD bool sign_pubkey(uint8_t px[32], sc* d, const secp_key_table* gt) {
    ge p;
    if (!sign_mul_g(&p, d, gt)) return false;
    if (fe_is_odd(&p.y)) sc_negate(d, d);
    fe_to_bytes(px, &p.x);
    return true;
}

// One 128-byte record (msg | px | r | s) signed with the even-y secret d of px and nonce k.
SECP_HD bool sign_record(uint8_t rec[128], const uint8_t msg[32], const uint8_t px[32], const sc* d, const sc* nonce,
                         const secp_key_table* gt) {
    ge rp;
    sc k = *nonce;
    if (!sign_mul_g(&rp, &k, gt)) return false;
    if (fe_is_odd(&rp.y)) sc_negate(&k, &k);
    for (int i = 0; i < 32; i++) {
        rec[i] = msg[i];
        rec[32 + i] = px[i];
    }
    fe_to_bytes(rec + 64, &rp.x);
    uint32_t rw[8], pw[8], mw[8], h[8];
    secp_words_from_bytes(rw, rec + 64, 8);
    secp_words_from_bytes(pw, px, 8);
    secp_words_from_bytes(mw, msg, 8);
    bip340_challenge_words(h, rw, pw, mw);
    sc e, s;
    secp_limbs_from_words(e.d, h);
    sc_reduce_once(&e, 0);
    sc_mul(&s, &e, d);
    sc_add(&s, &s, &k);
    sc_to_bytes(rec + 96, &s);
    return true;
}
