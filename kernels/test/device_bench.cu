// GPU smoke test and benchmark of bip340_verify_batch (needs a CUDA device; not run in CI).
//
// 1. Correctness: the official BIP-340 vectors and the random vectors (bip340_random.txt) go
//    through the kernel; every verdict must equal the expected one. Done twice: with the kernel
//    compiled into this binary (SASS) and with the committed PTX loaded at run time
//    (cudaLibraryLoadData, the same JIT path as the Java backend's cuModuleLoadData).
// 2. Throughput: kernel-only verifies/s at batch sizes 1024 .. 4194304 (the vectors replicated),
//    median of 5 timed launches (cudaEvents) after a warm-up, for a few block sizes; the large
//    batches are re-checked against the expected verdicts.
//
// 3. Further PTX files given after the max batch (the same kernel built with other register caps by
//    kernels/device/build-device-bench.sh) are loaded, checked and timed the same way; one that
//    fails to load is reported and skipped.
//
// Usage: device_bench <vectors dir> <bip340_verify.ptx> [max batch [variant.ptx ...]]
#include <cuda_runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <string>
#include <vector>

#include "../src/bip340_verify.cu"

#define CK(call)                                                                                       \
    do {                                                                                               \
        cudaError_t err_ = (call);                                                                     \
        if (err_ != cudaSuccess) {                                                                     \
            fprintf(stderr, "%s:%d %s: %s\n", __FILE__, __LINE__, #call, cudaGetErrorString(err_));    \
            exit(3);                                                                                   \
        }                                                                                              \
    } while (0)


static bool hex_bytes(uint8_t* out, const char* hex, size_t n) {
    if (strlen(hex) < 2 * n) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) return false;
        out[i] = (uint8_t)v;
    }
    return true;
}

struct corpus {
    std::vector<uint8_t> records;
    std::vector<uint8_t> expected;
};

static void load_random(corpus& c, const std::string& path) {
    FILE* f = fopen(path.c_str(), "r");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path.c_str());
        exit(2);
    }
    char line[1024], m[80], k[80], s[160], kind[64];
    int exp;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        if (sscanf(line, "%79s %79s %159s %d %63s", m, k, s, &exp, kind) != 5) continue;
        uint8_t rec[128];
        if (!hex_bytes(rec, m, 32) || !hex_bytes(rec + 32, k, 32) || !hex_bytes(rec + 64, s, 64)) continue;
        c.records.insert(c.records.end(), rec, rec + 128);
        c.expected.push_back((uint8_t)(exp ? BIP340_VALID : BIP340_INVALID));
    }
    fclose(f);
}

static void load_official(corpus& c, const std::string& path) {
    FILE* f = fopen(path.c_str(), "r");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path.c_str());
        exit(2);
    }
    char line[1024];
    fgets(line, sizeof line, f);  // header
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
        c.records.insert(c.records.end(), rec, rec + 128);
        c.expected.push_back(cols[6] == "TRUE" ? BIP340_VALID : BIP340_INVALID);
    }
    fclose(f);
}

static void launch(const void* fn, const unsigned char* rec, unsigned char* out, unsigned int n, int block,
                   cudaStream_t st) {
    unsigned int grid = (n + block - 1) / block;
    unsigned char* cache = nullptr;
    unsigned int entries = 0;
    void* args[] = {(void*)&rec, (void*)&out, (void*)&n, (void*)&cache, (void*)&entries};
    CK(cudaLaunchKernel(fn, dim3(grid), dim3(block), args, 0, st));
}

// Reads a PTX file and JIT-compiles it through the driver (cudaLibraryLoadData, the same path as
// the Java backend's cuModuleLoadData). Returns false with a message instead of exiting.
static bool load_ptx_kernel(const char* path, cudaLibrary_t* lib, cudaKernel_t* kernel, float* jit_ms) {
    FILE* pf = fopen(path, "rb");
    if (!pf) {
        fprintf(stderr, "cannot open %s\n", path);
        return false;
    }
    std::vector<char> ptx;
    char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, pf)) > 0) ptx.insert(ptx.end(), buf, buf + got);
    fclose(pf);
    ptx.push_back(0);
    CK(cudaDeviceSynchronize());
    auto t0 = clock();
    cudaError_t err = cudaLibraryLoadData(lib, ptx.data(), nullptr, nullptr, 0, nullptr, nullptr, 0);
    if (err == cudaSuccess) err = cudaLibraryGetKernel(kernel, *lib, "bip340_verify_batch");
    *jit_ms = 1000.0f * (float)(clock() - t0) / CLOCKS_PER_SEC;
    if (err != cudaSuccess) {
        fprintf(stderr, "%s: %s\n", path, cudaGetErrorString(err));
        cudaGetLastError();
        return false;
    }
    return true;
}

// Registers and local memory per thread of a kernel, or a note when the runtime cannot tell.
static void print_attributes(const char* name, const void* fn) {
    cudaFuncAttributes fa;
    if (cudaFuncGetAttributes(&fa, fn) == cudaSuccess) {
        printf("%s: %d registers/thread, %zu bytes local/thread\n", name, fa.numRegs, (size_t)fa.localSizeBytes);
    } else {
        cudaGetLastError();
        printf("%s: attributes not available\n", name);
    }
}

