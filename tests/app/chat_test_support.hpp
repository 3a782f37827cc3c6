#pragma once
// The chat services wired as the app wires them, on a fresh database in a temporary folder, with
// the tiny random-weight qwen2 fixture (ChatML template) from tests/inference/llm.
#include "app/jobs/job_queue.hpp"
#include "app/services/chat_service.hpp"
#include "app/services/llm_host.hpp"
#include "storage/conversation_store.hpp"
#include "storage/message_store.hpp"
#include "storage/storage_thread.hpp"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

namespace chattest {

inline QString fixtureModel(const char* arch = "qwen2") {
    return QStringLiteral(ATELIER_SOURCE_DIR "/tests/inference/llm/fixtures/tiny-%1.gguf")
        .arg(QLatin1String(arch));
}

template <class T> T wait(QFuture<T> f) {
    while (!f.isFinished()) QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    return f.result();
}
inline void wait(QFuture<void> f) {
    while (!f.isFinished()) QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    f.waitForFinished();
}

struct Rig {
    explicit Rig(const QString& dbPath, int contextLength = 0)
        : storage(std::make_unique<atelier::storage::StorageThread>(dbPath)) {
        host = std::make_unique<atelier::LlmHost>();
        host->setDeviceSettings({.threads = 2, .contextLength = contextLength});
        jobs = std::make_unique<atelier::JobQueue>(storage.get());
        host->registerJobs(*jobs);
        chat = std::make_unique<atelier::ChatService>(*storage, *jobs, *host);
    }
    ~Rig() {
        chat.reset();
        jobs.reset();
        host.reset();
        storage.reset();
    }

    qint64 newConversation(const atelier::GenerationParams& params = {},
                           const char* arch = "qwen2") {
        const QString model = fixtureModel(arch);
        return wait(storage->run([=](atelier::storage::Database& db) {
            atelier::storage::ConversationStore store(db);
            const qint64 id = store.create(QStringLiteral("test")).id;
            store.setModelPath(id, model);
            store.setParams(id, params.toJson());
            return id;
        }));
    }

    QList<atelier::MessageInfo> messages(qint64 conversationId) {
        return wait(storage->run([=](atelier::storage::Database& db) {
            return atelier::storage::MessageStore(db).listFor(conversationId);
        }));
    }

    // Waits for the next replyFinished and returns the stored reply.
    atelier::MessageInfo nextReply(int timeoutMs = 60000) {
        QSignalSpy finished(chat.get(), &atelier::ChatService::replyFinished);
        if (!finished.wait(timeoutMs)) return {};
        return finished.takeFirst().at(1).value<atelier::MessageInfo>();
    }

    // The branch as stored now: loads it and waits until the storage thread has answered
    // everything asked before (earlier loads may still be on their way).
    QList<atelier::ChatTurn> thread(qint64 conversationId) {
        QSignalSpy loaded(chat.get(), &atelier::ChatService::threadLoaded);
        chat->loadThread(conversationId);
        wait(storage->run([](atelier::storage::Database&) {}));
        QCoreApplication::processEvents();
        if (loaded.isEmpty() && !loaded.wait(10000)) return {};
        return loaded.takeLast().at(1).value<QList<atelier::ChatTurn>>();
    }

    std::unique_ptr<atelier::storage::StorageThread> storage;
    std::unique_ptr<atelier::LlmHost> host;
    std::unique_ptr<atelier::JobQueue> jobs;
    std::unique_ptr<atelier::ChatService> chat;
};

} // namespace chattest
