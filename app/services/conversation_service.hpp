#pragma once
// Conversations for the UI. Lives on the UI thread; every method posts its work to the storage
// thread and answers through a signal, so nothing here blocks. create, rename and remove are
// followed by a refresh (conversationsLoaded) with the last title filter.
#include "app/services/records.hpp"

#include <QObject>

namespace atelier::storage {
class StorageThread;
}

namespace atelier {

class ConversationService : public QObject {
    Q_OBJECT
public:
    explicit ConversationService(storage::StorageThread& storage, QObject* parent = nullptr);

public slots:
    void refresh(const QString& titleFilter = {});
    void create(const QString& title);
    void rename(qint64 id, const QString& title);
    void remove(qint64 id);
    void loadMessages(qint64 id);
    void loadParams(qint64 id);
    void saveParams(qint64 id, const atelier::GenerationParams& params);

signals:
    void conversationsLoaded(const QList<atelier::ConversationInfo>& conversations);
    void conversationCreated(qint64 id);
    void conversationRenamed(qint64 id, const QString& title);
    void conversationRemoved(qint64 id);
    void messagesLoaded(qint64 conversationId, const QList<atelier::MessageInfo>& messages);
    void paramsLoaded(qint64 conversationId, const atelier::GenerationParams& params);
    void paramsSaved(qint64 conversationId);
    void failed(const QString& message);

private:
    template <class Work, class Done> void ask(Work&& work, Done&& done);

    storage::StorageThread& storage_;
    QString filter_; // the last title filter, reused after create/rename/remove
};

} // namespace atelier