static size_t count_mismatches(const std::vector<uint8_t>& got, const corpus& c, size_t n) {
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        if (got[i] != c.expected[i % c.expected.size()]) {
            if (bad < 5) fprintf(stderr, "  mismatch at %zu: got %d expected %d\n", i, got[i], c.expected[i % c.expected.size()]);
            bad++;
        }
    }
    return bad;
}

int main(int argc, char** argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s <vectors dir> <bip340_verify.ptx> [max batch [variant.ptx ...]]\n", argv[0]);
        return 2;
    }
    std::string dir = argv[1];
    size_t max_batch = argc > 3 ? strtoull(argv[3], nullptr, 10) : 4194304;
    corpus c;
    load_official(c, dir + "/bip340-final.csv");
    load_random(c, dir + "/bip340_random.txt");
    size_t base = c.expected.size();

    int dev;
    cudaDeviceProp prop;
    CK(cudaGetDevice(&dev));
    CK(cudaGetDeviceProperties(&prop, dev));
    int driver = 0, runtime = 0;
    CK(cudaDriverGetVersion(&driver));
    CK(cudaRuntimeGetVersion(&runtime));
    printf("device: %s, %d SMs, sm_%d%d, driver API %d, runtime %d\n", prop.name, prop.multiProcessorCount, prop.major,
           prop.minor, driver, runtime);

    cudaEvent_t e0, e1;
    CK(cudaEventCreate(&e0));
    CK(cudaEventCreate(&e1));

    struct variant {
        std::string name;
        const void* fn;
    };
    std::vector<variant> variants = {{"builtin-sass", (const void*)bip340_verify_batch}};
    std::vector<cudaLibrary_t> libs;
    int failures = 0;
    // the committed PTX, JIT-compiled by the driver like the Java backend does, then the variants
    for (int a = 2; a < argc; a++) {
        if (a == 3) continue;  // max batch
        cudaLibrary_t lib;
        cudaKernel_t kernel;
        float jit_ms = 0;
        std::string name = a == 2 ? "committed-ptx" : std::string(argv[a]).substr(std::string(argv[a]).rfind('/') + 1);
        if (!load_ptx_kernel(argv[a], &lib, &kernel, &jit_ms)) {
            printf("%s: not loaded, skipped\n", name.c_str());
            if (a == 2) failures++;
            continue;
        }
        printf("%s: PTX load + JIT: %.0f ms CPU time\n", name.c_str(), jit_ms);
        libs.push_back(lib);
        variants.push_back({name, (const void*)kernel});
    }
    print_attributes("builtin-sass", (const void*)bip340_verify_batch);
    for (size_t i = 1; i < variants.size(); i++) print_attributes(variants[i].name.c_str(), variants[i].fn);

    size_t cap = std::max(max_batch, base);
    unsigned char *d_rec, *d_out;
    CK(cudaMalloc(&d_rec, cap * 128));
    CK(cudaMalloc(&d_out, cap));
    std::vector<uint8_t> host_rec(cap * 128);
    for (size_t i = 0; i < cap; i++) memcpy(&host_rec[i * 128], &c.records[(i % base) * 128], 128);
    CK(cudaMemcpy(d_rec, host_rec.data(), cap * 128, cudaMemcpyHostToDevice));
    std::vector<uint8_t> out(cap);

    for (const variant& v : variants) {
        CK(cudaMemset(d_out, 0xEE, base));
        launch(v.fn, d_rec, d_out, (unsigned int)base, 128, 0);
        CK(cudaDeviceSynchronize());
        CK(cudaMemcpy(out.data(), d_out, base, cudaMemcpyDeviceToHost));
        size_t bad = count_mismatches(out, c, base);
        printf("correctness %-13s: %zu signatures (%d official + random), %zu mismatches\n", v.name.c_str(), base,
               15, bad);
        if (bad) failures++;
    }

    const int blocks[] = {64, 128, 256};
    printf("%-24s %6s %10s %12s %14s\n", "kernel", "block", "batch", "median_ms", "verifies/s");
    for (const variant& v : variants) {
        for (int block : blocks) {
            for (size_t n = 1024; n <= max_batch; n *= 4) {
                launch(v.fn, d_rec, d_out, (unsigned int)n, block, 0);  // warm-up
                CK(cudaDeviceSynchronize());
                std::vector<float> ms;
                for (int rep = 0; rep < 5; rep++) {
                    CK(cudaEventRecord(e0));
                    launch(v.fn, d_rec, d_out, (unsigned int)n, block, 0);
                    CK(cudaEventRecord(e1));
                    CK(cudaEventSynchronize(e1));
                    float t;
                    CK(cudaEventElapsedTime(&t, e0, e1));
                    ms.push_back(t);
                }
                std::sort(ms.begin(), ms.end());
                float med = ms[2];
                printf("%-24s %6d %10zu %12.3f %14.0f\n", v.name.c_str(), block, n, med, n / (med / 1000.0));
                fflush(stdout);
                if (n * 4 > max_batch) {  // largest batch: check every verdict
                    CK(cudaMemcpy(out.data(), d_out, n, cudaMemcpyDeviceToHost));
                    size_t bad = count_mismatches(out, c, n);
                    if (bad) {
                        printf("  %zu mismatches at batch %zu\n", bad, n);
                        failures++;
                    }
                }
            }
        }
    }
    for (cudaLibrary_t lib : libs) CK(cudaLibraryUnload(lib));
    printf(failures ? "DEVICE BENCH FAILED\n" : "device bench: all verdicts correct\n");
    return failures ? 1 : 0;
}
