#include "storage/job_store.hpp"

#include "storage/query_rows.hpp"
#include "storage/sql_util.hpp"

namespace atelier::storage {

namespace {

const QString kColumns =
    QStringLiteral("id, kind, title, lane, priority, state, params, progress, message, error, "
                   "result, created_at, started_at, finished_at");

JobRecord readJob(const QSqlQuery& q) {
    JobRecord j;
    j.id = q.value(0).toLongLong();
    j.kind = q.value(1).toString();
    j.title = q.value(2).toString();
    j.lane = q.value(3).toString();
    j.priority = q.value(4).toInt();
    j.state = q.value(5).toString();
    j.params = sql::toJson(q.value(6));
    j.progress = q.value(7).toDouble();
    j.message = q.value(8).toString();
    j.error = q.value(9).toString();
    j.result = sql::toJson(q.value(10));
    j.createdAt = sql::toTime(q.value(11));
    j.startedAt = sql::toTime(q.value(12));
    j.finishedAt = sql::toTime(q.value(13));
    return j;
}

[[noreturn]] void notFound(qint64 id) {
    throw StorageError(StorageErrorKind::NotFound,
                       QStringLiteral("there is no job with id %1").arg(id));
}

void checkJob(const JobRecord& job) {
    if (job.kind.isEmpty())
        throw StorageError(StorageErrorKind::Invalid, QStringLiteral("a job needs a kind"));
    Database::checkTitle(u"the job title", job.title);
    Database::checkText(u"the job message", job.message, 64 * 1024);
    Database::checkText(u"the job error", job.error, 64 * 1024);
}

} // namespace

qint64 JobStore::insert(const JobRecord& job) {
    checkJob(job);
    return db_.transaction([&] {
        QSqlQuery q = db_.prepare(QStringLiteral(
            "INSERT INTO jobs (kind, title, lane, priority, state, params, progress, message, "
            "error, result, created_at, started_at, finished_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        q.addBindValue(job.kind);
        q.addBindValue(sql::text(job.title));
        q.addBindValue(sql::text(job.lane));
        q.addBindValue(job.priority);
        q.addBindValue(job.state);
        q.addBindValue(sql::fromJson(job.params));
        q.addBindValue(job.progress);
        q.addBindValue(sql::text(job.message));
        q.addBindValue(sql::text(job.error));
        q.addBindValue(sql::fromJson(job.result));
        q.addBindValue(sql::fromTime(job.createdAt.isValid() ? job.createdAt : sql::now()));
        q.addBindValue(sql::fromTime(job.startedAt));
        q.addBindValue(sql::fromTime(job.finishedAt));
        db_.exec(q);
        return q.lastInsertId().toLongLong();
    });
}

void JobStore::update(const JobRecord& job) {
    checkJob(job);
    db_.transaction([&] {
        QSqlQuery q = db_.prepare(QStringLiteral(
            "UPDATE jobs SET state = ?, progress = ?, message = ?, error = ?, result = ?, "
            "started_at = ?, finished_at = ? WHERE id = ?"));
        q.addBindValue(job.state);
        q.addBindValue(job.progress);
        q.addBindValue(sql::text(job.message));
        q.addBindValue(sql::text(job.error));
        q.addBindValue(sql::fromJson(job.result));
        q.addBindValue(sql::fromTime(job.startedAt));
        q.addBindValue(sql::fromTime(job.finishedAt));
        q.addBindValue(job.id);
        db_.exec(q);
        if (q.numRowsAffected() == 0) notFound(job.id);
    });
}

JobRecord JobStore::get(qint64 id) {
    auto j = sql::selectOne(db_, QStringLiteral("SELECT %1 FROM jobs WHERE id = ?").arg(kColumns),
                            {id}, readJob);
    if (!j) notFound(id);
    return std::move(*j);
}

QList<JobRecord> JobStore::list(const QStringList& states) {
    QString sql = QStringLiteral("SELECT %1 FROM jobs").arg(kColumns);
    if (!states.isEmpty()) {
        QStringList marks(states.size(), QStringLiteral("?"));
        sql += QStringLiteral(" WHERE state IN (%1)").arg(marks.join(QLatin1Char(',')));
    }
    sql += QStringLiteral(" ORDER BY id");
    QVariantList values;
    for (const QString& s : states) values.append(s);
    return sql::selectAll(db_, sql, values, readJob);
}

QList<JobRecord> JobStore::markRunningInterrupted() {
    return db_.transaction([&] {
        QList<JobRecord> running = list({QStringLiteral("running")});
        const QDateTime now = sql::now();
        QSqlQuery q = db_.prepare(QStringLiteral(
            "UPDATE jobs SET state = 'interrupted', finished_at = ? WHERE state = 'running'"));
        q.addBindValue(sql::fromTime(now));
        db_.exec(q);
        for (JobRecord& j : running) {
            j.state = QStringLiteral("interrupted");
            j.finishedAt = now;
        }
        return running;
    });
}

int JobStore::prune(const QDateTime& before) {
    return db_.transaction([&] {
        QSqlQuery q = db_.prepare(QStringLiteral(
            "DELETE FROM jobs WHERE state IN ('done', 'failed', 'cancelled', 'interrupted') "
            "AND coalesce(finished_at, created_at) < ?"));
        q.addBindValue(sql::fromTime(before));
        db_.exec(q);
        return q.numRowsAffected();
    });
}

} // namespace atelier::storage
