#pragma once
// What a GGUF model says about chat prompting: its chat template (tokenizer.chat_template,
// absent for many base models) and the text of its BOS and EOS tokens, looked up through
// tokenizer.ggml.bos_token_id / eos_token_id in tokenizer.ggml.tokens.
#include "inference/gguf/gguf_file.hpp"

#include <optional>
#include <string>

namespace atelier::chat {

struct ModelChatInfo {
    std::optional<std::string> chatTemplate;
    std::string bosToken; // empty when the model has none
    std::string eosToken;
};

// Throws atelier::Error (Format) when a token id points outside the vocabulary.
ModelChatInfo modelChatInfo(const gguf::GgufFile& file);

} // namespace atelier::chat
