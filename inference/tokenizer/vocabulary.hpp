#pragma once
// A tokenizer vocabulary as GGUF metadata (tokenizer.ggml.*) describes it: token texts with their
// scores and types, BPE merges, special token ids and the flags that steer encoding. Plain data;
// the algorithms live in the encoders and Tokenizer.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace atelier::gguf {
class GgufFile;
}

namespace atelier::tokenizer {

using TokenId = std::int32_t;

// tokenizer.ggml.token_type values (the convention GGUF files use).
enum class TokenType : std::int32_t {
    Undefined = 0,
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
};

// The tokenizer algorithm, from tokenizer.ggml.model.
enum class TokenizerKind {
    SentencePiece,    // "llama": score-ordered merges, byte fallback, "▁" for spaces
    BytePairEncoding, // "gpt2": byte-level BPE with ranked merges and a regex pre-tokenizer
    WordPiece,        // "bert": BERT normalization and greedy longest match
};

struct Vocabulary {
    TokenizerKind kind = TokenizerKind::SentencePiece;
    std::string model; // tokenizer.ggml.model as written
    std::string pre;   // tokenizer.ggml.pre; empty when absent
    std::vector<std::string> tokens;
    std::vector<float> scores;       // empty, or one per token
    std::vector<TokenType> types;    // empty, or one per token
    std::vector<std::string> merges; // "left right", best (lowest rank) first

    std::optional<TokenId> bos, eos, eot, eom, unk, sep, pad, cls, mask;

    // Flags as the metadata states them; absent ones fall back to the model's defaults.
    std::optional<bool> addBos, addEos, addSep, addSpacePrefix, removeExtraWhitespaces;
    std::optional<bool> lowercase, stripAccents; // BERT normalizer

    std::string name;   // general.name, which a few model-specific rules look at
    std::string source; // where it came from, for messages (a file name)

    std::size_t size() const { return tokens.size(); }
    bool contains(TokenId id) const { return id >= 0 && std::size_t(id) < tokens.size(); }
    TokenType type(TokenId id) const {
        return types.empty() ? TokenType::Normal : types[std::size_t(id)];
    }
    float score(TokenId id) const { return scores.empty() ? 0.0f : scores[std::size_t(id)]; }

    // Checks sizes and ids; throws atelier::Error (Format) naming `source`.
    void validate() const;
};

// Reads the tokenizer.ggml.* metadata of any GGUF file (weights or vocabulary only). Throws
// atelier::Error naming the file when the metadata is missing, malformed or of a kind we do not
// implement.
Vocabulary loadVocabulary(const gguf::GgufFile& file);

// Whether a GGUF file carries tokenizer metadata at all.
bool hasVocabulary(const gguf::GgufFile& file);

} // namespace atelier::tokenizer
