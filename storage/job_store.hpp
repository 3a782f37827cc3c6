#pragma once
// The persisted side of the job queue: rows are written from the storage thread.
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <QList>

namespace atelier::storage {

class JobStore {
public:
    explicit JobStore(Database& db) : db_(db) {}

    // Inserts the job and returns its row id (createdAt defaults to now).
    qint64 insert(const JobRecord& job);
    // Writes state, progress, message, error, result and times of an existing row.
    void update(const JobRecord& job);
    JobRecord get(qint64 id);
    // Oldest first; optionally only some states.
    QList<JobRecord> list(const QStringList& states = {});
    // After a restart: rows left 'running' become 'interrupted' (finishedAt = now); returns them.
    QList<JobRecord> markRunningInterrupted();
    // Deletes finished rows (done, failed, cancelled, interrupted) older than `before`.
    int prune(const QDateTime& before);

private:
    Database& db_;
};

} // namespace atelier::storage
