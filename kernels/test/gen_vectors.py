#!/usr/bin/env python3
"""Generates the reference vectors of the kernel's host tests (kernels/test/vectors/*.txt).

Deterministic (fixed seed); the output is committed, so the tests need no Python.
Every value is big-endian hex; one case per line: <op> <inputs...> <expected...>.
Run: python3 kernels/test/gen_vectors.py
"""
import os
import random

import secp_ref as ref

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "vectors")
P, N = ref.P, ref.N
rng = random.Random(340)


def h(v, nbytes=32):
    return v.to_bytes(nbytes, "big").hex()


def field_values():
    edge = [0, 1, 2, 3, 977, 2**32, 2**32 + 977, 2**64 - 1, 2**128, 2**255, P - 1, P - 2, P - 977, P - 2**32,
            2**256 - 2**33 - 2000, (P - 1) // 2, (P + 1) // 2]
    vals = [v for v in edge if v < P]
    vals += [rng.randrange(P) for _ in range(60)]
    vals += [P - 1 - rng.randrange(2**40) for _ in range(10)]  # near p
    vals += [rng.randrange(2**40) for _ in range(10)]  # small
    return vals


def gen_field(lines):
    vals = field_values()
    for _ in range(300):
        a, b = rng.choice(vals), rng.choice(vals)
        lines.append("fe_mul %s %s %s" % (h(a), h(b), h(a * b % P)))
        lines.append("fe_add %s %s %s" % (h(a), h(b), h((a + b) % P)))
        lines.append("fe_sub %s %s %s" % (h(a), h(b), h((a - b) % P)))
    for a in vals + [rng.randrange(P) for _ in range(200)]:
        lines.append("fe_sqr %s %s" % (h(a), h(a * a % P)))
        lines.append("fe_neg %s %s" % (h(a), h(-a % P)))
        lines.append("fe_inv %s %s" % (h(a), h(pow(a, P - 2, P))))
        root = pow(a, (P + 1) // 4, P)
        lines.append("fe_sqrt %s %s" % (h(a), h(root) if root * root % P == a else "none"))
    for a in vals:  # odd and even values, 0, p - 1
        lines.append("fe_half %s %s" % (h(a), h(a * pow(2, P - 2, P) % P)))
    # byte decoding with the >= p check: values around p and above
    for v in [0, 1, P - 1, P, P + 1, 2**256 - 1, 2**256 - 2**32, rng.randrange(P, 2**256)] + \
             [rng.randrange(2**256) for _ in range(40)]:
        lines.append("fe_from_bytes %s %d" % (h(v), 1 if v < P else 0))
    # reduction of arbitrary 512-bit values (the product path covers only products of values < p)
    specials = [0, 2**512 - 1, (P - 1) ** 2, P * P, P * (2**256 - 1), 2**256 * P - 1, (2**256 - 1) * (2**256 - 1),
                2**511, P, 2**256 - 1]
    for t in specials + [rng.randrange(2**512) for _ in range(200)]:
        lines.append("fe_reduce512 %s %s" % (h(t, 64), h(t % P)))


def gen_scalar(lines):
    edge = [0, 1, 2, N - 1, N, N + 1, 2**256 - 1, 2**255, 2**128, N - 2**128]
    for v in edge + [rng.randrange(2**256) for _ in range(100)]:
        lines.append("sc_from_bytes %s %s %d" % (h(v), h(v % N), 1 if v < N else 0))
    specials = [0, 2**512 - 1, (N - 1) ** 2, N * N, N * (2**256 - 1), 2**256 * N - 1, 2**511, N, 2**256 - 1]
    for t in specials + [rng.randrange(2**512) for _ in range(200)]:
        lines.append("sc_reduce512 %s %s" % (h(t, 64), h(t % N)))
    svals = [0, 1, 2, N - 1, N - 2, (N - 1) // 2, (N + 1) // 2] + [rng.randrange(N) for _ in range(60)]
    for _ in range(200):
        a, b = rng.choice(svals), rng.choice(svals)
        lines.append("sc_mul %s %s %s" % (h(a), h(b), h(a * b % N)))
        lines.append("sc_add %s %s %s" % (h(a), h(b), h((a + b) % N)))
    for a in svals:
        lines.append("sc_neg %s %s" % (h(a), h(-a % N)))
    # GLV split k = k1 + k2*lambda: (magnitude, sign) of each half, same rounding as the kernel
    split_rng = random.Random(1340)
    a1, b1, a2, b2 = ref.glv_basis()
    g1 = ((b2 << 384) + N // 2) // N
    g2 = ((-b1 << 384) + N // 2) // N
    for k in [0, 1, 2, N - 1, N // 2, N // 2 + 1, ref.LAMBDA, 2**128, 2**255] + \
             [split_rng.randrange(N) for _ in range(200)]:
        c1 = (k * g1 + (1 << 383)) >> 384
        c2 = (k * g2 + (1 << 383)) >> 384
        k2 = (c1 * (-b1) + c2 * (-b2)) % N
        k1 = (k - k2 * ref.LAMBDA) % N
        assert (k1 + k2 * ref.LAMBDA) % N == k
        parts = []
        for v in (k1, k2):
            neg = v > N // 2
            parts += [h(N - v if neg else v), "1" if neg else "0"]
        lines.append("sc_split %s %s" % (h(k), " ".join(parts)))


def jacobian(pt):
    """Random Jacobian representation (X, Y, Z) of an affine point."""
    z = rng.randrange(1, P)
    return (pt[0] * z * z % P, pt[1] * z * z * z % P, z)


def pt_hex(pt):
    return "inf" if pt is None else "%s %s" % (h(pt[0]), h(pt[1]))


def random_point():
    return ref.point_mul(ref.G, rng.randrange(1, N))


def gen_points(lines):
    pts = [ref.G, ref.point_mul(ref.G, 2), ref.point_mul(ref.G, N - 1)] + [random_point() for _ in range(40)]
    for a in pts:
        X, Y, Z = jacobian(a)
        lines.append("gej_double %s %s %s %s" % (h(X), h(Y), h(Z), pt_hex(ref.point_add(a, a))))
    cases = [(rng.choice(pts), rng.choice(pts)) for _ in range(80)]
    for a in pts[:10]:
        cases += [(a, a), (a, ref.point_neg(a))]  # doubling and cancellation branches
    for a, b in cases:
        X1, Y1, Z1 = jacobian(a)
        X2, Y2, Z2 = jacobian(b)
        expect = pt_hex(ref.point_add(a, b))
        lines.append("gej_add_ge %s %s %s %s %s %s" % (h(X1), h(Y1), h(Z1), h(b[0]), h(b[1]), expect))
        lines.append("gej_add %s %s %s %s %s %s %s" % (h(X1), h(Y1), h(Z1), h(X2), h(Y2), h(Z2), expect))
    # infinity operands
    for b in pts[:5]:
        X2, Y2, Z2 = jacobian(b)
        lines.append("gej_add_ge %s %s %s %s %s %s" % (h(0), h(1), h(0), h(b[0]), h(b[1]), pt_hex(b)))
        lines.append("gej_add %s %s %s %s %s %s %s" % (h(0), h(1), h(0), h(X2), h(Y2), h(Z2), pt_hex(b)))
        lines.append("gej_add %s %s %s %s %s %s %s" % (h(X2), h(Y2), h(Z2), h(0), h(1), h(0), pt_hex(b)))
    # lift_x with even y
    for _ in range(60):
        x = rng.randrange(P)
        lines.append("lift_x %s %s" % (h(x), pt_hex(ref.lift_x(x)) if ref.lift_x(x) else "none"))
    for a in pts[:10]:
        lines.append("lift_x %s %s" % (h(a[0]), pt_hex(ref.lift_x(a[0]))))
    # s*G + e*Q
    scal = [0, 1, 2, N - 1, N - 2, 2**128, 2**255] + [rng.randrange(N) for _ in range(30)]
    for i in range(120):
        s, e = rng.choice(scal), rng.choice(scal)
        q = rng.choice(pts)
        if i % 10 == 0:  # s*G + e*(kG) with s = -e*k: infinity
            k = rng.randrange(1, N)
            q = ref.point_mul(ref.G, k)
            s = (-e * k) % N
        if i % 10 == 1:  # Q = G, e = s: 2sG, exercises doubling inside the joint chain
            q, e = ref.G, s
        expect = ref.point_add(ref.point_mul(ref.G, s), ref.point_mul(q, e))
        lines.append("ecmult %s %s %s %s" % (h(s), h(e), pt_hex(q), pt_hex(expect)))
        lines.append("ecmult_glv %s %s %s %s" % (h(s), h(e), pt_hex(q), pt_hex(expect)))
    # small scalars with Q = +-G or Q = 2G: the window loop's accumulator meets the added point
    # (P + P and P - P inside the loop, also after the GLV split)
    g2 = ref.point_mul(ref.G, 2)
    neg_g = ref.point_mul(ref.G, N - 1)
    for s, e, q in [(1, 1, ref.G), (2, 2, ref.G), (1, N - 1, ref.G), (1, 1, neg_g), (3, 5, ref.G), (4, 2, g2),
                    (8, 8, ref.G), (2**128 + 1, 2**128 + 1, ref.G), (16, N - 8, g2), (129, 129, ref.G)]:
        expect = ref.point_add(ref.point_mul(ref.G, s), ref.point_mul(q, e))
        lines.append("ecmult %s %s %s %s" % (h(s), h(e), pt_hex(q), pt_hex(expect)))
        lines.append("ecmult_glv %s %s %s %s" % (h(s), h(e), pt_hex(q), pt_hex(expect)))


def gen_hash(lines):
    msgs = [b"", b"abc", b"a" * 55, b"a" * 56, b"a" * 63, b"a" * 64, b"a" * 65, b"a" * 119, b"a" * 200]
    msgs += [bytes(rng.randrange(256) for _ in range(rng.randrange(300))) for _ in range(40)]
    for m in msgs:
        lines.append("sha256 %s %s" % (m.hex() if m else "-", ref.sha256(m).hex()))
    for _ in range(60):
        r, px, m = (bytes(rng.randrange(256) for _ in range(32)) for _ in range(3))
        lines.append("challenge %s %s %s %s" % (r.hex(), px.hex(), m.hex(),
                                                ref.tagged_hash("BIP0340/challenge", r + px + m).hex()))


def rand_bytes(n):
    return bytes(rng.randrange(256) for _ in range(n))


def gen_signatures(path, count):
    """Valid signatures and corrupted variants; the verdict comes from the Python reference verify."""
    kinds = ["valid", "wrong_s", "wrong_r", "wrong_msg", "wrong_key", "offcurve_key", "r_ge_p", "s_ge_n", "s_zero",
             "key_ge_p", "r_offcurve", "s_neg", "small_key", "flip_bit"]
    lines = []
    for i in range(count):
        kind = kinds[i % len(kinds)] if i % 2 else "valid"
        sk = rng.randrange(1, N) if kind != "small_key" else rng.randrange(1, 20)
        skb = sk.to_bytes(32, "big")
        pk = ref.pubkey_gen(skb)
        msg = rand_bytes(32)
        sig = ref.sign(skb, msg, rand_bytes(32))
        if kind == "wrong_s":
            sig = sig[:32] + ref.i2b((ref.b2i(sig[32:]) + 1 + rng.randrange(N - 2)) % N)
        elif kind == "wrong_r":
            sig = ref.i2b(ref.point_mul(ref.G, rng.randrange(1, N))[0]) + sig[32:]
        elif kind == "wrong_msg":
            msg = rand_bytes(32)
        elif kind == "wrong_key":
            pk = ref.pubkey_gen(rng.randrange(1, N).to_bytes(32, "big"))
        elif kind == "offcurve_key":
            while True:
                x = rng.randrange(P)
                if ref.lift_x(x) is None:
                    break
            pk = ref.i2b(x)
        elif kind == "r_ge_p":
            sig = ref.i2b(P + rng.randrange(2**32 + 977)) + sig[32:]
        elif kind == "s_ge_n":
            sig = sig[:32] + ref.i2b(N + rng.randrange(2**256 - N))
        elif kind == "s_zero":
            sig = sig[:32] + bytes(32)
        elif kind == "key_ge_p":
            pk = ref.i2b(P + rng.randrange(2**32 + 977))
        elif kind == "r_offcurve":
            while True:
                x = rng.randrange(P)
                if ref.lift_x(x) is None:
                    break
            sig = ref.i2b(x) + sig[32:]
        elif kind == "s_neg":
            sig = sig[:32] + ref.i2b(N - ref.b2i(sig[32:]))
        elif kind == "flip_bit":
            rec = bytearray(msg + pk + sig)
            bit = rng.randrange(128 * 8)
            rec[bit // 8] ^= 1 << (bit % 8)
            msg, pk, sig = bytes(rec[:32]), bytes(rec[32:64]), bytes(rec[64:])
        expect = ref.verify(pk, msg, sig)
        if kind in ("valid", "small_key"):
            assert expect, "reference rejected its own signature"
        lines.append("%s %s %s %d %s" % (msg.hex(), pk.hex(), sig.hex(), 1 if expect else 0, kind))
    with open(path, "w") as f:
        f.write("# message pubkey signature expected(1=valid) kind -- generated by gen_vectors.py\n")
        f.write("\n".join(lines) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, fn in (("field_ops.txt", gen_field), ("scalar_ops.txt", gen_scalar), ("point_ops.txt", gen_points),
                     ("hash_ops.txt", gen_hash)):
        lines = []
        fn(lines)
        with open(os.path.join(OUT, name), "w") as f:
            f.write("\n".join(lines) + "\n")
    gen_signatures(os.path.join(OUT, "bip340_random.txt"), 2000)


if __name__ == "__main__":
    main()
