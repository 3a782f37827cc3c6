#include "app/services/chat_reply_job.hpp"

#include "app/services/chat_service.hpp"
#include "app/services/conversation_tree.hpp"
#include "app/services/llm_host.hpp"
#include "inference/llm/chat_prompt.hpp"
#include "inference/llm/session.hpp"
#include "storage/message_store.hpp"
#include "storage/storage_thread.hpp"

#include <QDebug>
#include <QElapsedTimer>
#include <QFileInfo>

namespace atelier {

namespace {

llm::SamplingParams samplingFrom(const GenerationParams& p) {
    llm::SamplingParams s;
    s.temperature = float(p.temperature);
    s.topP = float(p.topP);
    s.topK = p.topK;
    s.minP = float(p.minP);
    s.repeatPenalty = float(p.repeatPenalty);
    s.seed = p.seed;
    return s;
}

QJsonObject statsJson(const llm::GenerationStats& s, std::size_t droppedMessages,
                      std::int64_t contextLength, const QString& model, const QString& backend) {
    return {{QStringLiteral("promptTokens"), qint64(s.promptTokens)},
            {QStringLiteral("cachedTokens"), qint64(s.cachedTokens)},
            {QStringLiteral("processedTokens"), qint64(s.processedTokens)},
            {QStringLiteral("generatedTokens"), qint64(s.generatedTokens)},
            {QStringLiteral("droppedMessages"), qint64(droppedMessages)},
            {QStringLiteral("droppedTokens"), qint64(s.droppedTokens)},
            {QStringLiteral("contextLength"), qint64(contextLength)},
            {QStringLiteral("ttftSeconds"), s.timeToFirstTokenSeconds},
            {QStringLiteral("prefillSeconds"), s.prefillSeconds},
            {QStringLiteral("prefillTokensPerSecond"), s.prefillTokensPerSecond()},
            {QStringLiteral("tokensPerSecond"), s.decodeTokensPerSecond()},
            {QStringLiteral("stopReason"),
             QString::fromLatin1(llm::stopReasonName(s.stopReason).data(),
                                 qsizetype(llm::stopReasonName(s.stopReason).size()))},
            {QStringLiteral("seed"), QString::number(s.seed)},
            {QStringLiteral("model"), model},
            {QStringLiteral("backend"), backend}};
}

// Writes in the background; the storage thread keeps them in order. A failure (the reply was
// deleted while it streamed, a full disk) is logged there; the final write reports it again.
void saveLater(storage::StorageThread& storage, qint64 id, const QString& text,
               const QString& state, const QJsonObject& stats) {
    storage.run([=](storage::Database& db) {
        try {
            storage::MessageStore(db).updateReply(id, text, state, stats);
        } catch (const std::exception& e) {
            qWarning("atelier: reply %lld could not be saved: %s", (long long)id, e.what());
        }
    });
}

void saveNow(storage::StorageThread& storage, qint64 id, const QString& text, const QString& state,
             const QJsonObject& stats) {
    try {
        storage
            .run([=](storage::Database& db) {
                storage::MessageStore(db).updateReply(id, text, state, stats);
            })
            .waitForFinished();
    } catch (const std::exception& e) { // deleted while it streamed, or a full disk
        qWarning("atelier: reply %lld could not be saved: %s", (long long)id, e.what());
    }
}

} // namespace

void runReplyJob(const ReplyJobDeps& deps, JobContext& job) {
    const QJsonObject& p = job.params();
    const qint64 conversationId = p.value(QLatin1String("conversationId")).toInteger();
    const qint64 replyId = p.value(QLatin1String("replyId")).toInteger();
    const qint64 parentId = p.value(QLatin1String("parentId")).toInteger();
    const QString modelPath = p.value(QLatin1String("model")).toString();
    const QString systemPrompt = p.value(QLatin1String("systemPrompt")).toString();
    const GenerationParams params =
        GenerationParams::fromJson(p.value(QLatin1String("params")).toObject());
    const QString modelName = QFileInfo(modelPath).fileName();
    storage::StorageThread& storage = *deps.storage;

    // The conversation up to the user message, read on the storage thread (this lane waits).
    const auto reply =
        storage
            .run([replyId, conversationId, parentId](storage::Database& db) {
                storage::MessageStore messages(db);
                const MessageInfo r = messages.get(replyId);
                return std::make_pair(r, tree::pathTo(messages.listFor(conversationId), parentId));
            })
            .result();
    if (reply.first.state != QLatin1String("streaming"))
        throw std::runtime_error("this reply was interrupted when Atelier closed; regenerate it");

    QString text;
    try {
        const auto model = deps.host->acquire(modelPath, job);
        llm::LlmSession& session = deps.host->session(conversationId);
        const QString backend = QString::fromStdString(model->backendDescription());

        std::vector<chat::ChatMessage> messages;
        if (!systemPrompt.isEmpty()) messages.push_back({"system", systemPrompt.toStdString()});
        for (const MessageInfo& m : reply.second)
            if (!m.content.isEmpty())
                messages.push_back({m.role.toStdString(), m.content.toStdString()});
        const std::int64_t ctx = session.contextLength();
        const std::int64_t reserve = std::min<std::int64_t>(params.maxNewTokens, ctx / 2);
        const llm::ChatPrompt prompt =
            llm::ChatPromptBuilder(*model).build(messages, std::size_t(ctx - reserve));

        llm::GenerateRequest request;
        request.prompt = prompt.tokens;
        request.protectedPrefix = prompt.protectedPrefix;
        request.sampling = samplingFrom(params);
        request.maxTokens = params.maxNewTokens;
        request.reserveForReply = int(reserve);
        job.reportProgress(
            -1, QObject::tr("Reading the conversation (%1 tokens)").arg(prompt.tokens.size()));

        QElapsedTimer sinceUi, sinceSave;
        sinceUi.start();
        sinceSave.start();
        qint64 tokens = 0;
        bool uiPending = false;
        auto toUi = [&] {
            uiPending = false;
            sinceUi.restart();
            ChatService* service = deps.service;
            deps.gate->post([service, conversationId, replyId, text, tokens] {
                emit service->replyProgress(conversationId, replyId, text, tokens);
            });
        };
        const llm::GenerateResult result = session.generate(
            request,
            [&](const llm::TokenPiece& piece) {
                text += QString::fromUtf8(piece.text.data(), qsizetype(piece.text.size()));
                tokens = piece.generatedTokens;
                uiPending = true;
                if (sinceUi.elapsed() >= kReplyUiIntervalMs) toUi();
                if (sinceSave.elapsed() >= kReplySaveIntervalMs) {
                    sinceSave.restart();
                    saveLater(storage, replyId, text, QStringLiteral("streaming"), {});
                    job.reportProgress(double(tokens) / params.maxNewTokens,
                                       QObject::tr("%1 tokens").arg(tokens));
                }
            },
            job.stopToken());
        if (uiPending) toUi();
        const QJsonObject stats =
            statsJson(result.stats, prompt.droppedMessages, ctx, modelName, backend);
        saveNow(storage, replyId, text, QStringLiteral("complete"), stats);
        job.setResult({{QStringLiteral("replyId"), replyId}, {QStringLiteral("stats"), stats}});
    } catch (const llm::OperationCancelled&) {
        llm::GenerationStats stopped;
        stopped.stopReason = llm::StopReason::Cancelled;
        saveNow(storage, replyId, text, QStringLiteral("complete"),
                statsJson(stopped, 0, 0, modelName, {}));
    } catch (const std::exception& e) {
        saveNow(storage, replyId, text, QStringLiteral("failed"),
                {{QStringLiteral("error"), QString::fromUtf8(e.what())},
                 {QStringLiteral("model"), modelName}});
        throw;
    }
}

} // namespace atelier
