#pragma once
// The real services over a temporary database, for UI tests: no mocks, the same storage thread
// and services the app uses. Helpers wait for the services' answers with QSignalSpy.
#include "app/services/conversation_service.hpp"
#include "app/services/records.hpp"
#include "app/services/settings_service.hpp"
#include "storage/message_store.hpp"
#include "storage/storage_thread.hpp"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

namespace atelier::uitest {

// Waits until `spy` has seen `count` signals. Services may answer synchronously (a QFuture
// continuation runs at once when the work is already done), so a signal can arrive before a
// QSignalSpy::wait() would start; counting catches both.
inline bool waitFor(QSignalSpy& spy, int count = 1, int timeoutMs = 5000) {
    return QTest::qWaitFor([&] { return spy.count() >= count; }, timeoutMs);
}

class Backend {
public:
    // A fresh database in a temporary folder that lives as long as this object, or `path` when
    // given (the caller keeps its folder, to reopen the database after a restart).
    explicit Backend(const QString& path = {}) {
        registerRecordMetaTypes();
        path_ = path.isEmpty() ? dir_.filePath(QStringLiteral("atelier.sqlite3")) : path;
        storage = std::make_unique<storage::StorageThread>(path_);
        conversations = std::make_unique<ConversationService>(*storage);
        settings = std::make_unique<SettingsService>(*storage);
        // A failure is never expected here: make it visible (and fatal where warnings are).
        QObject::connect(conversations.get(), &ConversationService::failed, [](const QString& m) {
            qWarning("ConversationService: %s", qPrintable(m));
        });
        QObject::connect(settings.get(), &SettingsService::failed,
                         [](const QString& m) { qWarning("SettingsService: %s", qPrintable(m)); });
    }
    // Services first: they are the storage thread's clients.
    ~Backend() {
        settings.reset();
        conversations.reset();
        storage.reset();
    }

    const QString& path() const { return path_; }

    // Creates a conversation through the service and returns its id (0 on failure).
    qint64 createConversation(const QString& title) {
        QSignalSpy created(conversations.get(), &ConversationService::conversationCreated);
        QSignalSpy listed(conversations.get(), &ConversationService::conversationsLoaded);
        conversations->create(title);
        if (!waitFor(created)) return 0;
        waitFor(listed); // the service refreshes its list after a change
        return created.takeFirst().at(0).toLongLong();
    }

    // Stores a message directly (no service sends messages before an engine exists).
    qint64 addMessage(qint64 conversationId, const QString& role, const QString& content,
                      qint64 parentId = 0) {
        MessageInfo m;
        m.conversationId = conversationId;
        m.parentId = parentId;
        m.role = role;
        m.content = content;
        auto future = storage->run(
            [m](storage::Database& db) { return storage::MessageStore(db).append(m).id; });
        future.waitForFinished();
        return future.result();
    }

    bool loadSettings() {
        QSignalSpy loaded(settings.get(), &SettingsService::loaded);
        settings->load();
        return waitFor(loaded);
    }

    // Waits until everything submitted to the storage thread so far has run.
    void drain() {
        storage->run([](storage::Database&) {}).waitForFinished();
    }

    std::unique_ptr<storage::StorageThread> storage;
    std::unique_ptr<ConversationService> conversations;
    std::unique_ptr<SettingsService> settings;

private:
    QTemporaryDir dir_;
    QString path_;
};

} // namespace atelier::uitest
