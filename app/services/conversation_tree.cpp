#include "app/services/conversation_tree.hpp"

#include <QHash>

namespace atelier::tree {

namespace {

struct Index {
    QHash<qint64, qsizetype> at;           // id -> position in `all`
    QHash<qint64, QList<qint64>> children; // parent id (0 = roots) -> ids, creation order
};

Index indexOf(const QList<MessageInfo>& all) {
    Index ix;
    for (qsizetype i = 0; i < all.size(); ++i) {
        ix.at.insert(all[i].id, i);
        ix.children[all[i].parentId].append(all[i].id);
    }
    return ix;
}

qint64 newestLeaf(const Index& ix, qint64 id) {
    for (;;) {
        const auto kids = ix.children.value(id);
        if (kids.isEmpty()) return id;
        id = kids.last();
    }
}

} // namespace

QList<MessageInfo> pathTo(const QList<MessageInfo>& all, qint64 id) {
    const Index ix = indexOf(all);
    QList<MessageInfo> path;
    while (id != 0 && ix.at.contains(id)) {
        path.prepend(all[ix.at.value(id)]);
        id = path.front().parentId;
        if (path.size() > all.size()) break; // a cycle cannot happen, but never loop forever
    }
    return path;
}

qint64 newestLeafUnder(const QList<MessageInfo>& all, qint64 id) {
    return newestLeaf(indexOf(all), id);
}

QList<ChatTurn> visibleBranch(const QList<MessageInfo>& all, qint64 activeId) {
    const Index ix = indexOf(all);
    if (all.isEmpty()) return {};
    if (activeId == 0 || !ix.at.contains(activeId)) activeId = newestLeaf(ix, 0);
    const qint64 leaf = newestLeaf(ix, activeId);
    QList<ChatTurn> out;
    for (const MessageInfo& m : pathTo(all, leaf)) {
        ChatTurn t;
        t.message = m;
        t.siblingIds = ix.children.value(m.parentId);
        t.siblingCount = int(t.siblingIds.size());
        t.siblingIndex = int(t.siblingIds.indexOf(m.id));
        out.append(t);
    }
    // The newest reply tells how many of the messages before it were left out of its prompt.
    for (qsizetype i = out.size() - 1; i >= 0; --i) {
        const MessageInfo& m = out[i].message;
        if (m.role != QLatin1String("assistant") ||
            !m.stats.contains(QLatin1String("droppedMessages")))
            continue;
        const int dropped = m.stats.value(QLatin1String("droppedMessages")).toInt();
        for (qsizetype j = 0; j < i && j < dropped; ++j) out[j].outOfContext = true;
        break;
    }
    return out;
}

ContextUsage contextUsage(const QList<ChatTurn>& branch) {
    ContextUsage u;
    for (qsizetype i = branch.size() - 1; i >= 0; --i) {
        const QJsonObject& s = branch[i].message.stats;
        if (branch[i].message.role != QLatin1String("assistant") ||
            !s.contains(QLatin1String("contextLength")))
            continue;
        u.usedTokens = s.value(QLatin1String("promptTokens")).toInteger() +
                       s.value(QLatin1String("generatedTokens")).toInteger();
        u.contextLength = s.value(QLatin1String("contextLength")).toInteger();
        u.droppedMessages = s.value(QLatin1String("droppedMessages")).toInt();
        break;
    }
    return u;
}

} // namespace atelier::tree
