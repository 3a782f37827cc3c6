#pragma once
// The models of the library for the Models page: what each GGUF header says, or why a file
// cannot be used. Fed on the UI thread from ModelLibrary::modelsChanged (through AppController).
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
    };
    Q_ENUM(Role)

    explicit ModelListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return static_cast<int>(m_rows.size()); }
    void setModels(const QList<atelier::ModelEntry>& models);

signals:
    void countChanged();

private:
    QList<ModelEntry> m_rows;
};

} // namespace atelier::ui
