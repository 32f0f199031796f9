// Points of secp256k1 (y^2 = x^3 + 7): affine (ge) and Jacobian (gej: x = X/Z^2, y = Y/Z^3).
// A Jacobian point with Z = 0 is the point at infinity. Every formula handles the exceptional
// cases (infinity operands, P + P, P + (-P)) so adversarial public keys cannot produce wrong
// verdicts; those branches are rare and only cost divergence when taken.
#pragma once
#include "secp256k1_field.cuh"

// BIP340_LAZY=1: the doubling's and the mixed addition's Y3 as a sum of two products with one
// reduction (fe_mul_add) instead of two reductions and an addition or subtraction.
#ifndef BIP340_LAZY
#define BIP340_LAZY 0
#endif

struct ge {
    fe x, y;
};

struct gej {
    fe x, y, z;
};

SECP_HD void gej_set_infinity(gej* r) {
    fe_set_u32(&r->x, 0);
    fe_set_u32(&r->y, 1);
    fe_set_u32(&r->z, 0);
}

SECP_HD bool gej_is_infinity(const gej* a) { return fe_is_zero(&a->z); }

SECP_HD void gej_set_ge(gej* r, const ge* a) {
    r->x = a->x;
    r->y = a->y;
    fe_set_u32(&r->z, 1);
}

// Each formula exists twice: a force-inlined body (`*_fi`, used inside the scalar-multiplication
// loop so the accumulator stays in registers) and an out-of-line wrapper for everything else
// (table set-up, rare exceptional cases), which keeps the PTX and the driver's JIT time small.

// r = 2a for y^2 = x^3 + 7 (3M + 4S): with L = 3X^2/2 and T = -X*Y^2,
// X3 = L^2 + 2T, Y3 = -(L*(X3 + T) + Y^4), Z3 = Y*Z. This is the usual 2M + 5S doubling
// (X3 = 9X^4 - 8XY^2, Y3 = 3X^2(4XY^2 - X3) - 8Y^4, Z3 = 2YZ) scaled by 1/2, which needs fewer
// field additions. Infinity (Z = 0) doubles to infinity. r may alias a.
SECP_HD void gej_double_fi(gej* r, const gej* a) {
    fe L, S, T;
    fe_mul(&r->z, &a->z, &a->y);
    fe_sqr(&S, &a->y);
    fe_sqr(&L, &a->x);
    fe_add(&T, &L, &L);
    fe_add(&L, &T, &L);
    fe_half(&L, &L);
    fe_neg(&T, &S);
    fe_mul(&T, &T, &a->x);
    fe_sqr(&r->x, &L);
    fe_add(&r->x, &r->x, &T);
    fe_add(&r->x, &r->x, &T);
#if BIP340_LAZY
    fe_add(&T, &r->x, &T);
    fe_mul_add_sqr(&r->y, &T, &L, &S);  // L (X3 + T) + Y^4 with one reduction
#else
    fe_sqr(&S, &S);
    fe_add(&T, &r->x, &T);
    fe_mul(&r->y, &T, &L);
    fe_add(&r->y, &r->y, &S);
#endif
    fe_neg(&r->y, &r->y);
}

SECP_HD_CALL void gej_double(gej* r, const gej* a) { gej_double_fi(r, a); }

// The out-of-line doubling through copies: the rare exceptional branch of an inlined addition
// then does not take the address of the caller's accumulator, which can stay in registers.
SECP_HD void gej_double_copy(gej* r, const gej* a) {
    gej in = *a, out;
    gej_double(&out, &in);
    *r = out;
}

