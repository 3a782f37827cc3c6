#include "inference/tokenizer/tokenizer.hpp"

#include "inference/gguf/gguf_file.hpp"
#include "inference/tokenizer/bpe_encoder.hpp"
#include "inference/tokenizer/byte_level.hpp"
#include "inference/tokenizer/pre_tokenizer.hpp"
#include "inference/tokenizer/special_tokens.hpp"
#include "inference/tokenizer/spm_encoder.hpp"
#include "inference/tokenizer/token_index.hpp"
#include "inference/tokenizer/wpm_encoder.hpp"
#include "inference/util/error.hpp"

#include <algorithm>
#include <optional>

namespace atelier::tokenizer {

namespace {

constexpr std::string_view kSpace = "\xE2\x96\x81"; // "▁"

std::string replaceSpaceMarks(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        if (text.compare(pos, kSpace.size(), kSpace) == 0) {
            out += ' ';
            pos += kSpace.size();
        } else {
            out += text[pos++];
        }
    }
    return out;
}

// "<0x41>" -> 0x41; -1 when the text is not a byte token.
int byteTokenValue(std::string_view text) {
    if (text.size() != 6 || text.substr(0, 3) != "<0x" || text[5] != '>') return -1;
    auto hex = [](char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    const int hi = hex(text[3]), lo = hex(text[4]);
    return (hi < 0 || lo < 0) ? -1 : hi * 16 + lo;
}

} // namespace

struct Tokenizer::Impl {
    Vocabulary vocab;
    TokenIndex index;
    SpecialTokenMatcher specials;
    PreTokenizerPreset preset;
    std::optional<SpmEncoder> spm;
    std::optional<BpeEncoder> bpe;
    std::optional<WpmEncoder> wpm;
    std::vector<std::string> notes;

    bool addBos = false;
    bool addEos = false;
    bool addSpacePrefix = false;
    std::optional<TokenId> startToken;
    std::optional<TokenId> endToken;
    bool stripLeadingSpace = false;

    std::vector<TokenId> endOfGeneration;

    std::vector<std::string> pieces; // decoded bytes of every token
    std::vector<bool> hidden;        // left out of decoding unless renderSpecial

    explicit Impl(Vocabulary v)
        : vocab(std::move(v)), index(vocab), specials(vocab),
          preset(preTokenizerPreset(vocab.pre)) {
        switch (vocab.kind) {
        case TokenizerKind::SentencePiece:
            setUpSentencePiece();
            break;
        case TokenizerKind::BytePairEncoding:
            setUpBytePairEncoding();
            break;
        case TokenizerKind::WordPiece:
            setUpWordPiece();
            break;
        }
        if (!startToken) addBos = false;
        if (!endToken) addEos = false;
        buildPieces();
        findEndOfGeneration();
    }

    void findEndOfGeneration() {
        // End-of-turn markers of common chat formats (the same list llama.cpp recognises).
        static const char* const kMarkers[] = {
            "<|eot_id|>",
            "<|im_end|>",
            "<|end|>",
            "<end_of_turn>",
            "<|endoftext|>",
            "<|end_of_text|>",
            "<EOT>",
            "_<EOT>",
            "<|eom_id|>",
            "<\xEF\xBD\x9C"
            "end\xE2\x96\x81of\xE2\x96\x81sentence\xEF\xBD\x9C>" /* DeepSeek */,
        };
        auto add = [&](std::optional<TokenId> id) {
            if (id && std::find(endOfGeneration.begin(), endOfGeneration.end(), *id) ==
                          endOfGeneration.end())
                endOfGeneration.push_back(*id);
        };
        add(vocab.eos);
        add(vocab.eot);
        add(vocab.eom);
        for (const char* marker : kMarkers) {
            const TokenId id = index.find(marker);
            if (id >= 0 && vocab.type(id) != TokenType::Normal) add(id);
        }
    }

    void setUpSentencePiece() {
        spm.emplace(vocab, index);
        addSpacePrefix = vocab.addSpacePrefix.value_or(true);
        stripLeadingSpace = addSpacePrefix;
        addBos = vocab.addBos.value_or(true);
        addEos = vocab.addEos.value_or(false);
        startToken = vocab.bos;
        endToken = vocab.eos;
        if (!vocab.unk) vocab.unk = firstOfType(TokenType::Unknown);
    }

    void setUpBytePairEncoding() {
        if (!preset.known)
            notes.push_back("unknown pre-tokenizer '" + vocab.pre +
                            "': using the default one, so tokens may differ from the model's "
                            "own tokenizer");
        bpe.emplace(vocab, index, preset);
        addBos = vocab.addBos.value_or(preset.addBos.value_or(false));
        addEos = vocab.addEos.value_or(false);
        startToken = vocab.bos;
        endToken = vocab.eos;
    }

    void setUpWordPiece() {
        wpm.emplace(vocab, index);
        stripLeadingSpace = true;
        addBos = vocab.addBos.value_or(true);
        addEos = vocab.addSep.value_or(vocab.addEos.value_or(true));
        startToken = vocab.cls ? vocab.cls : vocab.bos;
        endToken = vocab.sep ? vocab.sep : vocab.eos;
        if (!vocab.unk) vocab.unk = firstOfType(TokenType::Unknown);
    }

    std::optional<TokenId> firstOfType(TokenType type) const {
        for (std::size_t i = 0; i < vocab.size(); ++i)
            if (vocab.type(static_cast<TokenId>(i)) == type) return static_cast<TokenId>(i);
        return std::nullopt;
    }

