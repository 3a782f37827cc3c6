// ConversationService and SettingsService: requests go to the storage thread, answers come back
// as signals on the UI thread; settings survive a restart.
#include "app/services/conversation_service.hpp"
#include "app/services/settings_service.hpp"
#include "storage/message_store.hpp"
#include "storage/storage_thread.hpp"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace atelier;
using storage::StorageThread;

class ServicesTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

private slots:
    void generationParamsClampAndRoundTrip() {
        GenerationParams p;
        p.temperature = 5;
        p.topP = -1;
        p.topK = 5000;
        p.maxNewTokens = 0;
        p.repeatPenalty = 0.1;
        p.seed = -7;
        const GenerationParams c = p.clamped();
        QCOMPARE(c.temperature, 2.0);
        QCOMPARE(c.topP, 0.0);
        QCOMPARE(c.topK, 1000);
        QCOMPARE(c.maxNewTokens, 1);
        QCOMPARE(c.repeatPenalty, 0.5);
        QCOMPARE(c.seed, qint64(-1));
        GenerationParams q;
        q.temperature = 1.3;
        q.seed = 123456789012LL;
        QCOMPARE(GenerationParams::fromJson(q.toJson()), q);
        QCOMPARE(GenerationParams::fromJson({}), GenerationParams());
    }

    void conversationLifecycle() {
        StorageThread storage(dir_.filePath(QStringLiteral("c.sqlite3")));
        ConversationService service(storage);
        QSignalSpy created(&service, &ConversationService::conversationCreated);
        QSignalSpy loaded(&service, &ConversationService::conversationsLoaded);
        QSignalSpy renamed(&service, &ConversationService::conversationRenamed);
        QSignalSpy removed(&service, &ConversationService::conversationRemoved);
        QSignalSpy failed(&service, &ConversationService::failed);

        service.create(QStringLiteral("Trip planning"));
        QTRY_COMPARE(created.size(), 1);
        const qint64 id = created.first().first().toLongLong();
        QTRY_COMPARE(loaded.size(), 1); // create refreshes the list
        auto list = loaded.last().first().value<QList<ConversationInfo>>();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.first().title, QStringLiteral("Trip planning"));

        service.create(QString()); // gets a default title
        QTRY_COMPARE(created.size(), 2);
        service.refresh(QStringLiteral("trip"));
        QTRY_COMPARE(loaded.size(), 3);
        QCOMPARE(loaded.last().first().value<QList<ConversationInfo>>().size(), 1);

        service.rename(id, QStringLiteral("Trip to Lisbon"));
        QTRY_COMPARE(renamed.size(), 1);
        QCOMPARE(renamed.first().at(1).toString(), QStringLiteral("Trip to Lisbon"));

        // Messages written elsewhere (the chat engine) are loaded through the service.
        storage
            .run([id](storage::Database& db) {
                storage::MessageStore(db).append({.conversationId = id,
                                                  .role = QStringLiteral("user"),
                                                  .content = QStringLiteral("hi")});
            })
            .waitForFinished();
        QSignalSpy messages(&service, &ConversationService::messagesLoaded);
        service.loadMessages(id);
        QTRY_COMPARE(messages.size(), 1);
        QCOMPARE(messages.first().first().toLongLong(), id);
        QCOMPARE(messages.first().at(1).value<QList<MessageInfo>>().first().content,
                 QStringLiteral("hi"));

        GenerationParams p;
        p.temperature = 1.5;
        p.topK = 7;
        QSignalSpy saved(&service, &ConversationService::paramsSaved);
        QSignalSpy params(&service, &ConversationService::paramsLoaded);
        service.saveParams(id, p);
        QTRY_COMPARE(saved.size(), 1);
        service.loadParams(id);
        QTRY_COMPARE(params.size(), 1);
        QCOMPARE(params.first().at(1).value<GenerationParams>(), p);

        service.remove(id);
        QTRY_COMPARE(removed.size(), 1);
        QCOMPARE(failed.size(), 0);

        // Unknown ids and bad input come back as failed(message), never a crash.
        service.loadMessages(id);
        QTRY_COMPARE(failed.size(), 1);
        QVERIFY(failed.last().first().toString().contains(QString::number(id)));
        service.rename(id, QStringLiteral("x"));
        QTRY_COMPARE(failed.size(), 2);
        service.rename(1, QStringLiteral("   "));
        QCOMPARE(failed.size(), 3);
        service.create(QString(5000, QLatin1Char('t')));
        QTRY_COMPARE(failed.size(), 4);
        QVERIFY(failed.last().first().toString().contains(QStringLiteral("too long")));
    }

    void settingsAreCachedAndPersist() {
        const QString path = dir_.filePath(QStringLiteral("s.sqlite3"));
        {
            StorageThread storage(path);
            SettingsService settings(storage);
            QSignalSpy changed(&settings, &SettingsService::changed);
            // Usable before load: the cache answers at once.
            settings.setValue(QStringLiteral("window/width"), 1280);
            QCOMPARE(settings.value(QStringLiteral("window/width")).toInt(), 1280);
            QCOMPARE(changed.size(), 1);
            settings.setValue(QStringLiteral("window/width"), 1280); // unchanged: no signal
            QCOMPARE(changed.size(), 1);
            QSignalSpy loaded(&settings, &SettingsService::loaded);
            settings.load();
            QTRY_COMPARE(loaded.size(), 1);
            settings.setValue(QStringLiteral("chat/lastConversation"), 42);
            settings.setValue(QStringLiteral("window/height"), 800);
            QCOMPARE(
                settings.value(QStringLiteral("missing"), QStringLiteral("fallback")).toString(),
                QStringLiteral("fallback"));
        }
        StorageThread storage(path);
        SettingsService settings(storage);
        QSignalSpy loaded(&settings, &SettingsService::loaded);
        settings.load();
        QTRY_COMPARE(loaded.size(), 1);
        QCOMPARE(settings.value(QStringLiteral("window/width")).toInt(), 1280);
        QCOMPARE(settings.value(QStringLiteral("window/height")).toInt(), 800);
        QCOMPARE(settings.value(QStringLiteral("chat/lastConversation")).toLongLong(), 42);
    }
};

QTEST_GUILESS_MAIN(ServicesTest)
#include "test_services.moc"
