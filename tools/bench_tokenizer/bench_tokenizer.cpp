// Tokenizer throughput on about 1 MB of English text, one thread (not a test: numbers go to
// docs/benchmarks.md).
//
//   bench_tokenizer [--runs N] [--bytes N] [--text FILE]... VOCAB.gguf...
//
// Without --text the corpus is the license texts in /usr/share/common-licenses (real English
// prose shipped with Debian), repeated until the size is reached; each repetition changes the
// case of some words so that the text is not the same block over and over. Prints one line per
// vocabulary with the median of the runs: wall-clock time, and the thread's CPU time (the
// single-core figure, which stays meaningful on a machine busy with other work).
#include "inference/gguf/gguf_file.hpp"
#include "inference/tokenizer/tokenizer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <time.h>
#include <vector>

namespace {

using namespace atelier;

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string defaultSources() {
    std::vector<std::filesystem::path> files;
    const std::filesystem::path dir = "/usr/share/common-licenses";
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.is_regular_file() && !entry.is_symlink()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::string text;
    for (const auto& f : files) text += readFile(f) + "\n\n";
    return text;
}

// Repetition r flips the case of the first letter of every word whose position hits r.
std::string varied(const std::string& base, std::size_t repetition) {
    if (repetition == 0) return base;
    std::string out = base;
    std::size_t word = 0;
    bool inWord = false;
    for (char& c : out) {
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (letter && !inWord && (word++ % 7) == repetition % 7) {
            c = (c >= 'a' && c <= 'z') ? char(c - 32) : char(c + 32);
        }
        inWord = letter;
    }
    return out;
}

std::string buildCorpus(const std::string& base, std::size_t bytes) {
    std::string text;
    for (std::size_t r = 0; text.size() < bytes; ++r) text += varied(base, r);
    text.resize(bytes);
    // Do not end inside a UTF-8 character.
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80)
        text.pop_back();
    if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.pop_back();
    return text;
}

const char* kindName(tokenizer::TokenizerKind k) {
    switch (k) {
    case tokenizer::TokenizerKind::SentencePiece:
        return "spm";
    case tokenizer::TokenizerKind::BytePairEncoding:
        return "bpe";
    case tokenizer::TokenizerKind::WordPiece:
        return "wpm";
    }
    return "?";
}

double threadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

int usage() {
    std::fprintf(stderr, "usage: bench_tokenizer [--runs N] [--bytes N] [--text FILE]... "
                         "VOCAB.gguf...\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    int runs = 7;
    std::size_t bytes = 1000000;
    std::vector<std::string> textFiles, vocabs;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if ((a == "--runs" || a == "--bytes" || a == "--text") && i + 1 >= argc) return usage();
        if (a == "--runs")
            runs = std::max(1, std::atoi(argv[++i]));
        else if (a == "--bytes")
            bytes = std::max<long long>(1, std::atoll(argv[++i]));
        else if (a == "--text")
            textFiles.push_back(argv[++i]);
        else if (!a.empty() && a[0] == '-')
            return usage();
        else
            vocabs.push_back(a);
    }
    if (vocabs.empty()) return usage();

    std::string base;
    for (const auto& f : textFiles) base += readFile(f);
    if (textFiles.empty()) base = defaultSources();
    if (base.empty()) {
        std::fprintf(stderr, "bench_tokenizer: no text (give --text FILE)\n");
        return 1;
    }
    const std::string corpus = buildCorpus(base, bytes);
    std::printf("text: %zu bytes (%s), %d runs, medians, MB = 10^6 bytes\n", corpus.size(),
                textFiles.empty() ? "/usr/share/common-licenses, varied" : "from --text", runs);
    std::printf("%-28s %-4s %-14s %9s %9s %9s %9s %9s\n", "vocabulary", "kind", "pre", "tokens",
                "wall s", "MB/s", "cpu s", "cpu MB/s");
    try {
        for (const auto& path : vocabs) {
            const auto file = gguf::GgufFile::open(path);
            const auto tok = tokenizer::Tokenizer::fromGguf(file);
            tokenizer::EncodeOptions options;
            options.addBos = false;
            options.addEos = false;
            std::vector<double> wall, cpu;
            std::size_t count = 0;
            for (int r = 0; r < runs; ++r) {
                const double cpuStart = threadCpuSeconds();
                const auto start = std::chrono::steady_clock::now();
                count = tok.encode(corpus, options).size();
                const auto end = std::chrono::steady_clock::now();
                cpu.push_back(threadCpuSeconds() - cpuStart);
                wall.push_back(std::chrono::duration<double>(end - start).count());
            }
            const double wallMedian = median(wall), cpuMedian = median(cpu);
            const double megabytes = double(corpus.size()) / 1e6;
            const std::string name = std::filesystem::path(path).filename().string();
            const std::string pre =
                tok.kind() == tokenizer::TokenizerKind::BytePairEncoding ? tok.preTokenizer() : "-";
            std::printf("%-28s %-4s %-14s %9zu %9.4f %9.2f %9.4f %9.2f\n", name.c_str(),
                        kindName(tok.kind()), pre.c_str(), count, wallMedian,
                        megabytes / wallMedian, cpuMedian, megabytes / cpuMedian);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_tokenizer: %s\n", e.what());
        return 1;
    }
    return 0;
}
