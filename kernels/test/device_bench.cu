// GPU correctness check and benchmark of bip340_verify_batch (needs a CUDA device; not run in CI),
// built by kernels/device/build-device-bench.sh and run once on the GPU machine by
// kernels/device/run-device-bench.sh. One invocation:
//
// 1. Corpora. The official BIP-340 vectors and the random vectors (bip340_random.txt), and two
//    generated corpora of real signatures, made on the GPU by a signing kernel built from the
//    verifier's own arithmetic (test/bip340_sign.cuh): "distinct" (every record its own key,
//    2^20 keys) and "zipf" (10 000 authors drawn from a Zipf distribution, s = 1, 2^20 records).
//    One record in 8 is corrupted (message, s, r, or the key swapped for another author's), so
//    the expected verdicts are known by construction; batches larger than a corpus repeat it.
//    A sample of each corpus is verified on the host too (checks the generator and bookkeeping).
// 2. Correctness of every kernel (the one compiled into this binary and each PTX of the manifest:
//    the committed PTX and the variants built with other -D switches, JIT-compiled by the driver
//    like the Java backend does) on all corpora with the key cache off, large (32 768 entries)
//    and small (16 entries: constant evictions), plus 4 concurrent streams sharing a cache. Any
//    mismatch is printed and makes the exit status non-zero.
// 3. Kernel-only verifies/s (CUDA events, median of 5 after a warm-up) per kernel, corpus and
//    cache setting over batch sizes 1 .. 4 194 304 at block 256, and 128/512 for the large ones;
//    one "RESULT key=value ..." line per measurement besides the table.
//
// Usage: device_bench --vectors DIR --manifest FILE [--max-batch N] [--budget-s S]
//        device_bench --vectors DIR --host-check        (no GPU: the generator and the expected
//                                                        verdicts checked on the host)
// The manifest lists one kernel per line: "name timing ptx-file flags..." with timing "full" (all
// batch and block sizes) or "short" (batches 65 536 .. 4 194 304 at block 256 only).
#include <cuda_runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "../src/bip340_verify.cu"
#include "bip340_sign.cuh"

#define CK(call)                                                                                    \
    do {                                                                                            \
        cudaError_t err_ = (call);                                                                  \
        if (err_ != cudaSuccess) {                                                                  \
            fprintf(stderr, "%s:%d %s: %s\n", __FILE__, __LINE__, #call, cudaGetErrorString(err_)); \
            exit(3);                                                                                \
        }                                                                                           \
    } while (0)

// ---------------------------------------------------------------------------------------------
// Corpus generation, shared by the GPU kernels and the host check

#define GEN_OK 0
#define GEN_MSG 1  // a bit of the message flipped
#define GEN_S 2    // a bit of s flipped
#define GEN_R 3    // a bit of r flipped
#define GEN_KEY 4  // another author's key (a key the cache knows, with a signature not its own)

SECP_HD uint32_t gen_mix(uint32_t x) {
    x ^= x >> 16;
    x *= 0x7FEB352Du;
    x ^= x >> 15;
    x *= 0x846CA68Bu;
    x ^= x >> 16;
    return x;
}

// One record in 8 is corrupted, the kind of corruption cycling through the four.
SECP_HD uint8_t gen_kind(uint32_t seed, uint32_t j) {
    uint32_t h = gen_mix(j * 0x9E3779B9u + seed);
    return (h & 7u) ? GEN_OK : (uint8_t)(1u + (h >> 3) % 4u);
}

SECP_HD uint8_t gen_expected(uint8_t kind) { return kind == GEN_OK ? BIP340_VALID : BIP340_INVALID; }

// Key i of a corpus: the x-only key and the even-y secret as limbs.
SECP_HD void gen_key(uint8_t px[32], uint32_t dw[8], uint32_t seed, uint32_t i, const secp_key_table* gt) {
    sc d;
    sign_derive_scalar(&d, seed, i, 0x4B455953u);
    sign_pubkey(px, &d, gt);
    for (int k = 0; k < 8; k++) dw[k] = d.d[k];
}

// Record j, signed by key `key`, then corrupted as `kind` says.
SECP_HD void gen_record(uint8_t rec[128], uint32_t seed, uint32_t j, uint32_t key, uint32_t n_keys, uint8_t kind,
                        const uint8_t* px_all, const uint32_t* d_all, const secp_key_table* gt) {
    uint8_t in[8], msg[32];
    for (int b = 0; b < 4; b++) {
        in[b] = (uint8_t)(seed >> (24 - 8 * b));
        in[4 + b] = (uint8_t)(j >> (24 - 8 * b));
    }
    sha256_bytes(msg, in, sizeof in);  // stands for the event id
    sc d, nonce;
    for (int k = 0; k < 8; k++) d.d[k] = d_all[8ull * key + k];
    sign_derive_scalar(&nonce, seed ^ 0x4E4F4E43u, j, key);
    sign_record(rec, msg, px_all + 32ull * key, &d, &nonce, gt);
    if (kind == GEN_KEY && n_keys < 2) kind = GEN_MSG;
    switch (kind) {
        case GEN_MSG: rec[5] ^= 0x20; break;
        case GEN_S: rec[127] ^= 0x01; break;
        case GEN_R: rec[80] ^= 0x08; break;
        case GEN_KEY: {
            const uint8_t* other = px_all + 32ull * ((key + 1) % n_keys);
            for (int b = 0; b < 32; b++) rec[32 + b] = other[b];
            break;
        }
        default: break;
    }
}

__global__ void gen_keys_kernel(uint32_t n, uint32_t seed, uint8_t* px, uint32_t* dw) {
    uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    secp_key_table gt;
    sign_g_table(&gt);
    gen_key(px + 32ull * i, dw + 8ull * i, seed, i, &gt);
}

__global__ void gen_records_kernel(uint32_t n, uint32_t seed, const uint32_t* key_of, uint32_t n_keys, const uint8_t* px,
                                   const uint32_t* dw, uint8_t* out) {
    uint32_t j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= n) return;
    secp_key_table gt;
    sign_g_table(&gt);
    gen_record(out + 128ull * j, seed, j, key_of[j], n_keys, gen_kind(seed, j), px, dw, &gt);
}

