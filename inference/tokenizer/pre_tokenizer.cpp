#include "inference/tokenizer/pre_tokenizer.hpp"

#include "inference/util/error.hpp"
#include "inference/util/utf8_decode.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <algorithm>
#include <pcre2.h>

namespace atelier::tokenizer {

namespace {

// The expressions below are the published pre-tokenizer patterns of the models' Hugging Face
// tokenizer.json files (and llama.cpp's "default" sequence for files that name none).

const char* const kGpt2 =
    R"re('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)re";

const char* const kLlama3 =
    R"re((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";

const char* const kQwen2 =
    R"re((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";

const char* const kTekken =
    R"re([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";

const char* const kGpt4o =
    R"re([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";

const char* const kSeedCoder =
    R"re((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1}| ?[^\s\p{L}\p{N}\r\n]+|\s*[\r\n]+|\s+(?!\S)|\s+)re";

// CJK ideographs and Hangul as DeepSeek's tokenizers group them.
const char* const kDeepseekCjk = R"re([\x{4E00}-\x{9FA5}\x{0800}-\x{4E00}\x{AC00}-\x{D7FF}]+)re";

// DeepSeek LLM's letter class (cased letters of many scripts), written as code points.
const char* const kDeepseekLetters =
    R"re(\s?[\x{41}-\x{5A}\x{61}-\x{7A}\x{B5}\x{C0}-\x{D6}\x{D8}-\x{F6}\x{F8}-\x{1BA}\x{1BC}-\x{1BF})re"
    R"re(\x{1C4}-\x{293}\x{295}-\x{2AF}\x{370}-\x{373}\x{376}\x{377}\x{37B}-\x{37D}\x{37F}\x{386})re"
    R"re(\x{388}-\x{38A}\x{38C}\x{38E}-\x{3A1}\x{3A3}-\x{3F5}\x{3F7}-\x{481}\x{48A}-\x{52F})re"
    R"re(\x{531}-\x{556}\x{10A0}-\x{10C5}\x{13A0}-\x{13F5}\x{13F8}-\x{13FD}\x{1C90}-\x{1CBA})re"
    R"re(\x{1CBD}-\x{1CBF}\x{1D00}-\x{1D2B}\x{1D6B}-\x{1D77}\x{1D79}-\x{1D9A}\x{1E00}-\x{1F15})re"
    R"re(\x{1F18}-\x{1F1D}\x{1F20}-\x{1F45}\x{1F48}-\x{1F4D}\x{1F50}-\x{1F57}\x{1F59}\x{1F5B})re"
    R"re(\x{1F5D}\x{1F5F}-\x{1F7D}\x{1F80}-\x{1FB4}\x{1FB6}-\x{1FBC}\x{1FBE}\x{1FC2}-\x{1FC4})re"
    R"re(\x{1FC6}-\x{1FCC}\x{1FD0}-\x{1FD3}\x{1FD6}-\x{1FDB}\x{1FE0}-\x{1FEC}\x{1FF2}-\x{1FF4})re"
    R"re(\x{1FF6}-\x{1FFC}\x{2102}\x{2107}\x{210A}-\x{2113}\x{2115}\x{2119}-\x{211D}\x{2124})re"
    R"re(\x{2126}\x{2128}\x{212A}-\x{212D}\x{212F}-\x{2134}\x{2139}\x{213C}-\x{213F})re"
    R"re(\x{2145}-\x{2149}\x{214E}\x{2183}\x{2184}\x{2C00}-\x{2C7B}\x{2C7E}-\x{2CE4})re"
    R"re(\x{2CEB}-\x{2CEE}\x{2CF2}\x{2CF3}\x{A640}-\x{A66D}\x{A680}-\x{A69B}\x{A722}-\x{A76F})re"
    R"re(\x{A771}-\x{A787}\x{A78B}-\x{A78E}\x{AB70}-\x{ABBF}\x{FB00}-\x{FB06}\x{FB13}-\x{FB17})re"
    R"re(\x{FF21}-\x{FF3A}\x{FF41}-\x{FF5A}\x{10400}-\x{1044F}\x{104B0}-\x{104D3})re"
    R"re(\x{104D8}-\x{104FB}\x{10C80}-\x{10CB2}\x{10CC0}-\x{10CF2}\x{118A0}-\x{118DF})re"
    R"re(\x{1E900}-\x{1E943}]+)re";

const char* const kDeepseekPunct =
    R"re(\s?[!-/:-~\x{FF01}-\x{FF0F}\x{FF1A}-\x{FF5E}\x{2018}-\x{201F}\x{3000}-\x{3002}]+)re";

const char* const kDeepseekV3Main =
    R"re([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";

const char* const kBloom =
    R"re( ?[^(\s|.,!?\x{2026}\x{3002}\x{FF0C}\x{3001}\x{0964}\x{06D4}\x{060C})]+)re";

struct PresetRule {
    std::vector<const char*> names;
    std::vector<const char*> patterns;
    bool ignoreMerges;
    std::optional<bool> addBos;
};

const std::vector<PresetRule>& rules() {
    static const std::vector<PresetRule> table = {
        {{"default"},
         {R"re([\p{P}\$\+<=>\^~\|]+)re", kGpt2, R"re(\p{N}+)re", R"re([0-9][0-9][0-9])re"},
         false,
         std::nullopt},
        {{"llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2"},
         {kLlama3},
         true,
         true},
        {{"dbrx", "smaug-bpe", "chatglm-bpe", "glm4"}, {kLlama3}, false, std::nullopt},
        {{"qwen2", "deepseek-r1-qwen", "stablelm2", "megrez", "hunyuan"},
         {kQwen2},
         false,
         std::nullopt},
        {{"deepseek-llm"},
         {R"re([\r\n])re", kDeepseekLetters, kDeepseekPunct, R"re(\s+$)re", kDeepseekCjk,
          R"re(\p{N}+)re"},
         false,
         std::nullopt},
        {{"deepseek-coder"},
         {R"re([\r\n])re", R"re(\s?\p{L}+)re", R"re(\s?\p{P}+)re", kDeepseekCjk, R"re(\p{N})re"},
         false,
         std::nullopt},
        {{"deepseek-v3"},
         {R"re(\p{N}{1,3})re", R"re([\x{4E00}-\x{9FA5}\x{3040}-\x{309F}\x{30A0}-\x{30FF}]+)re",
          kDeepseekV3Main},
         false,
         std::nullopt},
        // Falcon: Punctuation, ByteLevel (GPT-2 regex), Digits on the byte-level text, then
        // groups of three ASCII digits.
        {{"falcon"},
         {R"re([\p{P}\$\+<=>\^~\|`]+)re", kGpt2, kByteLevelDigitsStep.data(),
          R"re([0-9][0-9][0-9])re"},
         false,
         std::nullopt},
        {{"starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b"},
         {R"re(\p{N})re", kGpt2},
         false,
         std::nullopt},
        {{"gpt-2", "gpt2", "mpt", "olmo", "jais", "phi-2", "jina-es", "jina-de", "jina-v1-en",
          "jina-v2-es", "jina-v2-de", "jina-v2-code", "roberta-bpe", "gigachat", "exaone4",
          "trillion", "granite-docling"},
         {kGpt2},
         false,
         std::nullopt},
        {{"tekken"}, {kTekken}, true, true},
        {{"gpt-4o", "llama4"}, {kGpt4o}, false, std::nullopt},
        {{"seed-coder"}, {kSeedCoder}, false, std::nullopt},
        {{"poro-chat", "bloom", "gpt3-finnish"}, {kBloom}, false, std::nullopt},
        {{"viking"}, {kBloom, R"re(\p{N})re"}, false, std::nullopt},
    };
    return table;
}

PreTokenizerPreset fromRule(const PresetRule& rule, bool known) {
    PreTokenizerPreset p;
    p.name = *rule.names.begin();
    for (const char* pattern : rule.patterns) p.patterns.emplace_back(pattern);
    p.ignoreMerges = rule.ignoreMerges;
    p.addBos = rule.addBos;
    p.known = known;
    return p;
}

} // namespace

PreTokenizerPreset preTokenizerPreset(std::string_view preName) {
    for (const PresetRule& rule : rules())
        for (const char* name : rule.names)
            if (preName == name) return fromRule(rule, true);
    // An empty name is what old converters wrote; it means the default, knowingly.
    return fromRule(rules().front(), preName.empty());
}

std::vector<std::string> knownPreTokenizers() {
    std::vector<std::string> names;
    for (const PresetRule& rule : rules())
        for (const char* name : rule.names) names.emplace_back(name);
    return names;
}

// ---------------------------------------------------------------------------------------------

namespace {

std::string pcreMessage(int code) {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(code, buffer, sizeof buffer);
    return reinterpret_cast<const char*>(buffer);
}

// Per-thread match state: match data (one pair is all we read) and a JIT stack large enough
// for long runs of backtracking patterns such as \s+(?!\S).
struct MatchScratch {
    pcre2_match_data* data = nullptr;
    pcre2_match_context* context = nullptr;
    pcre2_jit_stack* jitStack = nullptr;

