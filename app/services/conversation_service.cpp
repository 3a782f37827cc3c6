#include "app/services/conversation_service.hpp"

#include "storage/conversation_store.hpp"
#include "storage/message_store.hpp"
#include "storage/storage_thread.hpp"
#include "storage/when_finished.hpp"

namespace atelier {

using storage::ConversationStore;
using storage::Database;
using storage::MessageStore;

ConversationService::ConversationService(storage::StorageThread& storage, QObject* parent)
    : QObject(parent), storage_(storage) {
    registerRecordMetaTypes();
}

// Runs work(db) on the storage thread, then done(result) here on the UI thread; any error
// becomes failed(message).
template <class Work, class Done> void ConversationService::ask(Work&& work, Done&& done) {
    storage::whenFinished(
        storage_.run(std::forward<Work>(work)), this, std::forward<Done>(done),
        [this](const std::exception& e) { emit failed(QString::fromUtf8(e.what())); });
}

void ConversationService::refresh(const QString& titleFilter) {
    filter_ = titleFilter;
    ask([titleFilter](Database& db) { return ConversationStore(db).list(titleFilter); },
        [this](const QList<ConversationInfo>& list) { emit conversationsLoaded(list); });
}

void ConversationService::create(const QString& title) {
    const QString name = title.trimmed().isEmpty() ? tr("New conversation") : title.trimmed();
    ask([name](Database& db) { return ConversationStore(db).create(name).id; },
        [this](qint64 id) {
            emit conversationCreated(id);
            refresh(filter_);
        });
}

void ConversationService::rename(qint64 id, const QString& title) {
    const QString name = title.trimmed();
    if (name.isEmpty()) {
        emit failed(tr("A conversation needs a title."));
        return;
    }
    ask([id, name](Database& db) { ConversationStore(db).rename(id, name); },
        [this, id, name] {
            emit conversationRenamed(id, name);
            refresh(filter_);
        });
}

void ConversationService::remove(qint64 id) {
    ask([id](Database& db) { ConversationStore(db).remove(id); },
        [this, id] {
            emit conversationRemoved(id);
            refresh(filter_);
        });
}

void ConversationService::loadMessages(qint64 id) {
    ask(
        [id](Database& db) {
            ConversationStore(db).get(id); // NotFound for an unknown conversation
            return MessageStore(db).listFor(id);
        },
        [this, id](const QList<MessageInfo>& messages) { emit messagesLoaded(id, messages); });
}

void ConversationService::loadParams(qint64 id) {
    ask([id](Database& db) { return GenerationParams::fromJson(ConversationStore(db).params(id)); },
        [this, id](const GenerationParams& params) { emit paramsLoaded(id, params); });
}

void ConversationService::saveParams(qint64 id, const GenerationParams& params) {
    const QJsonObject json = params.clamped().toJson();
    ask([id, json](Database& db) { ConversationStore(db).setParams(id, json); },
        [this, id] { emit paramsSaved(id); });
}

} // namespace atelier
