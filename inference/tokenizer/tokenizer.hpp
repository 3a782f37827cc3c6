#pragma once
// Text <-> token ids for any GGUF that carries tokenizer metadata (model weights or a
// vocabulary-only file): SentencePiece-style BPE ("llama"), byte-level BPE ("gpt2", with the
// pre-tokenizer named by tokenizer.ggml.pre) and WordPiece ("bert"). Immutable after
// construction; encode() and decode() may run on several threads at once.
#include "inference/tokenizer/vocabulary.hpp"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace atelier::gguf {
class GgufFile;
}

namespace atelier::tokenizer {

struct EncodeOptions {
    // Add the start token (BOS; [CLS] for WordPiece) / end token (EOS; [SEP] for WordPiece).
    // nullopt: as the vocabulary's metadata says (tokenizer.ggml.add_bos_token, ...).
    std::optional<bool> addBos;
    std::optional<bool> addEos;
    // Recognise control tokens written in the text ("<|im_start|>"). User-defined tokens are
    // always recognised; without this, control-token text is tokenized as ordinary text.
    bool parseSpecial = false;
};

struct DecodeOptions {
    // Write control and unknown tokens as their text ("<s>") instead of leaving them out.
    bool renderSpecial = false;
};

class Tokenizer {
public:
    // Throws atelier::Error when the vocabulary is malformed or of an unsupported kind.
    explicit Tokenizer(Vocabulary vocabulary);
    static Tokenizer fromGguf(const gguf::GgufFile& file);
    ~Tokenizer();
    Tokenizer(Tokenizer&&) noexcept;
    Tokenizer& operator=(Tokenizer&&) noexcept;

    std::vector<TokenId> encode(std::string_view text, const EncodeOptions& options = {}) const;

    // The bytes the ids stand for (not necessarily valid UTF-8 when the ids split a character).
    // Throws atelier::Error (Invalid) naming the first id outside the vocabulary.
    std::string decode(std::span<const TokenId> ids, const DecodeOptions& options = {}) const;

    // The bytes one token contributes in the middle of a text (control tokens: their text).
    const std::string& piece(TokenId id) const;

    const Vocabulary& vocabulary() const;
    std::size_t size() const;
    TokenizerKind kind() const;
    // The pre-tokenizer in use for byte-level BPE ("default" when the file's name is unknown).
    const std::string& preTokenizer() const;
    std::optional<TokenId> bos() const; // the start token encode() adds
    std::optional<TokenId> eos() const; // the end token encode() adds
    bool addsBosByDefault() const;
    bool addsEosByDefault() const;
    bool isControl(TokenId id) const; // control or unknown: hidden by default when decoding

    // Tokens that end a generated reply: EOS, EOT and EOM from the metadata, plus control tokens
    // whose text marks the end of a turn in common chat formats ("<|im_end|>", "<|eot_id|>",
    // "<end_of_turn>", ...), which many files do not name in their metadata.
    const std::vector<TokenId>& endOfGeneration() const;
    bool isEndOfGeneration(TokenId id) const;

    // Things a caller may want to show: e.g. an unknown pre-tokenizer replaced by the default.
    const std::vector<std::string>& notes() const;

private:
    friend class StreamingDecoder;
    // Appends one token's text; strips the space SentencePiece/WordPiece put before the first
    // word while `atStart` holds.
    void appendPiece(TokenId id, const DecodeOptions& options, bool& atStart,
                     std::string& out) const;
    void checkId(TokenId id) const;

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace atelier::tokenizer
