#include "markdown_block_model.hpp"

namespace atelier::ui {

MarkdownBlockModel::MarkdownBlockModel(QObject* parent) : QAbstractListModel(parent) {}

int MarkdownBlockModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : count();
}

QVariant MarkdownBlockModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MarkdownBlock& b = m_blocks.at(index.row());
    switch (role) {
    case KindRole:
        return b.kind == MarkdownBlock::Code ? QStringLiteral("code") : QStringLiteral("prose");
    case Qt::DisplayRole:
    case TextRole:
        return b.text;
    case LanguageRole:
        return b.language;
    case ClosedRole:
        return b.closed;
    default:
        return {};
    }
}

QHash<int, QByteArray> MarkdownBlockModel::roleNames() const {
    return {{KindRole, "kind"},
            {TextRole, "blockText"},
            {LanguageRole, "language"},
            {ClosedRole, "closed"}};
}

void MarkdownBlockModel::setText(const QString& text) {
    if (text == m_text) return;
    m_text = text;
    const QList<MarkdownBlock> next = splitMarkdown(text);
    const int before = count();

    // Keep the rows whose kind is unchanged; a row that changes kind ends the kept prefix.
    qsizetype kept = 0;
    while (kept < m_blocks.size() && kept < next.size() && m_blocks[kept].kind == next[kept].kind)
        ++kept;
    if (kept < m_blocks.size()) {
        beginRemoveRows({}, int(kept), count() - 1);
        m_blocks.resize(kept);
        endRemoveRows();
    }
    for (qsizetype i = 0; i < kept; ++i) {
        if (m_blocks[i] == next[i]) continue;
        m_blocks[i] = next[i];
        emit dataChanged(index(int(i)), index(int(i)));
    }
    if (next.size() > kept) {
        beginInsertRows({}, int(kept), int(next.size()) - 1);
        for (qsizetype i = kept; i < next.size(); ++i) m_blocks.append(next[i]);
        endInsertRows();
    }
    emit textChanged();
    if (count() != before) emit countChanged();
}

} // namespace atelier::ui
