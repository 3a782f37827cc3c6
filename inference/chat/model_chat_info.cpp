#include "inference/chat/model_chat_info.hpp"

#include "inference/util/error.hpp"

namespace atelier::chat {
namespace {

std::string tokenText(const gguf::GgufFile& file, const char* idKey) {
    std::optional<std::uint64_t> id = file.getUInt(idKey);
    if (!id) return {};
    const gguf::Value* tokens = file.find("tokenizer.ggml.tokens");
    if (!tokens || !tokens->isArray())
        throw Error(ErrorKind::Format,
                    file.path() + ": " + idKey + " is set but tokenizer.ggml.tokens is missing");
    if (*id >= tokens->array.size())
        throw Error(ErrorKind::Format, file.path() + ": " + idKey + " " + std::to_string(*id) +
                                           " is outside the vocabulary of " +
                                           std::to_string(tokens->array.size()) + " tokens");
    const gguf::Value& token = tokens->array[*id];
    if (!token.isString())
        throw Error(ErrorKind::Format, file.path() + ": tokenizer.ggml.tokens holds a non-string");
    return std::string(token.str);
}

} // namespace

ModelChatInfo modelChatInfo(const gguf::GgufFile& file) {
    ModelChatInfo info;
    if (auto t = file.getString("tokenizer.chat_template")) info.chatTemplate = std::string(*t);
    info.bosToken = tokenText(file, "tokenizer.ggml.bos_token_id");
    info.eosToken = tokenText(file, "tokenizer.ggml.eos_token_id");
    return info;
}

} // namespace atelier::chat
