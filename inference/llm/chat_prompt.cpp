#include "inference/llm/chat_prompt.hpp"

#include "inference/util/error.hpp"

#include <ctime>

namespace atelier::llm {
namespace {

jinja::DateTime currentUtcTime() {
    const std::time_t t = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&t, &utc);
    return {utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec};
}

} // namespace

ChatPromptBuilder::ChatPromptBuilder(const LlmModel& model)
    : model_(model), template_(model.chatInfo().chatTemplate) {}

std::string ChatPromptBuilder::render(const std::vector<chat::ChatMessage>& messages,
                                      bool addGenerationPrompt, const jinja::DateTime& now) const {
    chat::ChatRenderRequest request;
    request.messages = chat::messagesValue(messages);
    request.addGenerationPrompt = addGenerationPrompt;
    request.bosToken = model_.chatInfo().bosToken;
    request.eosToken = model_.chatInfo().eosToken;
    request.now = now;
    return template_.renderForChat(request);
}

std::vector<TokenId> ChatPromptBuilder::tokenize(const std::string& text) const {
    const tokenizer::Tokenizer& tok = model_.tokenizer();
    tokenizer::EncodeOptions options;
    options.parseSpecial = true;
    const std::string& bosText = model_.chatInfo().bosToken;
    const bool templateWroteBos = !bosText.empty() && text.rfind(bosText, 0) == 0;
    options.addBos = tok.addsBosByDefault() && !templateWroteBos;
    options.addEos = false;
    return tok.encode(text, options);
}

ChatPrompt ChatPromptBuilder::build(const std::vector<chat::ChatMessage>& messages,
                                    std::size_t budget, std::optional<jinja::DateTime> when) const {
    const jinja::DateTime now = when ? *when : currentUtcTime();
    const bool hasSystem = !messages.empty() && messages.front().role == "system";
    std::vector<chat::ChatMessage> kept = messages;
    ChatPrompt out;
    for (;;) {
        out.text = render(kept, true, now);
        out.tokens = tokenize(out.text);
        const std::size_t first = hasSystem ? 1 : 0;
        // Stop when it fits or only the newest message is left after the system prompt.
        if (out.tokens.size() <= budget || kept.size() <= first + 1) break;
        // Drop the oldest message, and the reply to it, so the conversation still starts with
        // a user turn.
        std::size_t n = 1;
        if (kept[first].role == "user" && kept.size() > first + 2 && kept[first + 1].role != "user")
            n = 2;
        kept.erase(kept.begin() + std::ptrdiff_t(first), kept.begin() + std::ptrdiff_t(first + n));
        out.droppedMessages += n;
    }
    if (hasSystem) {
        // The protected prefix: what the prompt shares with a rendering of the system message.
        std::vector<TokenId> system;
        try {
            system = tokenize(render({kept.front()}, false, now));
        } catch (const Error&) {
            return out; // a template that refuses a lone system message: nothing protected
        }
        while (out.protectedPrefix < system.size() && out.protectedPrefix < out.tokens.size() &&
               system[out.protectedPrefix] == out.tokens[out.protectedPrefix])
            ++out.protectedPrefix;
    }
    return out;
}

} // namespace atelier::llm
