#!/usr/bin/env python3
"""Checks the device-only field code (inline PTX carry chains) without a GPU.

Compiles kernels/test/ptx_field_kernels.cu to PTX with the same nvcc flags as the kernel, runs
each test kernel in a minimal interpreter of the PTX subset they use (32-bit carry chains, the
64-bit integer operations that nvcc emits for the C parts, global loads/stores, predicated
branches), and compares with Python big-integer arithmetic mod p.

Usage: python3 kernels/test/ptx_sim.py    (exit 1 on any mismatch)
"""
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
P = 2**256 - 2**32 - 977
M32 = 0xFFFFFFFF
M64 = 0xFFFFFFFFFFFFFFFF


def parse_entries(ptx):
    """{name: (param names, instruction list, label -> index)} for every .entry."""
    entries = {}
    for m in re.finditer(r"\.entry\s+(\w+)\(([^)]*)\)\s*\{(.*?)\n\}", ptx, re.S):
        name, params, body = m.group(1), m.group(2), m.group(3)
        pnames = re.findall(r"\.param\s+\.\w+\s+(\w+)", params)
        instrs, labels = [], {}
        for raw in body.split("\n"):
            line = raw.split("//")[0].strip()
            if not line or line.startswith(".reg") or line in ("{", "}"):
                continue
            if line.endswith(":"):
                labels[line[:-1]] = len(instrs)
                continue
            line = line.rstrip(";").strip()
            if line.startswith("{"):
                line = line[1:].strip()
            if line.startswith(".reg") or not line:
                continue
            pred = None
            if line.startswith("@"):
                pred, line = line.split(None, 1)
            parts = line.split(None, 1)
            ops = [o.strip() for o in parts[1].split(",")] if len(parts) > 1 else []
            instrs.append((pred, parts[0], ops))
        entries[name] = (pnames, instrs, labels)
    return entries


class Machine:
    def __init__(self):
        self.mem = {}  # byte address -> byte

    def store(self, addr, value, size):
        for i in range(size):
            self.mem[addr + i] = (value >> (8 * i)) & 0xFF

    def load(self, addr, size):
        return sum(self.mem.get(addr + i, 0) << (8 * i) for i in range(size))

    def run(self, entry, args):
        pnames, instrs, labels = entry
        params = dict(zip(pnames, args))
        regs, cf = {}, 0

        def val(op):
            if re.fullmatch(r"-?\d+", op):
                return int(op) & M64
            if re.fullmatch(r"0[xX][0-9a-fA-F]+", op):
                return int(op, 16)
            return regs[op]

        def addr(op):
            m = re.fullmatch(r"\[([%\w]+)(?:\+(-?\d+))?\]", op)
            base = params[m.group(1)] if m.group(1) in params else regs[m.group(1)]
            return base + int(m.group(2) or 0)

        pc, steps = 0, 0
        while pc < len(instrs):
            pred, opc, ops = instrs[pc]
            pc += 1
            steps += 1
            if steps > 100000:
                raise RuntimeError("runaway")
            if pred:
                neg = pred.startswith("@!")
                pv = regs[pred.lstrip("@!")]
                if pv == neg:
                    continue
            base = opc.split(".")[0]
            mods = opc.split(".")[1:]
            cc = "cc" in mods
            mask = M64 if any(t in mods for t in ("u64", "s64", "b64")) else M32
            if base == "ret":
                return
            if base == "bra":
                pc = labels[ops[0]]
                continue
            if base == "ld" and "param" in mods:
                regs[ops[0]] = params[ops[1].strip("[]")]
            elif base == "cvta":
                regs[ops[0]] = regs[ops[1]]
            elif base == "ld":
                regs[ops[0]] = self.load(addr(ops[1]), 4)
            elif base == "st":
                self.store(addr(ops[0]), val(ops[1]), 4)
            elif base == "mov":
                regs[ops[0]] = val(ops[1])
            elif base in ("add", "addc"):
                s = val(ops[1]) + val(ops[2]) + (cf if base == "addc" else 0)
                regs[ops[0]] = s & mask
                if cc:
                    cf = s >> 32
            elif base in ("sub", "subc"):
                s = val(ops[1]) - val(ops[2]) - (cf if base == "subc" else 0)
                regs[ops[0]] = s & M32
                if cc:
                    cf = 1 if s < 0 else 0
            elif base == "mul" and "wide" in mods:
                regs[ops[0]] = (val(ops[1]) & M32) * (val(ops[2]) & M32)
            elif base == "mad" and "wide" in mods:
                regs[ops[0]] = ((val(ops[1]) & M32) * (val(ops[2]) & M32) + val(ops[3])) & M64
            elif base in ("mad", "madc", "mul"):
                prod = val(ops[1]) * val(ops[2])
                part = prod & M32 if "lo" in mods else prod >> 32
                s = part + (val(ops[3]) if base != "mul" else 0) + (cf if base == "madc" else 0)
                regs[ops[0]] = s & M32
                if cc:
                    cf = s >> 32
            elif base == "and":
                regs[ops[0]] = val(ops[1]) & val(ops[2]) & mask
            elif base == "or":
                regs[ops[0]] = (val(ops[1]) | val(ops[2])) & mask
            elif base == "xor":
                regs[ops[0]] = (val(ops[1]) ^ val(ops[2])) & mask
            elif base == "shl":
                regs[ops[0]] = (val(ops[1]) << val(ops[2])) & mask
            elif base == "shr" and mods[0] in ("u32", "u64", "b32", "b64"):
                regs[ops[0]] = (val(ops[1]) & mask) >> val(ops[2])
            elif base == "shf":  # funnel shift: shf.{l,r}.{wrap,clamp}.b32 d, lo, hi, n
                n = val(ops[3]) & 31 if "wrap" in mods else min(val(ops[3]), 32)
                both = ((val(ops[2]) & M32) << 32) | (val(ops[1]) & M32)
                regs[ops[0]] = ((both << n) >> 32) & M32 if "l" in mods else (both >> n) & M32
            elif base == "cvt" and mods[0] in ("u32", "u64", "s64") and mods[1] in ("u32", "u64"):
                regs[ops[0]] = val(ops[1]) & (M32 if mods[0] == "u32" or mods[1] == "u32" else M64)
            elif base == "mov" and mods and mods[0] == "b64" and ops[1].startswith("{"):
                lo, hi = [o.strip(" {}") for o in ops[1:3]]
                regs[ops[0]] = ((regs[hi] & M32) << 32) | (regs[lo] & M32)
            elif base == "neg":
                regs[ops[0]] = (-val(ops[1])) & mask
            elif base == "selp":
                regs[ops[0]] = val(ops[1]) if regs[ops[3]] else val(ops[2])
            elif base == "setp":
                a, b = val(ops[1]) & mask, val(ops[2]) & mask  # immediates such as -1 at the type's width
                regs[ops[0]] = {"eq": a == b, "ne": a != b}[mods[0]]
            else:
                raise RuntimeError("unsupported PTX instruction: " + opc)