    MatchScratch() {
        data = pcre2_match_data_create(1, nullptr);
        context = pcre2_match_context_create(nullptr);
        jitStack = pcre2_jit_stack_create(64 * 1024, 8 * 1024 * 1024, nullptr);
        if (context && jitStack) pcre2_jit_stack_assign(context, nullptr, jitStack);
    }
    ~MatchScratch() {
        if (jitStack) pcre2_jit_stack_free(jitStack);
        if (context) pcre2_match_context_free(context);
        if (data) pcre2_match_data_free(data);
    }
    MatchScratch(const MatchScratch&) = delete;
    MatchScratch& operator=(const MatchScratch&) = delete;
};

MatchScratch& scratch() {
    thread_local MatchScratch s;
    if (!s.data) throw std::bad_alloc();
    return s;
}

} // namespace

// Bytes whose GPT-2 alphabet stand-in is a numeric character.
bool isByteLevelDigit(unsigned char b) {
    return (b >= '0' && b <= '9') || b == 0xB2 || b == 0xB3 || b == 0xB9 || b == 0xBC ||
           b == 0xBD || b == 0xBE;
}

void splitByteLevelDigits(std::string_view piece, std::vector<std::string_view>& out) {
    std::size_t start = 0;
    for (std::size_t i = 1; i <= piece.size(); ++i) {
        if (i == piece.size() || isByteLevelDigit(static_cast<unsigned char>(piece[i])) !=
                                     isByteLevelDigit(static_cast<unsigned char>(piece[i - 1]))) {
            out.push_back(piece.substr(start, i - start));
            start = i;
        }
    }
}

struct RegexSplitter::Impl {
    std::vector<pcre2_code*> codes; // nullptr: the byte-level digits step

