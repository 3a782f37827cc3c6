#include "model_list_model.hpp"

#include <QLocale>

namespace atelier::ui {

namespace {

QString parameterCountText(qint64 n) {
    if (n <= 0) return {};
    if (n >= 1'000'000'000) return QString::number(double(n) / 1e9, 'f', 1) + QLatin1Char('B');
    if (n >= 1'000'000) return QString::number(double(n) / 1e6, 'f', 0) + QLatin1Char('M');
    return QString::number(n);
}

} // namespace

ModelListModel::ModelListModel(QObject* parent) : QAbstractListModel(parent) {}

int ModelListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : count();
}

QVariant ModelListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ModelEntry& e = m_rows.at(index.row());
    const ModelMetadata& m = e.metadata;
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return m.name;
    case PathRole:
        return e.path;
    case ArchitectureRole:
        return m.architecture;
    case QuantizationRole:
        return m.quantization;
    case FileSizeTextRole:
        return QLocale().formattedDataSize(m.fileSize, 1, QLocale::DataSizeSIFormat);
    case ContextLengthRole:
        return m.contextLength;
    case ParameterCountTextRole:
        return parameterCountText(m.parameterCount);
    case UsableRole:
        return e.ok;
    case ErrorRole:
        return m.error;
    case IdRole:
        return e.id;
    case FitRole:
    case FitTextRole: {
        if (!e.ok) return role == FitRole ? QStringLiteral("unknown") : QString();
        const FitEstimate fit =
            estimateFit(m, effectiveContextLength(m_contextSetting, m.contextLength), m_memory);
        if (role == FitTextRole) return fit.text;
        switch (fit.verdict) {
        case FitEstimate::Verdict::Fits:
            return QStringLiteral("fits");
        case FitEstimate::Verdict::TooBig:
            return QStringLiteral("tooBig");
        case FitEstimate::Verdict::Unknown:
            break;
        }
        return QStringLiteral("unknown");
    }
    case LoadedRole:
        return !m_loadedPath.isEmpty() && e.path == m_loadedPath;
    default:
        return {};
    }
}

QHash<int, QByteArray> ModelListModel::roleNames() const {
    return {{PathRole, "path"},
            {NameRole, "name"},
            {ArchitectureRole, "architecture"},
            {QuantizationRole, "quantization"},
            {FileSizeTextRole, "fileSizeText"},
            {ContextLengthRole, "contextLength"},
            {ParameterCountTextRole, "parameterCountText"},
            {UsableRole, "usable"},
            {ErrorRole, "error"},
            {IdRole, "modelId"},
            {FitRole, "fit"},
            {FitTextRole, "fitText"},
            {LoadedRole, "loaded"}};
}

void ModelListModel::setModels(const QList<ModelEntry>& models) {
    const int before = count();
    beginResetModel();
    m_rows = models;
    endResetModel();
    if (count() != before) emit countChanged();
}

void ModelListModel::setFitContext(qint64 contextLengthSetting, const DeviceMemory& memory) {
    if (m_contextSetting == contextLengthSetting && m_memory.bytes == memory.bytes &&
        m_memory.what == memory.what)
        return;
    m_contextSetting = contextLengthSetting;
    m_memory = memory;
    refreshColumns({FitRole, FitTextRole});
}

void ModelListModel::setLoadedPath(const QString& path) {
    if (m_loadedPath == path) return;
    m_loadedPath = path;
    refreshColumns({LoadedRole});
}

int ModelListModel::indexOfPath(const QString& path) const {
    for (int i = 0; i < count(); ++i)
        if (m_rows.at(i).path == path) return i;
    return -1;
}

void ModelListModel::refreshColumns(const QList<int>& roles) {
    if (count() > 0) emit dataChanged(index(0), index(count() - 1), roles);
}

} // namespace atelier::ui
