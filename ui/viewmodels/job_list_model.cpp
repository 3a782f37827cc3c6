#include "job_list_model.hpp"

#include "app/jobs/job_queue.hpp"

#include <QDateTime>
#include <algorithm>

namespace atelier::ui {

namespace {
bool isActive(JobState s) {
    return s == JobState::Queued || s == JobState::Running;
}
bool hasElapsed(const JobInfo& j) {
    return j.startedAt.isValid() && (j.finishedAt.isValid() || j.state == JobState::Running);
}
} // namespace

JobListModel::JobListModel(QObject* parent) : QAbstractListModel(parent) {
    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &JobListModel::refreshElapsed);
}

int JobListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : count();
}

QVariant JobListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const JobInfo& j = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        return j.title;
    case IdRole:
        return j.id;
    case KindRole:
        return j.kind;
    case LaneRole:
        return j.lane;
    case PriorityRole:
        return static_cast<int>(j.priority);
    case StateRole:
        return jobStateName(j.state);
    case StateCodeRole:
        return static_cast<int>(j.state);
    case ProgressRole:
        return j.progress;
    case MessageRole:
        return j.message;
    case ErrorRole:
        return j.error;
    case CreatedAtRole:
        return j.createdAt;
    case StartedAtRole:
        return j.startedAt;
    case FinishedAtRole:
        return j.finishedAt;
    case ElapsedSecondsRole:
        return elapsedSeconds(j);
    case ElapsedTextRole:
        return hasElapsed(j) ? formatElapsed(elapsedSeconds(j)) : QString();
    case CanCancelRole:
        return isActive(j.state) && !m_queue.isNull();
    default:
        return {};
    }
}

QHash<int, QByteArray> JobListModel::roleNames() const {
    return {{IdRole, "jobId"},
            {KindRole, "kind"},
            {TitleRole, "title"},
            {LaneRole, "lane"},
            {PriorityRole, "priority"},
            {StateRole, "state"},
            {StateCodeRole, "stateCode"},
            {ProgressRole, "progress"},
            {MessageRole, "message"},
            {ErrorRole, "error"},
            {CreatedAtRole, "createdAt"},
            {StartedAtRole, "startedAt"},
            {FinishedAtRole, "finishedAt"},
            {ElapsedSecondsRole, "elapsedSeconds"},
            {ElapsedTextRole, "elapsedText"},
            {CanCancelRole, "canCancel"}};
}

int JobListModel::activeCount() const {
    return static_cast<int>(std::count_if(m_rows.cbegin(), m_rows.cend(),
                                          [](const JobInfo& j) { return isActive(j.state); }));
}

void JobListModel::attach(JobQueue& queue) {
    m_queue = &queue;
    connect(&queue, &JobQueue::jobAdded, this, &JobListModel::upsert);
    connect(&queue, &JobQueue::jobUpdated, this, &JobListModel::upsert);
    connect(&queue, &JobQueue::jobFinished, this,
            [this](const JobInfo& job, const QJsonObject&) { upsert(job); });

    QList<JobInfo> jobs = queue.jobs();
    std::sort(jobs.begin(), jobs.end(),
              [](const JobInfo& a, const JobInfo& b) { return a.id > b.id; });
    const int activeBefore = activeCount();
    beginResetModel();
    m_rows = jobs;
    endResetModel();
    emit countChanged();
    if (activeCount() != activeBefore) emit activeCountChanged();
    updateTicker();
}

void JobListModel::reload() {
    if (!m_queue) return;
    for (const JobInfo& job : m_queue->jobs()) upsert(job);
}

void JobListModel::upsert(const JobInfo& job) {
    const int activeBefore = activeCount();
    const auto it = std::find_if(m_rows.begin(), m_rows.end(),
                                 [&](const JobInfo& j) { return j.id == job.id; });
    if (it == m_rows.end()) {
        // Newest first: ids grow, so a new job goes above every older one.
        int row = 0;
        while (row < count() && m_rows.at(row).id > job.id) ++row;
        beginInsertRows({}, row, row);
        m_rows.insert(row, job);
        endInsertRows();
        emit countChanged();
    } else {
        *it = job;
        const QModelIndex i = index(static_cast<int>(it - m_rows.begin()));
        emit dataChanged(i, i);
    }
    if (activeCount() != activeBefore) emit activeCountChanged();
    updateTicker();
}

void JobListModel::cancel(qint64 id) {
    if (m_queue) m_queue->cancel(id);
}

QString JobListModel::formatElapsed(qint64 seconds) {
    seconds = std::max<qint64>(0, seconds);
    const qint64 h = seconds / 3600, m = (seconds / 60) % 60, s = seconds % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3")
            .arg(h)
            .arg(m, 2, 10, QLatin1Char('0'))
            .arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

qint64 JobListModel::elapsedSeconds(const JobInfo& job) const {
    if (!job.startedAt.isValid()) return 0;
    QDateTime end = job.finishedAt;
    // A job interrupted by a quit has no end time; only a running one counts up to now.
    if (!end.isValid() && job.state == JobState::Running) end = QDateTime::currentDateTimeUtc();
    return end.isValid() ? std::max<qint64>(0, job.startedAt.secsTo(end)) : 0;
}

void JobListModel::refreshElapsed() {
    for (int i = 0; i < count(); ++i) {
        if (m_rows.at(i).state != JobState::Running) continue;
        emit dataChanged(index(i), index(i), {ElapsedSecondsRole, ElapsedTextRole});
    }
}

void JobListModel::updateTicker() {
    const bool anyRunning = std::any_of(m_rows.cbegin(), m_rows.cend(), [](const JobInfo& j) {
        return j.state == JobState::Running;
    });
    if (anyRunning && !m_ticker.isActive()) m_ticker.start();
    if (!anyRunning) m_ticker.stop();
}

} // namespace atelier::ui