    ~Impl() {
        for (pcre2_code* c : codes) pcre2_code_free(c);
    }

    // Splits one piece with one expression, appending matches and the gaps between them.
    void splitPiece(pcre2_code* code, std::string_view piece,
                    std::vector<std::string_view>& out) const {
        MatchScratch& s = scratch();
        const auto* subject = reinterpret_cast<PCRE2_SPTR>(piece.data());
        const PCRE2_SIZE length = piece.size();
        PCRE2_SIZE searchFrom = 0;
        PCRE2_SIZE gapStart = 0;
        while (searchFrom <= length) {
            int rc = pcre2_match(code, subject, length, searchFrom, PCRE2_NO_UTF_CHECK, s.data,
                                 s.context);
            if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
                // The JIT stack can run out on pathological input; the interpreter cannot.
                rc = pcre2_match(code, subject, length, searchFrom,
                                 PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, s.data, s.context);
            }
            if (rc == PCRE2_ERROR_NOMATCH) break;
            if (rc < 0)
                throw Error(ErrorKind::Invalid, "pre-tokenizer regex failed: " + pcreMessage(rc));
            const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(s.data);
            const PCRE2_SIZE start = ov[0], end = ov[1];
            if (start > gapStart) out.push_back(piece.substr(gapStart, start - gapStart));
            if (end > start) {
                out.push_back(piece.substr(start, end - start));
                gapStart = end;
                searchFrom = end;
            } else {
                // An empty match only marks a split point; step over one character.
                gapStart = start;
                if (start >= length) break;
                std::size_t n = utf8SequenceLength(piece, start);
                searchFrom = start + (n ? n : 1);
            }
        }
        if (gapStart < length) out.push_back(piece.substr(gapStart));
    }
};

RegexSplitter::RegexSplitter(const std::vector<std::string>& patterns)
    : impl_(std::make_unique<Impl>()) {
    // After a byte-level step pieces may end inside a character, and the reference runs later
    // steps on byte-level text (one character per byte): those patterns match bytes, not UTF-8.
    bool byteMode = false;
    for (const std::string& pattern : patterns) {
        if (pattern == kByteLevelDigitsStep) {
            impl_->codes.push_back(nullptr);
            byteMode = true;
            continue;
        }
        int error = 0;
        PCRE2_SIZE offset = 0;
        pcre2_code* code =
            pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                          byteMode ? 0 : PCRE2_UTF | PCRE2_UCP, &error, &offset, nullptr);
        if (!code)
            throw Error(ErrorKind::Invalid, "pre-tokenizer regex does not compile at offset " +
                                                std::to_string(offset) + ": " + pcreMessage(error));
        impl_->codes.push_back(code);
        // JIT is an optimisation: when it is unavailable the interpreter runs the same pattern.
        pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    }
}

RegexSplitter::~RegexSplitter() = default;
RegexSplitter::RegexSplitter(RegexSplitter&&) noexcept = default;
RegexSplitter& RegexSplitter::operator=(RegexSplitter&&) noexcept = default;

void RegexSplitter::split(std::string_view text, std::vector<std::string_view>& pieces) const {
    std::vector<std::string_view> current, next;
    auto splitValidRun = [&](std::string_view run) {
        current.assign(1, run);
        for (pcre2_code* code : impl_->codes) {
            next.clear();
            for (std::string_view piece : current) {
                if (code)
                    impl_->splitPiece(code, piece, next);
                else
                    splitByteLevelDigits(piece, next);
            }
            current.swap(next);
        }
        pieces.insert(pieces.end(), current.begin(), current.end());
    };
    // PCRE2 in UTF mode needs valid UTF-8: cut the text into valid runs, and let every invalid
    // byte be a piece of its own (byte-level BPE can still encode it losslessly).
    std::size_t runStart = 0, pos = 0;
    while (pos < text.size()) {
        const std::size_t n = utf8SequenceLength(text, pos);
        if (n != 0) {
            pos += n;
            continue;
        }
        if (pos > runStart) splitValidRun(text.substr(runStart, pos - runStart));
        pieces.push_back(text.substr(pos, 1));
        runStart = ++pos;
    }
    if (pos > runStart) splitValidRun(text.substr(runStart, pos - runStart));
}

} // namespace atelier::tokenizer
