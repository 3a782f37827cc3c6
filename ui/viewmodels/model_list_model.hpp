#pragma once
// The models of the library for the Models page: what each GGUF header says, or why a file
// cannot be used, whether it fits the selected device (an estimate) and whether it is the one
// loaded. Fed on the UI thread from ModelLibrary::modelsChanged (through the composition root).
#include "app/services/fit_estimate.hpp"
#include "app/services/model_library.hpp"

#include <QAbstractListModel>
#include <QList>
#include <QtQml/qqmlregistration.h>

namespace atelier::ui {

class ModelListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by AppController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role {
        PathRole = Qt::UserRole + 1,
        NameRole,
        ArchitectureRole,
        QuantizationRole,
        FileSizeTextRole, // "80.1 MB"
        ContextLengthRole,
        ParameterCountTextRole, // "135M", empty when unknown
        UsableRole,
        ErrorRole,
        IdRole,
        FitRole,     // "fits", "tooBig" or "unknown"
        FitTextRole, // "Fits: needs about 97 MB of 6.1 GB free memory (estimate: ...)"
        LoadedRole,  // the model the LLM host holds now
    };
    Q_ENUM(Role)

    explicit ModelListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return static_cast<int>(m_rows.size()); }
    void setModels(const QList<atelier::ModelEntry>& models);
    // What the fit estimate compares against: the context-length setting (0 = each model's, at
    // most 4096) and the memory of the selected device.
    void setFitContext(qint64 contextLengthSetting, const atelier::DeviceMemory& memory);
    void setLoadedPath(const QString& path);
    // The row of a model file, -1 when it is not listed.
    int indexOfPath(const QString& path) const;

signals:
    void countChanged();

private:
    void refreshColumns(const QList<int>& roles);

    QList<ModelEntry> m_rows;
    qint64 m_contextSetting = 0;
    DeviceMemory m_memory;
    QString m_loadedPath;
};

} // namespace atelier::ui
