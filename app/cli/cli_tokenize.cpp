// atelier-cli tokenize / detokenize: text <-> token ids with a model's own tokenizer (any GGUF
// with tokenizer metadata, vocabulary-only files included). Both read standard input as raw
// bytes and write raw bytes, so they compose in pipes and round-trip exactly.
#include "args.hpp"
#include "command.hpp"
#include "inference/gguf/gguf_file.hpp"
#include "inference/tokenizer/tokenizer.hpp"
#include "inference/util/error.hpp"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <string>
#include <vector>

namespace atelier::cli {
namespace {

std::string readStdin() {
    std::string data;
    char buffer[1 << 16];
    for (;;) {
        const std::size_t n = std::fread(buffer, 1, sizeof buffer, stdin);
        data.append(buffer, n);
        if (n < sizeof buffer) {
            if (std::ferror(stdin)) throw std::runtime_error("cannot read standard input");
            break;
        }
    }
    return data;
}

void writeStdout(std::string_view bytes) {
    if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size())
        throw std::runtime_error("cannot write standard output");
    if (std::fflush(stdout) != 0) throw std::runtime_error("cannot write standard output");
}

std::string requireModel(Args& args) {
    auto model = args.option({"-m", "--model"});
    if (!model || model->empty()) throw UsageError("-m FILE.gguf is required");
    return *model;
}

tokenizer::Tokenizer loadTokenizer(const std::string& path, const char* command) {
    const auto file = gguf::GgufFile::open(path);
    tokenizer::Tokenizer tok = tokenizer::Tokenizer::fromGguf(file);
    for (const std::string& note : tok.notes())
        std::fprintf(stderr, "atelier-cli %s: note: %s\n", command, note.c_str());
    return tok;
}

int runTokenize(std::span<const std::string> argv) {
    Args args(argv);
    const std::string model = requireModel(args);
    tokenizer::EncodeOptions options;
    options.addBos = args.flag({"--add-bos"});
    options.addEos = args.flag({"--add-eos"});
    options.parseSpecial = args.flag({"--parse-special"});
    args.finish();

    const tokenizer::Tokenizer tok = loadTokenizer(model, "tokenize");
    const std::vector<tokenizer::TokenId> ids = tok.encode(readStdin(), options);
    std::string line;
    line.reserve(ids.size() * 6 + 1);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) line += ' ';
        line += std::to_string(ids[i]);
    }
    line += '\n';
    writeStdout(line);
    return kExitOk;
}

std::vector<tokenizer::TokenId> parseIds(const std::string& text, std::size_t vocabSize) {
    std::vector<tokenizer::TokenId> ids;
    auto isSpace = [](char c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
    };
    for (std::size_t pos = 0; pos < text.size();) {
        if (isSpace(text[pos])) {
            ++pos;
            continue;
        }
        std::size_t end = pos;
        while (end < text.size() && !isSpace(text[end])) ++end;
        const std::string word = text.substr(pos, end - pos);
        long long value = 0;
        const auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
        if (ec != std::errc() || ptr != word.data() + word.size())
            throw Error(ErrorKind::Invalid, "not a token id: '" + word + "'");
        if (value < 0 || static_cast<unsigned long long>(value) >= vocabSize)
            throw Error(ErrorKind::Invalid, "token id " + word + " is outside the vocabulary (0.." +
                                                std::to_string(vocabSize - 1) + ")");
        ids.push_back(static_cast<tokenizer::TokenId>(value));
        pos = end;
    }
    return ids;
}

int runDetokenize(std::span<const std::string> argv) {
    Args args(argv);
    const std::string model = requireModel(args);
    tokenizer::DecodeOptions options;
    options.renderSpecial = args.flag({"--special"});
    args.finish();

    const tokenizer::Tokenizer tok = loadTokenizer(model, "detokenize");
    const std::vector<tokenizer::TokenId> ids = parseIds(readStdin(), tok.size());
    writeStdout(tok.decode(ids, options));
    return kExitOk;
}

Registrar tokenizeReg{
    {"tokenize", "text on standard input -> token ids",
     "Usage: atelier-cli tokenize -m FILE.gguf [--add-bos] [--add-eos] [--parse-special]\n\n"
     "Reads all of standard input as raw bytes (nothing is trimmed) and prints the token ids\n"
     "of the model's tokenizer on one line, separated by single spaces.\n"
     "  --add-bos        start with the BOS token ([CLS] for WordPiece vocabularies)\n"
     "  --add-eos        end with the EOS token ([SEP] for WordPiece vocabularies)\n"
     "  --parse-special  read control tokens written in the text (\"<|im_start|>\") as those\n"
     "                   tokens; otherwise they are tokenized as plain text\n",
     runTokenize}};

Registrar detokenizeReg{
    {"detokenize", "token ids on standard input -> text",
     "Usage: atelier-cli detokenize -m FILE.gguf [--special]\n\n"
     "Reads whitespace-separated token ids from standard input and writes the text they stand\n"
     "for to standard output as raw bytes, without an added newline. An id that is not a\n"
     "number or lies outside the vocabulary exits with 1.\n"
     "  --special  write control tokens (BOS, EOS, ...) as their text instead of omitting them\n",
     runDetokenize}};

} // namespace
} // namespace atelier::cli
