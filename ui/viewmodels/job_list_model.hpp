#pragma once
// The Jobs page: every job the JobQueue knows, newest first, with progress, state and elapsed
// time. Fed only on the UI thread by the queue's signals (which it queues to this thread);
// workers never touch it. While a job runs, a one-second tick refreshes its elapsed time.
#include "app/services/records.hpp"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace atelier {
class JobQueue;
}

namespace atelier::ui {

class JobListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by AppController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int activeCount READ activeCount NOTIFY activeCountChanged)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        KindRole,
        TitleRole,
        LaneRole,
        PriorityRole,
        StateRole,     // person-readable state name ("running", "done", ...)
        StateCodeRole, // JobState as int
        ProgressRole,  // 0..1, or negative when unknown
        MessageRole,
        ErrorRole,
        CreatedAtRole,
        StartedAtRole,
        FinishedAtRole,
        ElapsedSecondsRole,
        ElapsedTextRole,
        CanCancelRole,
    };
    Q_ENUM(Role)

    explicit JobListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return static_cast<int>(m_rows.size()); }
    int activeCount() const;

    // Shows `queue`'s jobs and follows its signals from now on.
    void attach(JobQueue& queue);
    // Merges in every job the queue knows now (after JobQueue::restore() finished).
    void reload();
    void upsert(const atelier::JobInfo& job);

    Q_INVOKABLE void cancel(qint64 id);

    // "0:07", "12:34", "1:02:03"; elapsed is empty for a job that never started.
    static QString formatElapsed(qint64 seconds);

signals:
    void countChanged();
    void activeCountChanged();

private:
    qint64 elapsedSeconds(const JobInfo& job) const;
    void refreshElapsed();
    void updateTicker();

    QList<JobInfo> m_rows;
    QPointer<JobQueue> m_queue;
    QTimer m_ticker;
};

} // namespace atelier::ui
