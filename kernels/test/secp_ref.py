"""Pure-Python secp256k1 / BIP-340 reference used to generate the kernel's test vectors.

Written for clarity, not speed: big Python ints, affine points (None is the point at infinity).
Only hashlib is used (as the SHA-256 reference).
"""
import hashlib

P = 2**256 - 2**32 - 977
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
GX = 0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798
GY = 0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8
G = (GX, GY)
# Endomorphism: lambda * (x, y) = (beta * x, y)
LAMBDA = 0x5363AD4CC05C30E0A5261C028812645A122E22EA20816678DF02967C1B23BD72
BETA = 0x7AE96A2B657C07106E64479EAC3434E99CF0497512F58995C1396C28719501EE


def is_on_curve(pt):
    if pt is None:
        return True
    x, y = pt
    return (y * y - x * x * x - 7) % P == 0


def point_neg(pt):
    if pt is None:
        return None
    return (pt[0], (-pt[1]) % P)


def point_add(p1, p2):
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    x1, y1 = p1
    x2, y2 = p2
    if x1 == x2:
        if (y1 + y2) % P == 0:
            return None
        lam = 3 * x1 * x1 * pow(2 * y1, -1, P) % P
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, P) % P
    x3 = (lam * lam - x1 - x2) % P
    return (x3, (lam * (x1 - x3) - y1) % P)


# Jacobian helpers make scalar multiplication fast enough to generate thousands of vectors.
def _jac_double(p1):
    X, Y, Z = p1
    if Z == 0 or Y == 0:
        return (0, 1, 0)
    S = 4 * X * Y * Y % P
    M = 3 * X * X % P
    X3 = (M * M - 2 * S) % P
    Y3 = (M * (S - X3) - 8 * pow(Y, 4, P)) % P
    return (X3, Y3, 2 * Y * Z % P)


def _jac_add(p1, p2):
    X1, Y1, Z1 = p1
    X2, Y2, Z2 = p2
    if Z1 == 0:
        return p2
    if Z2 == 0:
        return p1
    Z1Z1 = Z1 * Z1 % P
    Z2Z2 = Z2 * Z2 % P
    U1 = X1 * Z2Z2 % P
    U2 = X2 * Z1Z1 % P
    S1 = Y1 * Z2 * Z2Z2 % P
    S2 = Y2 * Z1 * Z1Z1 % P
    if U1 == U2:
        if S1 != S2:
            return (0, 1, 0)
        return _jac_double(p1)
    H = (U2 - U1) % P
    R = (S2 - S1) % P
    HH = H * H % P
    HHH = H * HH % P
    V = U1 * HH % P
    X3 = (R * R - HHH - 2 * V) % P
    Y3 = (R * (V - X3) - S1 * HHH) % P
    return (X3, Y3, Z1 * Z2 * H % P)


def _to_affine(j):
    X, Y, Z = j
    if Z == 0:
        return None
    zi = pow(Z, -1, P)
    return (X * zi * zi % P, Y * zi * zi * zi % P)


def point_mul(pt, k):
    if pt is None:
        return None
    acc = (0, 1, 0)
    base = (pt[0], pt[1], 1)
    for bit in bin(k)[2:] if k > 0 else "":
        acc = _jac_double(acc)
        if bit == "1":
            acc = _jac_add(acc, base)
    return _to_affine(acc)


def lift_x(x):
    if x >= P:
        return None
    c = (pow(x, 3, P) + 7) % P
    y = pow(c, (P + 1) // 4, P)
    if y * y % P != c:
        return None
    return (x, y if y % 2 == 0 else P - y)


def sha256(data):
    return hashlib.sha256(data).digest()


def tagged_hash(tag, msg):
    th = sha256(tag.encode())
    return sha256(th + th + msg)


def i2b(x):
    return x.to_bytes(32, "big")


def b2i(b):
    return int.from_bytes(b, "big")


def pubkey_gen(seckey):
    d = b2i(seckey)
    assert 1 <= d < N
    return i2b(point_mul(G, d)[0])


def sign(seckey, msg, aux):
    d0 = b2i(seckey)
    assert 1 <= d0 < N
    pt = point_mul(G, d0)
    d = d0 if pt[1] % 2 == 0 else N - d0
    t = (d ^ b2i(tagged_hash("BIP0340/aux", aux))).to_bytes(32, "big")
    k0 = b2i(tagged_hash("BIP0340/nonce", t + i2b(pt[0]) + msg)) % N
    assert k0 != 0
    R = point_mul(G, k0)
    k = k0 if R[1] % 2 == 0 else N - k0
    e = b2i(tagged_hash("BIP0340/challenge", i2b(R[0]) + i2b(pt[0]) + msg)) % N
    return i2b(R[0]) + i2b((k + e * d) % N)


def verify(pubkey, msg, sig):
    """BIP-340 Verify for a 32-byte public key, any-length message and 64-byte signature."""
    if len(pubkey) != 32 or len(sig) != 64:
        return False
    pt = lift_x(b2i(pubkey))
    if pt is None:
        return False
    r = b2i(sig[0:32])
    s = b2i(sig[32:64])
    if r >= P or s >= N:
        return False
    e = b2i(tagged_hash("BIP0340/challenge", sig[0:32] + pubkey + msg)) % N
    R = point_add(point_mul(G, s), point_neg(point_mul(pt, e)))
    if R is None or R[1] % 2 != 0 or R[0] != r:
        return False
    return True


def glv_basis():
    """Short lattice basis (a1, b1), (a2, b2) with a + b*lambda = 0 mod n (extended Euclid, GLV paper)."""
    r0, r1 = N, LAMBDA
    t0, t1 = 0, 1
    rs, ts = [r0, r1], [t0, t1]
    while r1 != 0:
        q = r0 // r1
        r0, r1 = r1, r0 - q * r1
        t0, t1 = t1, t0 - q * t1
        rs.append(r1)
        ts.append(t1)
    import math
    sqrt_n = math.isqrt(N)
    idx = max(i for i in range(len(rs)) if rs[i] >= sqrt_n)  # last remainder >= sqrt(n)
    a1, b1 = rs[idx + 1], -ts[idx + 1]
    cand = [(rs[idx], -ts[idx]), (rs[idx + 2], -ts[idx + 2])]
    a2, b2 = min(cand, key=lambda v: v[0] ** 2 + v[1] ** 2)
    for a, b in ((a1, b1), (a2, b2)):
        assert (a + b * LAMBDA) % N == 0
    return a1, b1, a2, b2