// r = a + b with b affine (8M + 3S); the one implementation of the mixed addition. r may alias a.
// With `exceptional` the infinity operand and b = +-a are handled (the scalar-multiplication loop);
// without, the caller guarantees a != infinity and a != +-b (the multiples kQ, k <= 8, of a point
// of prime order n). With `ratio`, *zr receives Z(r) / Z(a), which lets a table of such sums be
// brought to one common Z without an inversion. Template flags, so each instance carries only the
// code it needs.
template <bool exceptional, bool ratio>
SECP_HD void gej_add_ge_body(gej* r, fe* zr, const gej* a, const ge* b) {
    if (exceptional && gej_is_infinity(a)) {
        gej_set_ge(r, b);
        return;
    }
    fe z2, z3, u2, s2, h, rr, h2, h3, v, t;
    fe_sqr(&z2, &a->z);
    fe_mul(&z3, &z2, &a->z);
    fe_mul(&u2, &b->x, &z2);
    fe_mul(&s2, &b->y, &z3);
    fe_sub(&h, &u2, &a->x);
    fe_sub(&rr, &s2, &a->y);
    if (exceptional && fe_is_zero(&h)) {
        if (fe_is_zero(&rr)) {
            gej_double_copy(r, a);
        } else {
            gej_set_infinity(r);
        }
        return;
    }
    fe_sqr(&h2, &h);
    fe_mul(&h3, &h2, &h);
    fe_mul(&v, &a->x, &h2);
    fe_mul(&r->z, &a->z, &h);
    if (ratio) *zr = h;
    fe_sqr(&t, &rr);
    fe_sub(&t, &t, &h3);
    fe_sub(&t, &t, &v);
    fe_sub(&r->x, &t, &v);
    fe_sub(&t, &v, &r->x);
#if BIP340_LAZY
    fe ny;
    fe_neg(&ny, &a->y);
    fe_mul_add(&r->y, &t, &rr, &h3, &ny);  // (V - X3) rr - h^3 Y1 with one reduction
#else
    fe_mul(&t, &t, &rr);
    fe_mul(&h3, &h3, &a->y);
    fe_sub(&r->y, &t, &h3);
#endif
}

SECP_HD void gej_add_ge_fi(gej* r, const gej* a, const ge* b) { gej_add_ge_body<true, false>(r, nullptr, a, b); }

SECP_HD_CALL void gej_add_ge(gej* r, const gej* a, const ge* b) { gej_add_ge_fi(r, a, b); }

SECP_HD_CALL void gej_add_ge_zr(gej* r, fe* zr, const gej* a, const ge* b) { gej_add_ge_body<false, true>(r, zr, a, b); }

// r = a + b, both Jacobian (12M + 4S). r may alias a.
SECP_HD void gej_add_fi(gej* r, const gej* a, const gej* b) {
    if (gej_is_infinity(a)) {
        *r = *b;
        return;
    }
    if (gej_is_infinity(b)) {
        *r = *a;
        return;
    }
    fe z1s, z2s, u1, u2, s1, s2, h, rr, h2, h3, v, t;
    fe_sqr(&z1s, &a->z);
    fe_sqr(&z2s, &b->z);
    fe_mul(&u1, &a->x, &z2s);
    fe_mul(&u2, &b->x, &z1s);
    fe_mul(&s1, &a->y, &z2s);
    fe_mul(&s1, &s1, &b->z);
    fe_mul(&s2, &b->y, &z1s);
    fe_mul(&s2, &s2, &a->z);
    fe_sub(&h, &u2, &u1);
    fe_sub(&rr, &s2, &s1);
    if (fe_is_zero(&h)) {
        if (fe_is_zero(&rr)) {
            gej_double_copy(r, a);
        } else {
            gej_set_infinity(r);
        }
        return;
    }
    fe_sqr(&h2, &h);
    fe_mul(&h3, &h2, &h);
    fe_mul(&v, &u1, &h2);
    fe_mul(&t, &a->z, &b->z);
    fe_mul(&r->z, &t, &h);
    fe_sqr(&t, &rr);
    fe_sub(&t, &t, &h3);
    fe_sub(&t, &t, &v);
    fe_sub(&r->x, &t, &v);
    fe_sub(&t, &v, &r->x);
    fe_mul(&t, &t, &rr);
    fe_mul(&h3, &h3, &s1);
    fe_sub(&r->y, &t, &h3);
}

SECP_HD_CALL void gej_add(gej* r, const gej* a, const gej* b) { gej_add_fi(r, a, b); }

SECP_HD void gej_neg(gej* r, const gej* a) {
    r->x = a->x;
    fe_neg(&r->y, &a->y);
    r->z = a->z;
}

// Affine coordinates of a non-infinite point (one inversion).
SECP_HD void gej_to_ge(ge* r, const gej* a) {
    fe zi, zi2, zi3;
    fe_inv(&zi, &a->z);
    fe_sqr(&zi2, &zi);
    fe_mul(&zi3, &zi2, &zi);
    fe_mul(&r->x, &a->x, &zi2);
    fe_mul(&r->y, &a->y, &zi3);
}

// The point with x-coordinate x and even y (BIP-340 lift_x). False when x is not on the curve.
SECP_HD_CALL bool ge_lift_x_even(ge* r, const fe* x) {
    fe c, seven;
    fe_sqr(&c, x);
    fe_mul(&c, &c, x);
    fe_set_u32(&seven, 7);
    fe_add(&c, &c, &seven);
    if (!fe_sqrt(&r->y, &c)) return false;
    r->x = *x;
    if (fe_is_odd(&r->y)) fe_neg(&r->y, &r->y);
    return true;
}