// Author of each record: distinct (record j has key j) or Zipf(s) over n_keys authors.
static std::vector<uint32_t> authors(size_t n, uint32_t n_keys, bool zipf, double s, uint64_t seed) {
    std::vector<uint32_t> key_of(n);
    if (!zipf) {
        for (size_t j = 0; j < n; j++) key_of[j] = (uint32_t)(j % n_keys);
        return key_of;
    }
    std::vector<double> cdf(n_keys);
    double acc = 0;
    for (uint32_t k = 0; k < n_keys; k++) cdf[k] = acc += 1.0 / pow((double)k + 1.0, s);
    uint64_t x = seed | 1;
    for (size_t j = 0; j < n; j++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double u = (double)(x >> 11) / 9007199254740992.0 * acc;
        key_of[j] = (uint32_t)std::min<size_t>(std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin(), n_keys - 1);
    }
    return key_of;
}

struct corpus {
    std::string name;
    size_t period = 0;              // distinct records; batches beyond repeat them
    uint32_t n_keys = 0;
    std::vector<uint8_t> expected;  // period verdicts
    std::vector<uint8_t> host;      // the records on the host (vectors, and the host check)
    uint8_t* dev = nullptr;         // `capacity` records on the device (the period repeated)
    size_t capacity = 0;
    size_t cursor = 0;              // where the next timed launch starts
    uint8_t expect(size_t i) const { return expected[i % period]; }
};

static bool hex_bytes(uint8_t* out, const char* hex, size_t n) {
    if (strlen(hex) < 2 * n) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) return false;
        out[i] = (uint8_t)v;
    }
    return true;
}

// Official vectors (rows with 32-byte messages) and the random vectors.
static void load_vectors(corpus& c, const std::string& dir) {
    c.name = "vectors";
    FILE* f = fopen((dir + "/bip340-final.csv").c_str(), "r");
    if (!f) {
        fprintf(stderr, "cannot open %s/bip340-final.csv\n", dir.c_str());
        exit(2);
    }
    char line[1024];
    if (!fgets(line, sizeof line, f)) exit(2);  // header
    while (fgets(line, sizeof line, f)) {
        std::vector<std::string> cols;
        std::string cur;
        for (char* p = line; *p && *p != '\n' && *p != '\r'; p++) {
            if (*p == ',' && cols.size() < 7) {
                cols.push_back(cur);
                cur.clear();
            } else {
                cur += *p;
            }
        }
        cols.push_back(cur);
        if (cols.size() < 7 || cols[4].size() != 64) continue;
        uint8_t rec[128];
        hex_bytes(rec, cols[4].c_str(), 32);
        hex_bytes(rec + 32, cols[2].c_str(), 32);
        hex_bytes(rec + 64, cols[5].c_str(), 64);
        c.host.insert(c.host.end(), rec, rec + 128);
        c.expected.push_back(cols[6] == "TRUE" ? BIP340_VALID : BIP340_INVALID);
    }
    fclose(f);
    f = fopen((dir + "/bip340_random.txt").c_str(), "r");
    if (!f) {
        fprintf(stderr, "cannot open %s/bip340_random.txt\n", dir.c_str());
        exit(2);
    }
    char m[80], k[80], s[160], kind[64];
    int exp;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        if (sscanf(line, "%79s %79s %159s %d %63s", m, k, s, &exp, kind) != 5) continue;
        uint8_t rec[128];
        if (!hex_bytes(rec, m, 32) || !hex_bytes(rec + 32, k, 32) || !hex_bytes(rec + 64, s, 64)) continue;
        c.host.insert(c.host.end(), rec, rec + 128);
        c.expected.push_back(exp ? BIP340_VALID : BIP340_INVALID);
    }
    fclose(f);
    c.period = c.expected.size();
}

