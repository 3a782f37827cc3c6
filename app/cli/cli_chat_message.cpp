// atelier-cli chat -m FILE.gguf --message TEXT [--conversation ID] [--db PATH] ...: the
// non-interactive twin of the app's chat page. It goes through the same ChatService, job queue
// and LLM host as the app, so the message and the reply land in the app's database exactly as
// if they had been typed there (the reply streams to stdout; the conversation id goes to
// stderr). `atelier-cli chat` without --message is the interactive chat in cli_generate.cpp.
#include "app/jobs/job_queue.hpp"
#include "app/services/chat_service.hpp"
#include "app/services/llm_host.hpp"
#include "args.hpp"
#include "command.hpp"
#include "storage/conversation_store.hpp"
#include "storage/database.hpp"
#include "storage/storage_thread.hpp"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <cstdio>
#include <optional>

namespace atelier::cli {

namespace {

void writeOut(const QByteArray& bytes) {
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

template <class T> T waitFor(QFuture<T> future) {
    while (!future.isFinished()) QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    if constexpr (std::is_void_v<T>)
        future.waitForFinished(); // rethrows the storage error
    else
        return future.result(); // rethrows the storage error
}

} // namespace

int runChatMessage(std::span<const std::string> argv) {
    Args args(argv);
    const auto model = args.option({"-m", "--model"});
    if (!model || model->empty()) throw UsageError("-m FILE.gguf is required");
    const auto message = args.option({"--message"});
    if (!message || message->empty()) throw UsageError("--message TEXT must not be empty");
    const auto conversation = args.integer({"--conversation"}, 1, (1LL << 62));
    const QString dbPath = QString::fromStdString(
        args.option({"--db"}).value_or(storage::Database::defaultPath().toStdString()));
    const std::optional<std::string> system = args.option({"--system"});
    GenerationParams params;
    if (auto v = args.number({"--temp"}, 0.0, 2.0)) params.temperature = *v;
    if (auto v = args.number({"--top-p"}, 0.0, 1.0)) params.topP = *v;
    if (auto v = args.integer({"--top-k"}, 0, 1000)) params.topK = int(*v);
    if (auto v = args.number({"--min-p"}, 0.0, 1.0)) params.minP = *v;
    if (auto v = args.number({"--repeat-penalty"}, 0.5, 2.0)) params.repeatPenalty = *v;
    if (auto v = args.integer({"-n", "--n-predict"}, 1, 32768)) params.maxNewTokens = int(*v);
    if (auto v = args.integer({"--seed", "-s"}, -1, (1LL << 62))) params.seed = *v;
    LlmDeviceSettings device;
    if (auto b = args.option({"--backend"})) device.backend = QString::fromStdString(*b);
    if (auto n = args.integer({"--gpu-layers", "-ngl"}, -1, 100000)) device.gpuLayers = int(*n);
    if (auto n = args.integer({"--threads", "-t"}, 0, 1024)) device.threads = int(*n);
    if (auto n = args.integer({"--ctx", "-c"}, 0, 1 << 20)) device.contextLength = int(*n);
    args.finish();
    const QString modelPath = QFileInfo(QString::fromStdString(*model)).absoluteFilePath();
    if (!QFileInfo(modelPath).isFile()) throw std::runtime_error(*model + ": no such model file");

    int argc = 1;
    char name[] = "atelier-cli";
    char* cargv[] = {name, nullptr};
    std::optional<QCoreApplication> app;
    if (!QCoreApplication::instance()) app.emplace(argc, cargv);

    // The same pieces as the app, in the composition root's order.
    storage::StorageThread storage(dbPath);
    waitFor(storage.opened());
    LlmHost host;
    host.setDeviceSettings(device);
    JobQueue jobs(&storage);
    host.registerJobs(jobs);
    ChatService chat(storage, jobs, host);

    const qint64 id = conversation ? *conversation : waitFor(storage.run([](storage::Database& db) {
        const QString title = QStringLiteral("atelier-cli chat");
        return storage::ConversationStore(db).create(title).id;
    }));
    // The sampling options apply to this reply and stay with the conversation, as in the app.
    const QString systemText = system ? QString::fromStdString(*system) : QString();
    waitFor(storage.run(
        [id, modelPath, params, systemText, setSystem = system.has_value()](storage::Database& db) {
            storage::ConversationStore store(db);
            store.get(id); // NotFound for an unknown conversation
            store.setModelPath(id, modelPath);
            store.setParams(id, params.clamped().toJson());
            if (setSystem) store.setSystemPrompt(id, systemText);
        }));
    std::fprintf(stderr, "conversation %lld\n", (long long)id);

    QString error;
    bool done = false;
    qsizetype printed = 0;
    QObject::connect(&chat, &ChatService::replyProgress,
                     [&](qint64, qint64, const QString& text, qint64) {
                         writeOut(text.mid(printed).toUtf8());
                         printed = text.size();
                     });
    QObject::connect(&chat, &ChatService::replyFinished, [&](qint64, const MessageInfo& reply) {
        if (reply.content.size() > printed) writeOut(reply.content.mid(printed).toUtf8());
        writeOut("\n");
        if (reply.state == QLatin1String("failed"))
            error = reply.stats.value(QLatin1String("error")).toString();
        const QJsonObject s = reply.stats;
        std::fprintf(stderr,
                     "atelier-cli chat: %lld prompt tokens (%lld cached), %lld generated, first "
                     "token after %.3f s, %.1f tok/s, stop: %s\n",
                     (long long)s.value(QLatin1String("promptTokens")).toInteger(),
                     (long long)s.value(QLatin1String("cachedTokens")).toInteger(),
                     (long long)s.value(QLatin1String("generatedTokens")).toInteger(),
                     s.value(QLatin1String("ttftSeconds")).toDouble(),
                     s.value(QLatin1String("tokensPerSecond")).toDouble(),
                     qPrintable(s.value(QLatin1String("stopReason")).toString()));
        done = true;
    });
    QObject::connect(&chat, &ChatService::failed, [&](const QString& message) {
        error = message;
        done = true;
    });
    chat.send(id, QString::fromStdString(*message));
    while (!done) QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    if (!error.isEmpty()) throw std::runtime_error(error.toStdString());
    return kExitOk;
}

} // namespace atelier::cli
