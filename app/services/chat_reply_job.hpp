#pragma once
// The "chat.reply" job: runs on the "llm" lane, generates one reply of a conversation and keeps
// the database up to date while it streams. ChatService registers it; see chat_service.hpp for
// the reply's life and the statistics it stores.
//
// Job params: conversationId, replyId (the stored empty assistant message), parentId (the user
// message it answers), model (file path), systemPrompt, params (GenerationParams JSON).
#include "app/jobs/job_context.hpp"
#include "app/services/ui_gate.hpp"

namespace atelier::storage {
class StorageThread;
}

namespace atelier {

class ChatService;
class LlmHost;

struct ReplyJobDeps {
    storage::StorageThread* storage = nullptr; // outlives the job queue
    LlmHost* host = nullptr;                   // outlives the job queue
    UiGatePtr gate;                            // to the service, closed when it goes away
    ChatService* service = nullptr;            // reached only through the gate
};

// How often the streaming reply reaches the UI and the database.
inline constexpr int kReplyUiIntervalMs = 33;    // ~30 updates a second at most
inline constexpr int kReplySaveIntervalMs = 500; // a crash loses at most half a second

void runReplyJob(const ReplyJobDeps& deps, JobContext& job);

} // namespace atelier
