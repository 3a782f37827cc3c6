#pragma once
// Turns a conversation into the prompt text a model expects, by rendering the model's own
// chat template (tokenizer.chat_template) the way Hugging Face's apply_chat_template does:
// variables messages, add_generation_prompt, bos_token, eos_token, tools (none unless given),
// and the globals raise_exception(msg) and strftime_now(fmt) (with the date the caller gives).
// A model without a template gets ChatML.
#include "inference/chat/jinja/strftime.hpp"
#include "inference/chat/jinja/template.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atelier::chat {

struct ChatMessage {
    std::string role; // "system", "user", "assistant", "tool", ...
    std::string content;
};

// A list of {"role": ..., "content": ...} dicts for ChatRenderRequest::messages.
jinja::Value messagesValue(const std::vector<ChatMessage>& messages);

struct ChatRenderRequest {
    jinja::Value messages =
        jinja::Value::list({}); // a list of dicts: role, content and any other fields
    bool addGenerationPrompt = false;
    std::string bosToken;
    std::string eosToken;
    jinja::DateTime now;    // what strftime_now() sees
    jinja::Variables extra; // further variables (tools, documents, enable_thinking, ...)
    jinja::RenderLimits limits;
};

// The ChatML template used when a model has none.
std::string_view chatmlTemplate();

class ChatTemplate {
public:
    // `source` empty or nullopt: ChatML. Throws atelier::Error (Template) for a syntax error.
    explicit ChatTemplate(std::optional<std::string_view> source);

    bool isChatml() const { return chatml_; }

    // Exactly what the reference renders; a template that raises throws atelier::Error
    // (Template) carrying the template's message.
    std::string render(const ChatRenderRequest& request) const;

    // For chatting: when rendering fails and the conversation starts with a system message
    // (some templates refuse the system role), the system text is put in front of the first
    // user message, separated by a blank line ("system\n\nuser"), and rendering is tried
    // again. If that fails too, the first error is thrown.
    std::string renderForChat(const ChatRenderRequest& request) const;

private:
    jinja::Template template_;
    bool chatml_ = false;
};

// The messages with a leading system message merged into the first user message
// ("system\n\nuser"); unchanged when there is no leading system message. Without any user
// message the system message becomes a user message.
jinja::Value mergeSystemIntoFirstUser(const jinja::Value& messages);

} // namespace atelier::chat