    void buildPieces() {
        pieces.resize(vocab.size());
        hidden.assign(vocab.size(), false);
        const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::instance();
        const std::string wordPrefix = wpm ? wpm->wordPrefix() : std::string();
        const std::string continuationPrefix = wpm ? wpm->continuationPrefix() : std::string();
        for (std::size_t i = 0; i < vocab.size(); ++i) {
            const auto id = static_cast<TokenId>(i);
            const std::string& text = vocab.tokens[i];
            std::string& piece = pieces[i];
            switch (vocab.type(id)) {
            case TokenType::Control:
            case TokenType::Unknown:
            case TokenType::Unused:
                piece = text;
                hidden[i] = true;
                continue;
            case TokenType::UserDefined:
                piece = text;
                continue;
            case TokenType::Byte:
                if (const int b = byteTokenValue(text); b >= 0) {
                    piece.assign(1, static_cast<char>(b));
                    continue;
                }
                break;
            case TokenType::Normal:
            case TokenType::Undefined:
                break;
            }
            switch (vocab.kind) {
            case TokenizerKind::SentencePiece:
                piece = replaceSpaceMarks(text);
                break;
            case TokenizerKind::BytePairEncoding:
                alphabet.decodeInto(piece, text);
                break;
            case TokenizerKind::WordPiece:
                if (!wordPrefix.empty()) {
                    piece = text.rfind(wordPrefix, 0) == 0 ? " " + text.substr(wordPrefix.size())
                                                           : text;
                } else {
                    piece = text.rfind(continuationPrefix, 0) == 0
                                ? text.substr(continuationPrefix.size())
                                : " " + text;
                }
                break;
            }
        }
    }
};

Tokenizer::Tokenizer(Vocabulary vocabulary) {
    vocabulary.validate();
    impl_ = std::make_unique<Impl>(std::move(vocabulary));
}

Tokenizer Tokenizer::fromGguf(const gguf::GgufFile& file) {
    return Tokenizer(loadVocabulary(file));
}

Tokenizer::~Tokenizer() = default;
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;

std::vector<TokenId> Tokenizer::encode(std::string_view text, const EncodeOptions& options) const {
    const Impl& m = *impl_;
    std::vector<TokenId> out;
    out.reserve(text.size() / 3 + 4);

    const bool addBos = options.addBos.value_or(m.addBos);
    const bool addEos = options.addEos.value_or(m.addEos);
    if (addBos) {
        if (!m.startToken)
            throw Error(ErrorKind::Invalid,
                        m.vocab.source + ": the vocabulary has no BOS token to add");
        out.push_back(*m.startToken);
    }

    std::vector<Fragment> fragments;
    m.specials.split(text, options.parseSpecial, fragments);
    bool afterSpecial = true; // SentencePiece puts a space before text that starts a fragment run
    for (const Fragment& f : fragments) {
        if (f.token >= 0) {
            out.push_back(f.token);
            afterSpecial = true;
            continue;
        }
        if (m.spm)
            m.spm->encode(f.text, m.addSpacePrefix && afterSpecial, out);
        else if (m.bpe)
            m.bpe->encode(f.text, out);
        else
            m.wpm->encode(f.text, out);
        afterSpecial = false;
    }

    if (addEos) {
        if (!m.endToken)
            throw Error(ErrorKind::Invalid,
                        m.vocab.source + ": the vocabulary has no EOS token to add");
        out.push_back(*m.endToken);
    }
    return out;
}

void Tokenizer::checkId(TokenId id) const {
    if (!impl_->vocab.contains(id))
        throw Error(ErrorKind::Invalid, "token id " + std::to_string(id) +
                                            " is outside the vocabulary (0.." +
                                            std::to_string(impl_->vocab.size() - 1) + ")");
}

void Tokenizer::appendPiece(TokenId id, const DecodeOptions& options, bool& atStart,
                            std::string& out) const {
    checkId(id);
    const Impl& m = *impl_;
    if (m.hidden[std::size_t(id)] && !options.renderSpecial) return;
    std::string_view piece = m.pieces[std::size_t(id)];
    if (piece.empty()) return;
    if (atStart && m.stripLeadingSpace && piece.front() == ' ') piece.remove_prefix(1);
    atStart = false;
    out.append(piece);
}

std::string Tokenizer::decode(std::span<const TokenId> ids, const DecodeOptions& options) const {
    std::string out;
    bool atStart = true;
    for (TokenId id : ids) appendPiece(id, options, atStart, out);
    return out;
}

const std::string& Tokenizer::piece(TokenId id) const {
    checkId(id);
    return impl_->pieces[std::size_t(id)];
}

const Vocabulary& Tokenizer::vocabulary() const {
    return impl_->vocab;
}
std::size_t Tokenizer::size() const {
    return impl_->vocab.size();
}
TokenizerKind Tokenizer::kind() const {
    return impl_->vocab.kind;
}
const std::string& Tokenizer::preTokenizer() const {
    return impl_->preset.name;
}
std::optional<TokenId> Tokenizer::bos() const {
    return impl_->startToken;
}
std::optional<TokenId> Tokenizer::eos() const {
    return impl_->endToken;
}
bool Tokenizer::addsBosByDefault() const {
    return impl_->addBos;
}
bool Tokenizer::addsEosByDefault() const {
    return impl_->addEos;
}
const std::vector<std::string>& Tokenizer::notes() const {
    return impl_->notes;
}

const std::vector<TokenId>& Tokenizer::endOfGeneration() const {
    return impl_->endOfGeneration;
}

bool Tokenizer::isEndOfGeneration(TokenId id) const {
    const auto& eog = impl_->endOfGeneration;
    return std::find(eog.begin(), eog.end(), id) != eog.end();
}

bool Tokenizer::isControl(TokenId id) const {
    checkId(id);
    const TokenType t = impl_->vocab.type(id);
    return t == TokenType::Control || t == TokenType::Unknown;
}

} // namespace atelier::tokenizer