static double now_s() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static const uint32_t SEED_DISTINCT = 0xD157u, SEED_ZIPF = 0x21Fu;
static const uint32_t ZIPF_KEYS = 10000;

// Host check: the generator and the expected verdicts on the CPU (the verifier's host path, with
// and without a small cache), the Zipf sampler's shape, the repetition bookkeeping.
static int host_check(const std::string& dir) {
    int failures = 0;
    corpus v;
    load_vectors(v, dir);
    secp_key_table gt;
    sign_g_table(&gt);
    // both corpus shapes: 40 Zipf authors, and every record its own key
    for (int zipf = 1; zipf >= 0; zipf--) {
        const uint32_t n = 320, n_keys = zipf ? 40 : n, seed = zipf ? SEED_ZIPF : SEED_DISTINCT;
        std::vector<uint8_t> px(32 * n_keys);
        std::vector<uint32_t> dw(8 * n_keys);
        for (uint32_t i = 0; i < n_keys; i++) gen_key(&px[32 * i], &dw[8 * i], seed, i, &gt);
        std::vector<uint32_t> key_of = authors(n, n_keys, zipf, 1.0, 42);
        std::vector<uint8_t> recs(128ull * n);
        int kinds[5] = {0, 0, 0, 0, 0};
        for (uint32_t j = 0; j < n; j++) {
            uint8_t kind = gen_kind(seed, j);
            kinds[kind]++;
            gen_record(&recs[128ull * j], seed, j, key_of[j], n_keys, kind, px.data(), dw.data(), &gt);
        }
        size_t cache_bytes = 16ull * BIP340_KC_ENTRY_BYTES;
        uint8_t* cache_mem = static_cast<uint8_t*>(aligned_alloc(16, cache_bytes));
        memset(cache_mem, 0, cache_bytes);
        const bip340_key_cache none = {nullptr, 0}, small = {cache_mem, 16};
        int bad = 0;
        // twice over (the second time mostly hits), the period repeated as the bench tiles it
        for (uint32_t i = 0; i < 2 * n; i++) {
            uint8_t want = gen_expected(gen_kind(seed, i % n));
            const uint8_t* rec = &recs[128ull * (i % n)];
            int a = bip340_verify_record(rec, none), b = bip340_verify_record(rec, small);
            if (a != want || b != want) {
                if (bad < 5) fprintf(stderr, "host check: record %u expected %d, uncached %d, cached %d\n", i, want, a, b);
                bad++;
            }
        }
        free(cache_mem);
        printf("host check: %s, %u generated records of %u keys (%d valid, corrupted msg %d, s %d, r %d, key %d), %d mismatches\n",
               zipf ? "zipf" : "distinct", n, n_keys, kinds[0], kinds[1], kinds[2], kinds[3], kinds[4], bad);
        failures += bad != 0 || kinds[0] == (int)n || kinds[1] + kinds[2] + kinds[3] + kinds[4] == 0;
    }
    // the vectors through the host verifier with the same expectations as the bench
    const bip340_key_cache none = {nullptr, 0};
    int bad = 0;
    for (size_t i = 0; i < v.period; i++) bad += bip340_verify_record(&v.host[128 * i], none) != v.expected[i];
    printf("host check: %zu vectors, %d mismatches\n", v.period, bad);
    failures += bad != 0;
    // Zipf(1) over 10 000 authors: the top author has 1/H(10000) ~ 10.2 % of the records
    std::vector<uint32_t> z = authors(1 << 20, ZIPF_KEYS, true, 1.0, 7);
    std::vector<uint32_t> counts(ZIPF_KEYS);
    for (uint32_t k : z) counts[k]++;
    uint32_t seen = 0;
    for (uint32_t c : counts) seen += c != 0;
    double top = counts[0] / (double)z.size();
    printf("host check: zipf 2^20 records over %u authors: top author %.1f %%, %u authors seen\n", ZIPF_KEYS, 100 * top,
           seen);
    failures += top < 0.09 || top > 0.115 || seen < 8000;
    printf(failures ? "HOST CHECK FAILED\n" : "host check: ok\n");
    return failures ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// GPU side

struct kernel_variant {
    std::string name, timing, file, flags;
    const void* fn = nullptr;
    unsigned int entry_bytes = 0;
    bool loaded = false;
};

static void launch(const void* fn, const uint8_t* rec, uint8_t* out, unsigned int n, int block, uint8_t* cache,
                   unsigned int entries, cudaStream_t st) {
    unsigned int grid = (n + block - 1) / block;
    void* args[] = {(void*)&rec, (void*)&out, (void*)&n, (void*)&cache, (void*)&entries};
    CK(cudaLaunchKernel(fn, dim3(grid), dim3(block), args, 0, st));
}

static bool load_ptx(kernel_variant& v, float* jit_s, bool* symbol_failed) {
    FILE* pf = fopen(v.file.c_str(), "rb");
    if (!pf) {
        printf("%s: cannot open %s\n", v.name.c_str(), v.file.c_str());
        return false;
    }
    std::vector<char> ptx;
    char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, pf)) > 0) ptx.insert(ptx.end(), buf, buf + got);
    fclose(pf);
    ptx.push_back(0);
    double t0 = now_s();
    cudaLibrary_t lib;
    cudaKernel_t kernel;
    cudaError_t err = cudaLibraryLoadData(&lib, ptx.data(), nullptr, nullptr, 0, nullptr, nullptr, 0);
    if (err == cudaSuccess) err = cudaLibraryGetKernel(&kernel, lib, "bip340_verify_batch");
    *jit_s = (float)(now_s() - t0);
    if (err != cudaSuccess) {
        printf("%s: %s\n", v.name.c_str(), cudaGetErrorString(err));
        cudaGetLastError();
        return false;
    }
    v.fn = (const void*)kernel;
    // the entry size the host reads (the Java backend with cuModuleGetGlobal)
    void* sym = nullptr;
    size_t sym_bytes = 0;
    err = cudaLibraryGetGlobal(&sym, &sym_bytes, lib, "bip340_key_cache_entry_bytes");
    if (err == cudaSuccess) err = cudaMemcpy(&v.entry_bytes, sym, sizeof v.entry_bytes, cudaMemcpyDeviceToHost);
    if (err != cudaSuccess || sym_bytes != 4 || v.entry_bytes == 0 || v.entry_bytes % 16) {
        printf("%s: bip340_key_cache_entry_bytes not readable (%s, %zu bytes, value %u) <<<<<<<<<< FAILURE; using 4096\n",
               v.name.c_str(), cudaGetErrorString(err), sym_bytes, v.entry_bytes);
        cudaGetLastError();
        v.entry_bytes = 4096;
        *symbol_failed = true;
    }
    return true;
}

