#pragma once
// Delivers a QFuture's result, or its error, on a QObject's thread (the UI thread for services).
//
// Why not QFuture::then(context, ...): in Qt 6.4 a continuation attached with a context object
// can run twice when the future finishes on another thread while it is being attached (seen
// here as a crash in a moved-from QPromise). QFutureWatcher's signals have no such race.
// If `context` is destroyed first, neither callback runs.
#include <QFutureWatcher>
#include <QObject>
#include <exception>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace atelier::storage {

// done(result) — or done() for QFuture<void> — on success; fail(const std::exception&) on error.
template <class R, class Done, class Fail>
void whenFinished(const QFuture<R>& future, QObject* context, Done&& done, Fail&& fail) {
    auto* watcher = new QFutureWatcher<R>(context);
    QObject::connect(
        watcher, &QFutureWatcherBase::finished, context,
        [watcher, done = std::forward<Done>(done), fail = std::forward<Fail>(fail)]() mutable {
            watcher->deleteLater();
            QFuture<R> f = watcher->future();
            // Only reading the result may throw; done() runs outside the try.
            auto settle = [&](auto&& read) -> bool {
                try {
                    read();
                    return true;
                } catch (const std::exception& e) {
                    fail(e);
                } catch (...) {
                    fail(std::runtime_error("unknown error"));
                }
                return false;
            };
            if constexpr (std::is_void_v<R>) {
                if (settle([&] { f.waitForFinished(); })) done(); // waitForFinished rethrows
            } else {
                std::optional<R> value;
                if (settle([&] { value.emplace(f.result()); })) done(std::move(*value));
            }
        });
    watcher->setFuture(future);
}

// The same, for callers that have nothing to do on failure.
template <class R, class Done>
void whenFinished(const QFuture<R>& future, QObject* context, Done&& done) {
    whenFinished(future, context, std::forward<Done>(done), [](const std::exception&) {});
}

} // namespace atelier::storage
