// Child process of the crash test: appends messages in a loop, printing each id after its
// transaction committed, until it is killed. Usage: storage_crash_writer DB_PATH CONVERSATION_ID
#include "storage/message_store.hpp"

#include <cstdio>
#include <cstdlib>

using namespace atelier::storage;

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: storage_crash_writer DB_PATH CONVERSATION_ID\n");
        return 2;
    }
    try {
        Database db = Database::open(QString::fromLocal8Bit(argv[1]));
        MessageStore store(db);
        const qint64 conversation = std::atoll(argv[2]);
        // Messages of varied size so that the kill lands at different points of a write.
        for (int i = 0;; ++i) {
            const QString text =
                QStringLiteral("crash line %1 ").arg(i).repeated(1 + (i * 37) % 400);
            const qint64 id = db.transaction([&] {
                const auto m = store.append({.conversationId = conversation,
                                             .role = QStringLiteral("user"),
                                             .content = text});
                store.updateStats(m.id, {{QStringLiteral("n"), i}});
                return m.id;
            });
            std::printf("%lld\n", static_cast<long long>(id));
            std::fflush(stdout);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "storage_crash_writer: %s\n", e.what());
        return 1;
    }
}