struct bench {
    int failures = 0;
    uint8_t* d_out = nullptr;
    uint8_t* d_cache = nullptr;
    size_t cache_capacity = 0;  // bytes
    std::vector<uint8_t> out;
    cudaEvent_t e0, e1;
    FILE* log = stdout;

    void result(const std::string& kv) {
        printf("RESULT %s\n", kv.c_str());
        fflush(stdout);
    }

    // Verdicts of n records from `start` (modulo the device buffer) against the expectations.
    size_t compare(const corpus& c, size_t start, size_t n, const char* what) {
        CK(cudaMemcpy(out.data(), d_out, n, cudaMemcpyDeviceToHost));
        size_t bad = 0;
        for (size_t i = 0; i < n; i++) {
            uint8_t want = c.expect(start + i);
            if (out[i] != want) {
                if (bad < 5)
                    printf("  MISMATCH %s %s record %zu: got %d expected %d\n", what, c.name.c_str(), start + i, out[i],
                           want);
                bad++;
            }
        }
        return bad;
    }

    uint8_t* cache_for(const kernel_variant& v, unsigned int entries) {
        size_t bytes = (size_t)entries * v.entry_bytes;
        if (bytes > cache_capacity) {
            fprintf(stderr, "cache of %u entries does not fit\n", entries);
            exit(3);
        }
        CK(cudaMemset(d_cache, 0, bytes));  // as the host does once at allocation
        return d_cache;
    }

