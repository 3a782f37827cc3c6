#pragma once
// A fixed set of worker threads that run one parallel loop at a time. The calling thread takes
// part, so a pool of N threads starts N - 1 workers. Workers spin briefly between loops (a
// decode step runs hundreds of small loops) and then sleep on an atomic wait. A loop waits only
// for the workers that joined it: on a busy machine a worker that is not scheduled in time
// leaves its share to the others instead of holding every loop up.
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace atelier::compute::cpu {

// Physical cores of this machine (hyper-threads counted once); at least 1.
int physicalCoreCount();

class ThreadPool {
public:
    explicit ThreadPool(int threads); // 0 = physicalCoreCount()
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return int(workers_.size()) + 1; }

    // Calls fn(task, thread) for every task in [0, tasks), spread over the threads (thread is
    // 0 .. size()-1, for per-thread scratch). Returns when all tasks are done.
    template <class Fn> void parallelFor(std::int64_t tasks, Fn&& fn) {
        if (tasks <= 0) return;
        if (tasks == 1 || workers_.empty()) {
            for (std::int64_t t = 0; t < tasks; ++t) fn(t, 0);
            return;
        }
        run(
            tasks,
            [](void* ctx, std::int64_t task, int thread) {
                (*static_cast<std::remove_reference_t<Fn>*>(ctx))(task, thread);
            },
            &fn);
    }

private:
    using TaskFn = void (*)(void* ctx, std::int64_t task, int thread);
    void run(std::int64_t tasks, TaskFn fn, void* ctx);
    void workerLoop(int thread);
    void drain(int thread);

    std::vector<std::thread> workers_;
    // The current loop; written while the loop is closed, read by workers that joined it.
    TaskFn fn_ = nullptr;
    void* ctx_ = nullptr;
    std::int64_t tasks_ = 0;
    std::atomic<std::int64_t> next_{0};
    // kClosed | the number of workers inside the current loop. A worker joins (count + 1) only
    // while the loop is open; the caller closes it once every task is taken and then waits for
    // the count to drain to 0.
    static constexpr std::uint32_t kClosed = 1u << 31;
    std::atomic<std::uint32_t> inside_{kClosed};
    std::atomic<std::uint32_t> generation_{0}; // bumped per loop: what workers wait on
    std::atomic<int> sleepers_{0};             // workers in generation_.wait (to skip notify)
    std::atomic<bool> stop_{false};
};

} // namespace atelier::compute::cpu