def call(machine, entries, name, a, b):
    A, B, R = 0x1000, 0x2000, 0x3000
    machine.store(A, a, 32)
    machine.store(B, b, 32)
    machine.store(R, 0, 32)
    machine.run(entries[name], [A, B, R])
    return machine.load(R, 32)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "f.ptx")
        subprocess.run(["nvcc", "-ptx", "-arch=compute_80", "-O3", "-o", out,
                        os.path.join(HERE, "ptx_field_kernels.cu")], check=True)
        ptx = open(out).read()
    entries = parse_entries(ptx)
    rng = random.Random(7)
    edge = [0, 1, 2, 977, 2**32, 2**32 + 977, P - 1, P - 2, P - 2**32, 2**255, (P - 1) // 2]
    vals = edge + [rng.randrange(P) for _ in range(40)] + [P - 1 - rng.randrange(2**40) for _ in range(10)]
    m = Machine()
    passed = failed = 0
    cases = [(a, b) for a in edge for b in edge] + [(rng.choice(vals), rng.choice(vals)) for _ in range(150)]
    cases += [(rng.randrange(P), rng.randrange(P)) for _ in range(400)]
    # limbs drawn from {0, all ones, random}: long carry ripples through the generated product chains
    patterned = []
    while len(patterned) < 120:
        v = sum(rng.choice([0, M32, rng.randrange(2**32)]) << (32 * i) for i in range(8))
        if v < P:
            patterned.append(v)
    cases += [(rng.choice(patterned), rng.choice(patterned)) for _ in range(500)]
    checks = {
        "t_mul": lambda a, b: a * b % P,
        "t_sqr": lambda a, b: a * a % P,
        "t_add": lambda a, b: (a + b) % P,
        "t_sub": lambda a, b: (a - b) % P,
        "t_half": lambda a, b: a * pow(2, P - 2, P) % P,
        "t_mul_add_sqr": lambda a, b: (a * b + a * a) % P,
        "t_mul_add": lambda a, b: (2 * a * b) % P,
    }
    for name, ref in checks.items():
        for a, b in cases:
            got = call(m, entries, name, a, b)
            if got == ref(a, b):
                passed += 1
            else:
                failed += 1
                print("FAIL %s(%x, %x) = %x expected %x" % (name, a, b, got, ref(a, b)))
    wide = [0, 2**256 - 1, P - 1, P, 2**255] + [rng.randrange(2**256) for _ in range(40)]
    for lo in wide:
        for hi in rng.sample(wide, 8) + [2**256 - 1]:
            got = call(m, entries, "t_reduce512", lo, hi)
            exp = (lo + (hi << 256)) % P
            if got == exp:
                passed += 1
            else:
                failed += 1
                print("FAIL t_reduce512(%x, %x) = %x expected %x" % (lo, hi, got, exp))
    print("ptx field simulation: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
