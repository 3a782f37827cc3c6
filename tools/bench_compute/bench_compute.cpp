// Micro-benchmark of the compute core's matmul (not a test): weight bandwidth of matrix-vector
// products (decode) and throughput of matrix-matrix products (prefill) for every weight type.
//   bench_compute [--threads N] [--simd scalar|avx2|avx512] [--k 2048] [--n 5632] [--m 128]
//                 [--types Q4_0,Q4_K]
#include "inference/compute/arena.hpp"
#include "inference/compute/cpu/cpu_backend.hpp"
#include "inference/compute/quant/blocks.hpp"
#include "inference/compute/quant/float16.hpp"
#include "inference/compute/quant/reference.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace atelier::compute;
using T = ElementType;

namespace {

std::vector<std::uint8_t> randomWeights(T type, std::int64_t k, std::int64_t n) {
    std::mt19937 rng(1);
    const std::size_t bytes = Tensor::bytesFor(type, {k, n, 1, 1});
    std::vector<std::uint8_t> out(bytes);
    if (quant::canQuantize(type)) {
        std::normal_distribution<float> normal;
        std::vector<float> row(static_cast<std::size_t>(k));
        for (std::int64_t r = 0; r < n; ++r) {
            for (float& v : row) v = normal(rng);
            quant::quantizeRow(type, row.data(),
                               out.data() + std::size_t(r) * (bytes / std::size_t(n)), k);
        }
        return out;
    }
    for (auto& b : out) b = std::uint8_t(rng()); // k-quants: random blocks (speed only)
    return out;
}

// With one thread, CPU time of this thread (robust on a busy machine); else wall time.
double now(bool threadTime) {
    if (threadTime) {
        timespec ts;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// The fastest of repeated runs (at least minSeconds in all): on a shared machine the minimum is
// the run least disturbed by other work.
double secondsPer(const std::function<void()>& fn, bool threadTime, double minSeconds = 0.3) {
    fn(); // warm up (scratch growth, caches)
    double best = 1e30, total = 0;
    int reps = 0;
    while (total < minSeconds || reps < 3) {
        const double start = now(threadTime);
        fn();
        const double elapsed = now(threadTime) - start;
        best = std::min(best, elapsed);
        total += elapsed;
        ++reps;
    }
    return best;
}

} // namespace

int main(int argc, char** argv) {
    cpu::CpuBackendOptions options;
    std::int64_t K = 2048, N = 5632, M = 128;
    std::string onlyTypes; // ",Q4_0,Q4_K," or empty for all
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--threads")
            options.threads = std::stoi(value);
        else if (flag == "--simd")
            options.simd = value == "scalar" ? cpu::SimdLevel::Scalar
                           : value == "avx2" ? cpu::SimdLevel::Avx2
                                             : cpu::SimdLevel::Avx512Vnni;
        else if (flag == "--k")
            K = std::stoll(value);
        else if (flag == "--n")
            N = std::stoll(value);
        else if (flag == "--m")
            M = std::stoll(value);
        else if (flag == "--types")
            onlyTypes = "," + value + ",";
        else {
            std::fprintf(stderr, "unknown option %s\n", flag.c_str());
            return 2;
        }
    }
    cpu::CpuBackend backend(options);
    std::printf("%s, weight %lld x %lld, prefill batch %lld (%s time)\n", backend.name().c_str(),
                (long long)N, (long long)K, (long long)M,
                backend.threads() == 1 ? "thread CPU" : "wall");
    std::printf("%-6s %12s %12s %14s\n", "type", "matvec ms", "GB/s", "matmul GFLOP/s");
    Arena arena(backend, std::size_t(K * M + N * M) * 4 + (1 << 20));
    std::vector<float> x(std::size_t(K * M), 0.5f);
    const Tensor xt = arena.f32({K, M, 1, 1});
    backend.upload(xt, x.data());
    const Tensor x1 = xt.slice(1, 0, 1);
    const Tensor d1 = arena.f32({N, 1, 1, 1}), dM = arena.f32({N, M, 1, 1});
    for (T type : {T::F32, T::F16, T::BF16, T::Q8_0, T::Q4_0, T::Q4_1, T::Q5_0, T::Q5_1, T::Q2_K,
                   T::Q3_K, T::Q4_K, T::Q5_K, T::Q6_K}) {
        const std::string name(atelier::gguf::tensorTypeName(type));
        if (!onlyTypes.empty() && onlyTypes.find("," + name + ",") == std::string::npos) continue;
        const auto bytes = randomWeights(type, K, N);
        auto buffer = backend.importWeights(bytes);
        const Tensor w = Tensor::contiguous(type, {K, N, 1, 1}, buffer.get(), 0);
        const bool threadTime = backend.threads() == 1;
        const double tv = secondsPer([&] { backend.matmul(w, x1, d1); }, threadTime);
        const double tm = secondsPer([&] { backend.matmul(w, xt, dM); }, threadTime);
        std::printf("%-6s %12.3f %12.2f %14.1f\n", name.c_str(), tv * 1e3,
                    double(bytes.size()) / tv / 1e9, 2.0 * double(K * N * M) / tm / 1e9);
    }
    return 0;
}
