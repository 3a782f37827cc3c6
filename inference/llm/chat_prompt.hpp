#pragma once
// A chat conversation -> the prompt tokens of one reply, through the model's own chat template
// (inference/chat). When the conversation does not fit the budget, the oldest messages after
// the system prompt are dropped (a user message together with the reply that followed it) and
// the template is rendered again; the caller learns how many messages were left out.
#include "inference/chat/chat_template.hpp"
#include "inference/llm/model.hpp"

#include <optional>
#include <string>
#include <vector>

namespace atelier::llm {

struct ChatPrompt {
    std::vector<TokenId> tokens;
    std::size_t protectedPrefix = 0; // tokens of the system prompt part (never dropped)
    std::size_t droppedMessages = 0; // oldest non-system messages left out to fit
    std::string text;                // the rendered prompt
};

class ChatPromptBuilder {
public:
    explicit ChatPromptBuilder(const LlmModel& model);

    // `budget`: the most prompt tokens allowed (the context minus room for the reply).
    // `now`: the date templates see through strftime_now(); absent = the current UTC time.
    ChatPrompt build(const std::vector<chat::ChatMessage>& messages, std::size_t budget,
                     std::optional<jinja::DateTime> now = std::nullopt) const;

    // Rendered text -> tokens: control tokens in the text are read as such; BOS is added when
    // the model wants one and the template did not write it.
    std::vector<TokenId> tokenize(const std::string& text) const;

private:
    std::string render(const std::vector<chat::ChatMessage>& messages, bool addGenerationPrompt,
                       const jinja::DateTime& now) const;

    const LlmModel& model_;
    chat::ChatTemplate template_;
};

} // namespace atelier::llm