    // One launch over n records of corpus c (from its first record), verdicts checked.
    void check(const kernel_variant& v, const corpus& c, size_t n, unsigned int entries, int passes, const char* mode) {
        uint8_t* cache = entries ? cache_for(v, entries) : nullptr;
        for (int pass = 0; pass < passes; pass++) {
            CK(cudaMemset(d_out, 0, n));
            launch(v.fn, c.dev, d_out, (unsigned int)n, 256, cache, entries, 0);
            CK(cudaDeviceSynchronize());
            std::string what = v.name + " cache=" + mode + " pass=" + std::to_string(pass);
            size_t bad = compare(c, 0, n, what.c_str());
            printf("correctness %-16s %-9s cache=%-6s pass %d: %8zu verdicts, %zu mismatches%s\n", v.name.c_str(),
                   c.name.c_str(), mode, pass, n, bad, bad ? "   <<<<<<<<<< MISMATCH" : "");
            result("kind=correctness variant=" + v.name + " corpus=" + c.name + " cache=" + mode +
                   " pass=" + std::to_string(pass) + " n=" + std::to_string(n) + " mismatches=" + std::to_string(bad));
            failures += bad != 0;
        }
    }

    // 4 streams verify interleaved quarters of corpus c at once, all on one cache, 3 rounds.
    void check_streams(const kernel_variant& v, const corpus& c, size_t n, unsigned int entries, const char* mode) {
        uint8_t* cache = cache_for(v, entries);
        cudaStream_t st[4];
        for (auto& s : st) CK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
        size_t bad = 0, q = n / 4;
        for (int round = 0; round < 3; round++) {
            CK(cudaMemset(d_out, 0, n));
            for (int k = 0; k < 4; k++) launch(v.fn, c.dev + 128ull * q * k, d_out + q * k, (unsigned int)q, 256, cache, entries, st[k]);
            CK(cudaDeviceSynchronize());
            bad += compare(c, 0, 4 * q, (v.name + " streams").c_str());
        }
        for (auto& s : st) CK(cudaStreamDestroy(s));
        printf("correctness %-16s %-9s cache=%-6s 4 concurrent streams x 3 rounds: %zu verdicts each, %zu mismatches%s\n",
               v.name.c_str(), c.name.c_str(), mode, 4 * q, bad, bad ? "   <<<<<<<<<< MISMATCH" : "");
        result("kind=correctness variant=" + v.name + " corpus=" + c.name + " cache=" + mode + " streams=4 n=" +
               std::to_string(4 * q) + " mismatches=" + std::to_string(bad));
        failures += bad != 0;
    }

    // Median kernel time of 5 launches after a warm-up. Successive launches (of all batch sizes)
    // take successive records of the corpus, so with the cache on, the distinct corpus's keys
    // (2^20 of them against 32 768 entries) are always misses.
    float time_batch(const kernel_variant& v, corpus& c, size_t n, int block, uint8_t* cache, unsigned int entries,
                     bool check_verdicts) {
        std::vector<float> ms;
        size_t start = 0;
        for (int r = 0; r < 6; r++) {
            start = n <= c.period ? c.cursor : 0;
            if (start + n > c.capacity) start = 0;
            c.cursor = (start + n) % c.period;
            CK(cudaEventRecord(e0));
            launch(v.fn, c.dev + 128ull * start, d_out, (unsigned int)n, block, cache, entries, 0);
            CK(cudaEventRecord(e1));
            CK(cudaEventSynchronize(e1));
            float t;
            CK(cudaEventElapsedTime(&t, e0, e1));
            if (r > 0) ms.push_back(t);
        }
        if (check_verdicts) {
            size_t bad = compare(c, start, n, (v.name + " timed").c_str());
            if (bad) {
                printf("  %zu MISMATCHES in the timed batch of %zu\n", bad, n);
                failures++;
            }
        }
        std::sort(ms.begin(), ms.end());
        return ms[2];
    }
};

