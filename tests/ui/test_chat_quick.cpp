// Qt Quick Test host for tests/ui/qml/tst_*.qml: the real chat back end (ChatRig: storage,
// services, the tiny fixture model, AppController) handed to QML as `testApp`, and `testProbe`,
// which reads what the database holds so a test can check that a reply was stored.
#include "test_chat_rig.hpp"
#include "ui/ui_setup.hpp"

#include <QQmlContext>
#include <QQmlEngine>
#include <QVariantMap>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>
#include <memory>

Q_IMPORT_QML_PLUGIN(AtelierPlugin)

using namespace atelier;

// What a QML test may ask the database (the storage thread answers; the call waits for it).
class StoreProbe : public QObject {
    Q_OBJECT
    Q_PROPERTY(qint64 conversationId READ conversationId CONSTANT)

public:
    StoreProbe(uitest::ChatRig& rig, qint64 conversationId)
        : rig_(rig), conversationId_(conversationId) {}
    qint64 conversationId() const { return conversationId_; }

    // The conversation's stored messages, oldest first: {id, role, content, state, parentId}.
    Q_INVOKABLE QVariantList messages(qint64 conversationId) {
        QVariantList out;
        for (const MessageInfo& m : rig_.stored(conversationId))
            out.append(QVariantMap{{"id", m.id},
                                   {"role", m.role},
                                   {"content", m.content},
                                   {"state", m.state},
                                   {"parentId", m.parentId},
                                   {"rating", m.rating}});
        return out;
    }

private:
    uitest::ChatRig& rig_;
    qint64 conversationId_;
};

class Setup : public QObject {
    Q_OBJECT

public slots:
    void applicationAvailable() { ui::configureQuickStyle(); }

    void qmlEngineAvailable(QQmlEngine* engine) {
        engine->addImportPath(ui::moduleImportPath());
        if (!rig_) {
            rig_ = std::make_unique<uitest::ChatRig>();
            // Long enough replies that streaming is seen before they end.
            const qint64 id = rig_->createConversation(QStringLiteral("Quick test chat"), 128);
            probe_ = std::make_unique<StoreProbe>(*rig_, id);
            rig_->app.start();
        }
        engine->rootContext()->setContextProperty(QStringLiteral("testApp"), &rig_->app);
        engine->rootContext()->setContextProperty(QStringLiteral("testProbe"), probe_.get());
    }

    void cleanupTestCase() {
        probe_.reset();
        rig_.reset();
    }

private:
    std::unique_ptr<uitest::ChatRig> rig_;
    std::unique_ptr<StoreProbe> probe_;
};

QUICK_TEST_MAIN_WITH_SETUP(chat_quick, Setup)
#include "test_chat_quick.moc"
