#pragma once
// The branch of a conversation that is on screen. Messages form a tree (each names its parent):
// a regenerated reply is a sibling of the earlier one, an edited user message a sibling of the
// original. The branch shown runs from a root to the conversation's active message and on down
// by the newest child; each step carries its siblings for the ‹ 2/3 › navigation.
#include "app/services/records.hpp"

#include <QList>

namespace atelier {

struct ChatTurn {
    MessageInfo message;
    int siblingIndex = 0; // 0-based position among its siblings (creation order)
    int siblingCount = 1;
    QList<qint64> siblingIds; // in creation order, this message included
    // True when the newest reply of the branch was generated without this message: older
    // turns were dropped to fit the context (the UI marks where).
    bool outOfContext = false;
};

// What the newest reply of the branch used of the context.
struct ContextUsage {
    qint64 usedTokens = 0;    // prompt + reply tokens
    qint64 contextLength = 0; // 0 = no reply yet
    int droppedMessages = 0;  // oldest messages of the branch left out
};

namespace tree {

// `all` in creation order (as MessageStore::listFor returns). activeId 0 or unknown: the newest
// root and the newest child at every step.
QList<ChatTurn> visibleBranch(const QList<MessageInfo>& all, qint64 activeId);
// The messages from a root down to `id` (inclusive); empty when id is unknown.
QList<MessageInfo> pathTo(const QList<MessageInfo>& all, qint64 id);
// The newest message reached from `id` by following the newest child (id itself for a leaf).
qint64 newestLeafUnder(const QList<MessageInfo>& all, qint64 id);
ContextUsage contextUsage(const QList<ChatTurn>& branch);

} // namespace tree
} // namespace atelier

Q_DECLARE_METATYPE(atelier::ChatTurn)
Q_DECLARE_METATYPE(atelier::ContextUsage)
