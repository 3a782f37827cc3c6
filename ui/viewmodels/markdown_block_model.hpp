#pragma once
// The blocks of one message for a Repeater: set `text` (again and again while a reply streams)
// and the rows follow. Blocks that stay the same kind are updated in place, new ones appended,
// so the delegates already on screen are kept and a growing reply does not flicker.
#include "markdown_blocks.hpp"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace atelier::ui {

class MarkdownBlockModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString text READ text WRITE setText NOTIFY textChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role { KindRole = Qt::UserRole + 1, TextRole, LanguageRole, ClosedRole };
    Q_ENUM(Role)

    explicit MarkdownBlockModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString text() const { return m_text; }
    void setText(const QString& text);
    int count() const { return static_cast<int>(m_blocks.size()); }
    const QList<MarkdownBlock>& blocks() const { return m_blocks; }

signals:
    void textChanged();
    void countChanged();

private:
    QString m_text;
    QList<MarkdownBlock> m_blocks;
};

} // namespace atelier::ui
