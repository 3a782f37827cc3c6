#pragma once
// A conversation in and out of files: JSON (the whole tree: every branch, parameters, statistics
// and ratings; import reads it back as a new conversation), Markdown (the branch on screen, for
// reading), and preference data for fine-tuning: JSONL lines {"prompt": [...messages],
// "chosen": [{"role": "assistant", ...}], "rejected": [...]} (the conversational format DPO
// tools such as TRL take) from replies of the same message rated thumbs up vs thumbs down.
// Run on the storage thread (they take the Database); throw StorageError or std::runtime_error.
#include <QByteArray>
#include <QtGlobal>

namespace atelier::storage {
class Database;
}

namespace atelier::io {

inline constexpr const char* kConversationFormat = "atelier-conversation";

QByteArray exportJson(storage::Database& db, qint64 conversationId);
QByteArray exportMarkdown(storage::Database& db, qint64 conversationId);
// A new conversation from exportJson's format; returns its id. Bad input is refused whole.
qint64 importJson(storage::Database& db, const QByteArray& json);

struct PreferenceData {
    QByteArray jsonl;
    int pairs = 0;
};
PreferenceData exportPreferences(storage::Database& db);

} // namespace atelier::io
