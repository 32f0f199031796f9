// Tiny kernels around the device-only (inline PTX) field code, compiled to PTX by
// ptx_sim.py and executed there by a small PTX interpreter: the carry-chain code that the host
// tests cannot reach is thereby checked on a machine without a GPU.
#include "../src/secp256k1_field.cuh"

extern "C" __global__ void t_mul(const fe* a, const fe* b, fe* r) {
    fe x = *a, y = *b, z;
    fe_mul(&z, &x, &y);
    *r = z;
}

extern "C" __global__ void t_sqr(const fe* a, const fe* b, fe* r) {
    fe x = *a, z;
    fe_sqr(&z, &x);
    *r = z;
}

extern "C" __global__ void t_add(const fe* a, const fe* b, fe* r) {
    fe x = *a, y = *b, z;
    fe_add(&z, &x, &y);
    *r = z;
}

extern "C" __global__ void t_sub(const fe* a, const fe* b, fe* r) {
    fe x = *a, y = *b, z;
    fe_sub(&z, &x, &y);
    *r = z;
}

// b is the high half: reduces a + 2^256 * b
extern "C" __global__ void t_reduce512(const fe* a, const fe* b, fe* r) {
    uint32_t t[16];
    for (int i = 0; i < 8; i++) {
        t[i] = a->d[i];
        t[8 + i] = b->d[i];
    }
    fe z;
    fe_reduce512(&z, t);
    *r = z;
}

extern "C" __global__ void t_half(const fe* a, const fe* b, fe* r) {
    fe x = *a, z;
    fe_half(&z, &x);
    *r = z;
}

// the lazy reduction's sum of products: a*b + a^2 and a*b + b*a (513-bit sums when a, b are large)
extern "C" __global__ void t_mul_add_sqr(const fe* a, const fe* b, fe* r) {
    fe x = *a, y = *b, z;
    fe_mul_add_sqr(&z, &x, &y, &x);
    *r = z;
}

extern "C" __global__ void t_mul_add(const fe* a, const fe* b, fe* r) {
    fe x = *a, y = *b, z;
    fe_mul_add(&z, &x, &y, &y, &x);
    *r = z;
}
