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
    generation_.fetch_add(1);
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
    // The loop is closed here (no worker inside), so its fields can be written.
    fn_ = fn;
    ctx_ = ctx;
    tasks_ = tasks;
    next_.store(0, std::memory_order_relaxed);
    inside_.store(0, std::memory_order_release); // open
    generation_.fetch_add(1);                    // seq_cst: pairs with sleepers_ in workerLoop
    if (sleepers_.load() > 0) generation_.notify_all();
    drain(0);
    // Every task is taken; close the loop and wait for the workers still running one.
    std::uint32_t state = inside_.fetch_or(kClosed, std::memory_order_acq_rel) | kClosed;
    for (int spin = 0; state != kClosed; ++spin) {
        if (spin < kSpinRounds)
            ATELIER_CPU_RELAX();
        else
            inside_.wait(state, std::memory_order_acquire);
        state = inside_.load(std::memory_order_acquire);
    }
}

void ThreadPool::workerLoop(int thread) {
    std::uint32_t seen = 0;
    for (;;) {
        std::uint32_t now = generation_.load(std::memory_order_acquire);
        for (int spin = 0; now == seen; ++spin) {
            if (spin < kSpinRounds) {
                ATELIER_CPU_RELAX();
            } else {
                sleepers_.fetch_add(1); // seq_cst: run() sees it, or this wait sees the bump
                generation_.wait(seen);
                sleepers_.fetch_sub(1);
            }
            now = generation_.load(std::memory_order_acquire);
        }
        seen = now;
        if (stop_.load()) return;
        // Join the loop if it is still open (it may be a later one than `now`: then this worker
        // helps with that one, which is as good).
        std::uint32_t state = inside_.load(std::memory_order_acquire);
        bool joined = false;
        while (!(state & kClosed) && !joined)
            joined = inside_.compare_exchange_weak(state, state + 1, std::memory_order_acq_rel,
                                                   std::memory_order_acquire);
        if (!joined) continue;
        drain(thread);
        if (inside_.fetch_sub(1, std::memory_order_acq_rel) == (kClosed | 1u))
            inside_.notify_one(); // the caller is waiting for this last one
    }
}

} // namespace atelier::compute::cpu