int main(int argc, char** argv) {
    std::string vectors_dir, manifest;
    size_t max_batch = 4194304;
    double budget_s = 200;
    bool host_only = false;
    for (int a = 1; a < argc; a++) {
        std::string arg = argv[a];
        if (arg == "--vectors" && a + 1 < argc) vectors_dir = argv[++a];
        else if (arg == "--manifest" && a + 1 < argc) manifest = argv[++a];
        else if (arg == "--max-batch" && a + 1 < argc) max_batch = strtoull(argv[++a], nullptr, 10);
        else if (arg == "--budget-s" && a + 1 < argc) budget_s = atof(argv[++a]);
        else if (arg == "--host-check") host_only = true;
        else {
            fprintf(stderr, "usage: %s --vectors DIR (--host-check | --manifest FILE [--max-batch N] [--budget-s S])\n", argv[0]);
            return 2;
        }
    }
    if (vectors_dir.empty()) {
        fprintf(stderr, "--vectors DIR is required\n");
        return 2;
    }
    if (host_only) return host_check(vectors_dir);
    if (manifest.empty()) {
        fprintf(stderr, "--manifest FILE is required\n");
        return 2;
    }
    const double t_start = now_s();
    bench b;

    // kernels: the one compiled into this binary, then the manifest's PTX files
    std::vector<kernel_variant> variants(1);
    variants[0].name = "builtin-sass";
    variants[0].timing = "none";
    variants[0].flags = "(this binary, default switches)";
    variants[0].fn = (const void*)bip340_verify_batch;
    {
        FILE* mf = fopen(manifest.c_str(), "r");
        if (!mf) {
            fprintf(stderr, "cannot open %s\n", manifest.c_str());
            return 2;
        }
        std::string dir = manifest.substr(0, manifest.rfind('/') + 1);
        char line[1024];
        while (fgets(line, sizeof line, mf)) {
            char name[128], timing[32], file[512];
            int used = 0;
            if (line[0] == '#' || sscanf(line, "%127s %31s %511s %n", name, timing, file, &used) < 3) continue;
            kernel_variant v;
            v.name = name;
            v.timing = timing;
            v.file = dir + file;
            v.flags = line + used;
            while (!v.flags.empty() && (v.flags.back() == '\n' || v.flags.back() == ' ')) v.flags.pop_back();
            variants.push_back(v);
        }
        fclose(mf);
    }

    int dev;
    cudaDeviceProp prop;
    CK(cudaGetDevice(&dev));
    CK(cudaGetDeviceProperties(&prop, dev));
    int driver = 0, runtime = 0;
    CK(cudaDriverGetVersion(&driver));
    CK(cudaRuntimeGetVersion(&runtime));
    printf("device: %s, %d SMs, sm_%d%d, %.0f MB L2, driver API %d, runtime %d\n", prop.name, prop.multiProcessorCount,
           prop.major, prop.minor, prop.l2CacheSize / 1e6, driver, runtime);
    CK(cudaMemcpyFromSymbol(&variants[0].entry_bytes, bip340_key_cache_entry_bytes, sizeof(unsigned int)));
    variants[0].loaded = true;
    for (size_t i = 1; i < variants.size(); i++) {
        float jit_s = 0;
        bool symbol_failed = false;
        variants[i].loaded = load_ptx(variants[i], &jit_s, &symbol_failed);
        b.failures += symbol_failed;
        if (variants[i].loaded) {
            printf("%-16s PTX load + JIT %.2f s  [%s]\n", variants[i].name.c_str(), jit_s, variants[i].flags.c_str());
        } else {
            printf("%-16s NOT LOADED <<<<<<<<<<\n", variants[i].name.c_str());
            b.failures++;
        }
    }
    for (const kernel_variant& v : variants) {
        if (!v.loaded) continue;
        cudaFuncAttributes fa;
        if (cudaFuncGetAttributes(&fa, v.fn) == cudaSuccess) {
            printf("%-16s %d registers/thread, %zu B local/thread, %zu B static shared, cache entry %u B\n", v.name.c_str(),
                   fa.numRegs, (size_t)fa.localSizeBytes, (size_t)fa.sharedSizeBytes, v.entry_bytes);
            b.result("kind=resources variant=" + v.name + " registers=" + std::to_string(fa.numRegs) +
                     " local_bytes=" + std::to_string(fa.localSizeBytes) + " entry_bytes=" + std::to_string(v.entry_bytes));
        } else {
            cudaGetLastError();
            printf("%-16s attributes not available, cache entry %u B\n", v.name.c_str(), v.entry_bytes);
        }
    }

    // ---- corpora ----
    corpus vec, dis, zipf;
    load_vectors(vec, vectors_dir);
    const size_t period = std::min<size_t>(1u << 20, std::max<size_t>(max_batch, 65536));
    const size_t capacity = std::max(max_batch, 2 * period);
    CK(cudaMalloc(&vec.dev, vec.host.size()));
    CK(cudaMemcpy(vec.dev, vec.host.data(), vec.host.size(), cudaMemcpyHostToDevice));
    vec.capacity = vec.period;
    double t_gen = now_s();
    struct gen_spec {
        corpus* c;
        const char* name;
        uint32_t seed, n_keys;
        bool zipf;
    } specs[] = {{&dis, "distinct", SEED_DISTINCT, (uint32_t)period, false}, {&zipf, "zipf", SEED_ZIPF, ZIPF_KEYS, true}};
    for (const gen_spec& g : specs) {
        corpus& c = *g.c;
        c.name = g.name;
        c.period = period;
        c.n_keys = g.n_keys;
        c.capacity = capacity;
        uint8_t* d_px;
        uint32_t *d_dw, *d_key_of;
        CK(cudaMalloc(&d_px, 32ull * g.n_keys));
        CK(cudaMalloc(&d_dw, 32ull * g.n_keys));
        CK(cudaMalloc(&d_key_of, 4ull * period));
        CK(cudaMalloc(&c.dev, 128ull * capacity));
        gen_keys_kernel<<<(g.n_keys + 127) / 128, 128>>>(g.n_keys, g.seed, d_px, d_dw);
        std::vector<uint32_t> key_of = authors(period, g.n_keys, g.zipf, 1.0, g.seed);
        CK(cudaMemcpy(d_key_of, key_of.data(), 4ull * period, cudaMemcpyHostToDevice));
        gen_records_kernel<<<(unsigned)((period + 127) / 128), 128>>>((uint32_t)period, g.seed, d_key_of, g.n_keys, d_px,
                                                                       d_dw, c.dev);
        CK(cudaGetLastError());
        CK(cudaDeviceSynchronize());
        for (size_t at = period; at < capacity; at += period)
            CK(cudaMemcpy(c.dev + 128ull * at, c.dev, 128ull * std::min(period, capacity - at), cudaMemcpyDeviceToDevice));
        c.expected.resize(period);
        size_t valid = 0;
        for (size_t j = 0; j < period; j++) valid += (c.expected[j] = gen_expected(gen_kind(g.seed, (uint32_t)j))) == BIP340_VALID;
        std::vector<uint32_t> distinct_keys(key_of);
        std::sort(distinct_keys.begin(), distinct_keys.end());
        size_t authors_seen = std::unique(distinct_keys.begin(), distinct_keys.end()) - distinct_keys.begin();
        // the host verifier checks a sample of what the GPU generated
        const size_t sample = 256;
        c.host.resize(128 * sample);
        CK(cudaMemcpy(c.host.data(), c.dev, c.host.size(), cudaMemcpyDeviceToHost));
        size_t bad = 0;
        const bip340_key_cache none = {nullptr, 0};
        for (size_t j = 0; j < sample; j++) bad += bip340_verify_record(&c.host[128 * j], none) != c.expected[j];
        printf("corpus %-8s: %zu records (%zu valid), %zu distinct authors of %u keys, repeated to %zu; host verifier on %zu: %zu mismatches%s\n",
               c.name.c_str(), period, valid, authors_seen, g.n_keys, capacity, sample, bad, bad ? "   <<<<<<<<<< MISMATCH" : "");
        b.failures += bad != 0;
        CK(cudaFree(d_px));
        CK(cudaFree(d_dw));
        CK(cudaFree(d_key_of));
    }
    printf("corpora generated in %.2f s\n", now_s() - t_gen);

    const unsigned int big_entries = 32768, small_entries = 16;
    unsigned int max_entry = 0;
    for (const kernel_variant& v : variants) max_entry = std::max(max_entry, v.entry_bytes);
    b.cache_capacity = (size_t)big_entries * max_entry;
    CK(cudaMalloc(&b.d_cache, b.cache_capacity));
    CK(cudaMalloc(&b.d_out, capacity));
    b.out.resize(capacity);
    CK(cudaEventCreate(&b.e0));
    CK(cudaEventCreate(&b.e1));
    printf("key cache for the timing: %u entries (%.1f MB with the default %u-byte entries) for %u authors; small cache: %u entries\n",
           big_entries, big_entries * (double)variants[0].entry_bytes / 1e6, variants[0].entry_bytes, ZIPF_KEYS, small_entries);

    // ---- correctness ----
    for (const kernel_variant& v : variants) {
        if (!v.loaded) continue;
        for (const corpus* c : {&vec, &dis, &zipf}) {
            b.check(v, *c, c->period, 0, 1, "off");
            b.check(v, *c, c->period, big_entries, 2, "large");
            b.check(v, *c, c->period, small_entries, 2, "small");
        }
        b.check_streams(v, zipf, zipf.period, 64, "64");
        b.check_streams(v, zipf, zipf.period, big_entries, "large");
    }
    printf("correctness done at %.1f s\n", now_s() - t_start);

    // ---- throughput ----
    std::vector<size_t> all_batches = {1, 16, 256, 1024, 16384, 65536, 1048576, 4194304};
    printf("\n%-16s %-9s %-6s %6s %10s %11s %10s\n", "kernel", "corpus", "cache", "block", "batch", "median_ms", "M/s");
    struct summary_row {
        std::string key;
        double mps;
    };
    std::vector<summary_row> summary;
    for (const kernel_variant& v : variants) {
        if (!v.loaded || v.timing == "none") continue;
        if (now_s() - t_start > budget_s) {
            printf("%-16s timing SKIPPED: time budget of %.0f s spent <<<<<<<<<<\n", v.name.c_str(), budget_s);
            b.result("kind=skipped variant=" + v.name);
            continue;
        }
        bool full = v.timing == "full";
        for (corpus* c : {&dis, &zipf}) {
            for (int cached = 0; cached < 2; cached++) {
                uint8_t* cache = cached ? b.cache_for(v, big_entries) : nullptr;
                unsigned int entries = cached ? big_entries : 0;
                const char* mode = cached ? (c == &dis ? "on-miss" : "on") : "off";
                for (size_t n : all_batches) {
                    if (n > max_batch || (!full && n < 65536)) continue;
                    std::vector<int> blocks = {256};
                    if (full && n >= 1048576) blocks = {128, 256, 512};
                    for (int block : blocks) {
                        float ms = b.time_batch(v, *c, n, block, cache, entries, n == std::min<size_t>(max_batch, 4194304) && block == 256);
                        double mps = n / (ms / 1000.0) / 1e6;
                        printf("%-16s %-9s %-6s %6d %10zu %11.3f %10.2f\n", v.name.c_str(), c->name.c_str(), mode, block, n, ms, mps);
                        char kv[512];
                        snprintf(kv, sizeof kv, "kind=throughput variant=%s corpus=%s cache=%s batch=%zu block=%d ms=%.4f mps=%.3f",
                                 v.name.c_str(), c->name.c_str(), mode, n, block, ms, mps);
                        b.result(kv);
                        if (block == 256 && n == 1048576) summary.push_back({v.name + " " + c->name + " cache=" + mode, mps});
                    }
                }
                if (cached && c == &zipf && max_batch >= 1048576) {
                    // cold cache: the first launch after the cache was zeroed (every author misses once)
                    cache = b.cache_for(v, big_entries);
                    CK(cudaEventRecord(b.e0));
                    launch(v.fn, c->dev, b.d_out, 1048576, 256, cache, entries, 0);
                    CK(cudaEventRecord(b.e1));
                    CK(cudaEventSynchronize(b.e1));
                    float ms;
                    CK(cudaEventElapsedTime(&ms, b.e0, b.e1));
                    printf("%-16s %-9s %-6s %6d %10d %11.3f %10.2f  (one launch, cache zeroed before)\n", v.name.c_str(),
                           c->name.c_str(), "cold", 256, 1048576, ms, 1048576 / (ms / 1000.0) / 1e6);
                    char kv[256];
                    snprintf(kv, sizeof kv, "kind=throughput variant=%s corpus=zipf cache=cold batch=1048576 block=256 ms=%.4f mps=%.3f",
                             v.name.c_str(), ms, 1048576 / (ms / 1000.0) / 1e6);
                    b.result(kv);
                }
            }
        }
        printf("%-16s timed by %.1f s\n", v.name.c_str(), now_s() - t_start);
    }

    // ---- summary: batch 1 048 576, block 256, against the committed PTX ----
    printf("\nsummary (batch 1048576, block 256; x = against the committed PTX; reference H200 2026-11-26: 28.3 M/s)\n");
    for (const summary_row& r : summary) {
        std::string tail = r.key.substr(r.key.find(' '));
        double base = 0;
        for (const summary_row& q : summary)
            if (q.key == "committed" + tail) base = q.mps;
        printf("  %-40s %8.2f M/s %s\n", r.key.c_str(), r.mps, base > 0 ? ("x" + std::to_string(r.mps / base).substr(0, 4)).c_str() : "");
    }
    printf("total %.1f s\n", now_s() - t_start);
    printf(b.failures ? "DEVICE BENCH FAILED (%d failures)\n" : "device bench: all verdicts correct\n", b.failures);
    return b.failures ? 1 : 0;
}
