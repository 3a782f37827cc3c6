#include "inference/compute/cpu/thread_pool.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <utility>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define ATELIER_CPU_RELAX() _mm_pause()
#else
#define ATELIER_CPU_RELAX() std::this_thread::yield()
#endif

namespace atelier::compute::cpu {
namespace {
// Pause rounds before sleeping on the futex: long enough to catch the next loop of a decode step
// (microseconds apart), short enough not to starve other threads on a busy or oversubscribed
// machine.
constexpr int kSpinRounds = 2000;
} // namespace

int physicalCoreCount() {
    std::set<std::pair<std::string, std::string>> cores;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/sys/devices/system/cpu", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("cpu", 0) != 0 || name.size() < 4 || !std::isdigit(name[3])) continue;
        std::ifstream core(entry.path() / "topology/core_id");
        std::ifstream package(entry.path() / "topology/physical_package_id");
        std::string coreId, packageId;
        if (core >> coreId && package >> packageId) cores.emplace(packageId, coreId);
    }
    if (!cores.empty()) return int(cores.size());
    const unsigned logical = std::thread::hardware_concurrency();
    return logical > 0 ? int(logical) : 1;
}

ThreadPool::ThreadPool(int threads) {
    if (threads <= 0) threads = physicalCoreCount();
    for (int t = 1; t < threads; ++t) workers_.emplace_back([this, t] { workerLoop(t); });
}

ThreadPool::~ThreadPool() {
    stop_.store(true);
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
    for (auto& w : workers_) w.join();
}

void ThreadPool::drain(int thread) {
    for (;;) {
        const std::int64_t task = next_.fetch_add(1, std::memory_order_relaxed);
        if (task >= tasks_) return;
        fn_(ctx_, task, thread);
    }
}

void ThreadPool::run(std::int64_t tasks, TaskFn fn, void* ctx) {
    fn_ = fn;
    ctx_ = ctx;
    tasks_ = tasks;
    next_.store(0, std::memory_order_relaxed);
    busy_.store(int(workers_.size()), std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
    drain(0);
    for (int spin = 0; busy_.load(std::memory_order_acquire) != 0; ++spin) {
        if (spin < kSpinRounds) {
            ATELIER_CPU_RELAX();
        } else {
            const int busy = busy_.load(std::memory_order_acquire);
            if (busy != 0) busy_.wait(busy, std::memory_order_acquire);
        }
    }
}

void ThreadPool::workerLoop(int thread) {
    std::uint64_t seen = 0;
    for (;;) {
        std::uint64_t now = generation_.load(std::memory_order_acquire);
        for (int spin = 0; now == seen; ++spin) {
            if (spin < kSpinRounds) {
                ATELIER_CPU_RELAX();
            } else {
                generation_.wait(seen, std::memory_order_acquire);
            }
            now = generation_.load(std::memory_order_acquire);
        }
        seen = now;
        if (stop_.load()) return;
        drain(thread);
        if (busy_.fetch_sub(1, std::memory_order_acq_rel) == 1) busy_.notify_one();
    }
}

} // namespace atelier::compute::cpu
