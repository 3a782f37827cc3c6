#include "inference/tokenizer/vocabulary.hpp"

#include "inference/gguf/gguf_file.hpp"
#include "inference/util/error.hpp"

#include <limits>

namespace atelier::tokenizer {

namespace {

using gguf::GgufFile;
using gguf::Value;
using gguf::ValueType;

[[noreturn]] void fail(const std::string& source, const std::string& what) {
    throw Error(ErrorKind::Format, source + ": " + what);
}

const Value* findArray(const GgufFile& file, std::string_view key, ValueType elementType,
                       const char* expected) {
    const Value* v = file.find(key);
    if (!v) return nullptr;
    if (!v->isArray() || v->elementType != elementType)
        fail(file.path(), "metadata key '" + std::string(key) + "' is not " + expected);
    return v;
}

std::optional<TokenId> readId(const GgufFile& file, std::string_view key) {
    const Value* v = file.find(key);
    if (!v) return std::nullopt;
    if (!v->isInteger())
        fail(file.path(), "metadata key '" + std::string(key) + "' is not an integer token id");
    constexpr auto kMax = std::numeric_limits<TokenId>::max();
    const bool isSigned = v->type == ValueType::Int8 || v->type == ValueType::Int16 ||
                          v->type == ValueType::Int32 || v->type == ValueType::Int64;
    // Negative ids (-1) are how some converters write "none".
    if (isSigned) {
        if (v->i < 0 || v->i > kMax) return std::nullopt;
        return static_cast<TokenId>(v->i);
    }
    if (v->u > std::uint64_t(kMax)) return std::nullopt;
    return static_cast<TokenId>(v->u);
}

TokenizerKind kindFromModel(const std::string& source, std::string_view model) {
    if (model == "llama") return TokenizerKind::SentencePiece;
    if (model == "gpt2") return TokenizerKind::BytePairEncoding;
    if (model == "bert") return TokenizerKind::WordPiece;
    if (model == "none" || model == "no_vocab")
        throw Error(ErrorKind::Unsupported,
                    source + ": the model has no tokenizer (" + std::string(model) + ")");
    throw Error(ErrorKind::Unsupported, source + ": tokenizer model '" + std::string(model) +
                                            "' is not supported (supported: llama, gpt2, bert)");
}

} // namespace

void Vocabulary::validate() const {
    if (tokens.empty()) fail(source, "the vocabulary has no tokens");
    if (tokens.size() > std::size_t(std::numeric_limits<TokenId>::max()))
        fail(source, "the vocabulary has too many tokens");
    if (!scores.empty() && scores.size() != tokens.size())
        fail(source, "tokenizer.ggml.scores has " + std::to_string(scores.size()) +
                         " entries for " + std::to_string(tokens.size()) + " tokens");
    if (!types.empty() && types.size() != tokens.size())
        fail(source, "tokenizer.ggml.token_type has " + std::to_string(types.size()) +
                         " entries for " + std::to_string(tokens.size()) + " tokens");
    for (const auto& id : {bos, eos, eot, eom, unk, sep, pad, cls, mask})
        if (id && !contains(*id))
            fail(source, "special token id " + std::to_string(*id) + " is outside the vocabulary");
}

bool hasVocabulary(const gguf::GgufFile& file) {
    return file.find("tokenizer.ggml.model") != nullptr &&
           file.find("tokenizer.ggml.tokens") != nullptr;
}

Vocabulary loadVocabulary(const gguf::GgufFile& file) {
    Vocabulary vocab;
    vocab.source = file.path();
    const auto model = file.getString("tokenizer.ggml.model");
    if (!model) fail(file.path(), "no tokenizer metadata (tokenizer.ggml.model is missing)");
    vocab.model = std::string(*model);
    vocab.kind = kindFromModel(file.path(), *model);
    if (auto pre = file.getString("tokenizer.ggml.pre")) vocab.pre = std::string(*pre);
    if (const Value* name = file.find("general.name"); name && name->isString())
        vocab.name = std::string(name->str);

    const Value* tokens =
        findArray(file, "tokenizer.ggml.tokens", ValueType::String, "an array of strings");
    if (!tokens) fail(file.path(), "no token list (tokenizer.ggml.tokens is missing)");
    vocab.tokens.reserve(tokens->array.size());
    for (const Value& t : tokens->array) vocab.tokens.emplace_back(t.str);

    if (const Value* scores = file.find("tokenizer.ggml.scores")) {
        if (!scores->isArray() ||
            (scores->elementType != ValueType::Float32 && scores->elementType != ValueType::Int32))
            fail(file.path(), "metadata key 'tokenizer.ggml.scores' is not an array of numbers");
        vocab.scores.reserve(scores->array.size());
        for (const Value& s : scores->array) vocab.scores.push_back(static_cast<float>(s.f));
    }
    if (const Value* types =
            findArray(file, "tokenizer.ggml.token_type", ValueType::Int32, "an array of int32")) {
        vocab.types.reserve(types->array.size());
        for (const Value& t : types->array) {
            // Unknown type numbers are treated as Undefined, as llama.cpp does.
            const auto n = t.i;
            vocab.types.push_back(n >= 0 && n <= 6 ? static_cast<TokenType>(n)
                                                   : TokenType::Undefined);
        }
    }
    if (const Value* merges =
            findArray(file, "tokenizer.ggml.merges", ValueType::String, "an array of strings")) {
        vocab.merges.reserve(merges->array.size());
        for (const Value& m : merges->array) vocab.merges.emplace_back(m.str);
    }
    // Longer arrays than the token list are tolerated (llama.cpp does); extra entries are unused.
    if (vocab.scores.size() > vocab.tokens.size()) vocab.scores.resize(vocab.tokens.size());
    if (vocab.types.size() > vocab.tokens.size()) vocab.types.resize(vocab.tokens.size());

    struct IdKey {
        std::optional<TokenId>* slot;
        const char* key;
    };
    const IdKey ids[] = {
        {&vocab.bos, "tokenizer.ggml.bos_token_id"},
        {&vocab.eos, "tokenizer.ggml.eos_token_id"},
        {&vocab.eot, "tokenizer.ggml.eot_token_id"},
        {&vocab.eom, "tokenizer.ggml.eom_token_id"},
        {&vocab.unk, "tokenizer.ggml.unknown_token_id"},
        {&vocab.sep, "tokenizer.ggml.seperator_token_id"}, // sic: GGUF's spelling
        {&vocab.pad, "tokenizer.ggml.padding_token_id"},
        {&vocab.cls, "tokenizer.ggml.cls_token_id"},
        {&vocab.mask, "tokenizer.ggml.mask_token_id"},
    };
    for (const IdKey& k : ids) {
        *k.slot = readId(file, k.key);
        // An id outside the vocabulary is ignored (llama.cpp warns and does the same).
        if (*k.slot && !vocab.contains(**k.slot)) k.slot->reset();
    }
    if (!vocab.sep) vocab.sep = readId(file, "tokenizer.ggml.separator_token_id");
    if (vocab.sep && !vocab.contains(*vocab.sep)) vocab.sep.reset();

    vocab.addBos = file.getBool("tokenizer.ggml.add_bos_token");
    vocab.addEos = file.getBool("tokenizer.ggml.add_eos_token");
    vocab.addSep = file.getBool("tokenizer.ggml.add_sep_token");
    vocab.addSpacePrefix = file.getBool("tokenizer.ggml.add_space_prefix");
    vocab.removeExtraWhitespaces = file.getBool("tokenizer.ggml.remove_extra_whitespaces");
    vocab.lowercase = file.getBool("tokenizer.ggml.normalizer.lowercase");
    vocab.stripAccents = file.getBool("tokenizer.ggml.normalizer.strip_accents");

    vocab.validate();
    return vocab;
}

} // namespace atelier::tokenizer
