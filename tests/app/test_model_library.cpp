// ModelLibrary: adding a file (hard link or copy into the models folder), header metadata cached
// in the database, a broken file listed with its reason, a vanished file dropped, the default
// model choice, and the memory fit estimate.
#include "app/jobs/job_queue.hpp"
#include "app/services/model_library.hpp"
#include "chat_test_support.hpp"

#include <QFile>

using namespace atelier;

class TestModelLibrary : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    static QList<ModelEntry> waitForList(ModelLibrary& library) {
        QSignalSpy changed(&library, &ModelLibrary::modelsChanged);
        if (!changed.wait(20000)) return {};
        return changed.last()[0].value<QList<ModelEntry>>();
    }

private slots:
    void addScanAndDescribe() {
        storage::StorageThread storage(dir_.filePath(QStringLiteral("lib.sqlite3")));
        JobQueue jobs(&storage);
        ModelLibrary library(storage, jobs);
        const QString folder = dir_.filePath(QStringLiteral("models"));
        library.setFolder(folder);
        QCOMPARE(library.folder(), folder);
        QVERIFY(ModelLibrary::defaultFolder().endsWith(QLatin1String("/Atelier/models")));

        // A copy elsewhere, added: it lands in the folder with its metadata.
        const QString source = dir_.filePath(QStringLiteral("tiny-qwen2.gguf"));
        QVERIFY(QFile::copy(chattest::fixtureModel(), source));
        library.addModel(source);
        QList<ModelEntry> list = waitForList(library);
        QCOMPARE(list.size(), 1);
        const ModelEntry& m = list[0];
        QCOMPARE(m.path, folder + QStringLiteral("/tiny-qwen2.gguf"));
        QVERIFY(QFileInfo::exists(m.path));
        QVERIFY2(m.ok, qPrintable(m.metadata.error));
        QCOMPARE(m.metadata.name, QStringLiteral("tiny random qwen2"));
        QCOMPARE(m.metadata.architecture, QStringLiteral("qwen2"));
        QCOMPARE(m.metadata.parameterCount, 44832);
        QCOMPARE(m.metadata.contextLength, 256);
        QCOMPARE(m.metadata.fileSize, QFileInfo(source).size());
        QCOMPARE(m.metadata.quantization, QStringLiteral("F16"));
        QVERIFY(m.metadata.hasChatTemplate);
        QVERIFY(m.metadata.layers > 0 && m.metadata.kvDim > 0);

        // A broken file in the folder stays listed, with its reason.
        QFile broken(folder + QStringLiteral("/broken.gguf"));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("GGUF but not really a model");
        broken.close();
        library.scan();
        list = waitForList(library);
        QCOMPARE(list.size(), 2);
        const auto bad = std::find_if(list.begin(), list.end(), [](const ModelEntry& e) {
            return e.path.endsWith(QLatin1String("broken.gguf"));
        });
        QVERIFY(bad != list.end());
        QVERIFY(!bad->ok);
        QVERIFY2(bad->metadata.error.contains(QLatin1String("broken.gguf")),
                 qPrintable(bad->metadata.error));
        QCOMPARE(library.defaultModelPath(), m.path); // the usable one
        QCOMPARE(library.defaultModelPath(bad->path), m.path);

        // A file that vanished is dropped at the next scan; a missing source is an error.
        QVERIFY(QFile::remove(bad->path));
        library.scan();
        QCOMPARE(waitForList(library).size(), 1);
        QSignalSpy failed(&library, &ModelLibrary::failed);
        library.addModel(dir_.filePath(QStringLiteral("nope.gguf")));
        QVERIFY(failed.wait(10000));
        QVERIFY(failed[0][0].toString().contains(QLatin1String("nope.gguf")));
    }
};

QTEST_GUILESS_MAIN(TestModelLibrary)
#include "test_model_library.moc"
