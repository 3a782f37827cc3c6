// atelier-cli generate / chat / bench: the LLM engine from the terminal.
//   generate: raw completion of a prompt (no chat template); only the generated text on stdout,
//             statistics on stderr.
//   chat:     an interactive conversation through the model's chat template, reusing the KV
//             cache of the conversation so far on every turn.
//   bench:    prefill and decode speed as one JSON line.
#include "args.hpp"
#include "command.hpp"
#include "inference/compute/cpu/cpu_backend.hpp"
#include "inference/llm/backend_factory.hpp"
#include "inference/llm/chat_prompt.hpp"
#include "inference/llm/llm_engine.hpp"
#include "inference/llm/session.hpp"
#include "inference/util/error.hpp"

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace atelier::cli {

// cli_chat_message.cpp: `chat --message TEXT`, one turn stored in the app's database.
int runChatMessage(std::span<const std::string> argv);

namespace {

using namespace atelier::llm;

struct ModelOptions {
    std::string path;
    LoadParams load;
    int context = 0;
};

ModelOptions modelOptions(Args& args) {
    ModelOptions o;
    auto model = args.option({"-m", "--model"});
    if (!model || model->empty()) throw UsageError("-m FILE.gguf is required");
    o.path = *model;
    if (auto b = args.option({"--backend"})) o.load.backend = *b;
    if (auto n = args.integer({"--gpu-layers", "-ngl"}, -1, 100000)) o.load.gpuLayers = int(*n);
    if (auto n = args.integer({"--threads", "-t"}, 0, 1024)) o.load.threads = int(*n);
    if (auto n = args.integer({"--ctx", "-c"}, 0, 1 << 20)) o.context = int(*n);
    try {
        parseBackendName(o.load.backend);
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
    return o;
}

SamplingParams samplingOptions(Args& args) {
    SamplingParams s;
    if (auto v = args.number({"--temp"}, 0.0, 100.0)) s.temperature = float(*v);
    if (auto v = args.number({"--top-p"}, 0.0, 1.0)) s.topP = float(*v);
    if (auto v = args.integer({"--top-k"}, 0, 1 << 20)) s.topK = int(*v);
    if (auto v = args.number({"--min-p"}, 0.0, 1.0)) s.minP = float(*v);
    if (auto v = args.number({"--repeat-penalty"}, 0.01, 100.0)) s.repeatPenalty = float(*v);
    if (auto v = args.integer({"--seed", "-s"}, -1, (1LL << 62))) s.seed = *v;
    return s;
}

std::shared_ptr<const LlmModel> loadModel(const ModelOptions& o) {
    return LlmEngine::load({o.path}, o.load);
}

void writeOut(std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

void printStats(const char* command, const GenerationStats& s) {
    std::fprintf(stderr,
                 "atelier-cli %s: prompt %lld tokens (%lld cached, %lld processed, %.1f tok/s), "
                 "generated %lld tokens (%.1f tok/s), first token after %.3f s, stop: %s, "
                 "seed %llu",
                 command, (long long)s.promptTokens, (long long)s.cachedTokens,
                 (long long)s.processedTokens, s.prefillTokensPerSecond(),
                 (long long)s.generatedTokens, s.decodeTokensPerSecond(), s.timeToFirstTokenSeconds,
                 std::string(stopReasonName(s.stopReason)).c_str(), (unsigned long long)s.seed);
    if (s.droppedTokens > 0)
        std::fprintf(stderr, ", dropped %lld old tokens to fit the context",
                     (long long)s.droppedTokens);
    std::fprintf(stderr, "\n");
}

// ---- generate --------------------------------------------------------------------------

int runGenerate(std::span<const std::string> argv) {
    Args args(argv);
    const ModelOptions options = modelOptions(args);
    const std::string prompt = args.option({"-p", "--prompt"}).value_or("");
    const int maxTokens = int(args.integer({"-n", "--n-predict"}, 0, 1 << 20).value_or(128));
    const SamplingParams sampling = samplingOptions(args);
    args.finish();

    const auto model = loadModel(options);
    const tokenizer::Tokenizer& tok = model->tokenizer();
    GenerateRequest request;
    request.sampling = sampling;
    request.maxTokens = maxTokens;
    tokenizer::EncodeOptions encode; // BOS as the metadata says
    encode.parseSpecial = true;
    request.prompt = tok.encode(prompt, encode);
    if (request.prompt.empty()) {
        if (!tok.bos())
            throw Error(ErrorKind::Invalid,
                        model->path() + ": the model has no BOS token; give a prompt with -p");
        request.prompt.push_back(*tok.bos());
    }
    std::fprintf(stderr, "atelier-cli generate: %s on %s\n", model->hparams().architecture.c_str(),
                 model->backendDescription().c_str());

    LlmSession session(model, {.contextLength = options.context});
    const GenerateResult result =
        session.generate(request, [](const TokenPiece& piece) { writeOut(piece.text); });
    std::fprintf(stderr, "\n"); // stdout holds the generated text only
    printStats("generate", result.stats);
    return kExitOk;
}

// ---- chat --------------------------------------------------------------------------------

int runChat(std::span<const std::string> argv) {
    for (const std::string& a : argv)
        if (a == "--message" || a.starts_with("--message=")) return runChatMessage(argv);
    Args args(argv);
    const ModelOptions options = modelOptions(args);
    const std::optional<std::string> system = args.option({"--system"});
    const int maxTokens = int(args.integer({"-n", "--n-predict"}, 1, 1 << 20).value_or(1024));
    const SamplingParams sampling = samplingOptions(args);
    args.finish();

    const auto model = loadModel(options);
    LlmSession session(model, {.contextLength = options.context});
    const ChatPromptBuilder builder(*model);
    std::vector<chat::ChatMessage> messages;
    if (system && !system->empty()) messages.push_back({"system", *system});
    std::fprintf(stderr, "atelier-cli chat: %s on %s, context %lld tokens. End with Ctrl-D.\n",
                 model->hparams().architecture.c_str(), model->backendDescription().c_str(),
                 (long long)session.contextLength());

    std::string line;
    for (;;) {
        std::fprintf(stderr, "> ");
        std::fflush(stderr);
        if (!std::getline(std::cin, line)) break;
        if (line.empty()) continue;
        messages.push_back({"user", line});

        const std::int64_t reserve = std::min<std::int64_t>(maxTokens, session.contextLength() / 2);
        const ChatPrompt prompt =
            builder.build(messages, std::size_t(session.contextLength() - reserve));
        if (prompt.droppedMessages > 0) {
            std::fprintf(stderr, "(the %zu oldest messages no longer fit the context)\n",
                         prompt.droppedMessages);
            const std::ptrdiff_t first = messages.front().role == "system" ? 1 : 0;
            messages.erase(messages.begin() + first,
                           messages.begin() + first + std::ptrdiff_t(prompt.droppedMessages));
        }
        GenerateRequest request;
        request.prompt = prompt.tokens;
        request.protectedPrefix = prompt.protectedPrefix;
        request.sampling = sampling;
        request.maxTokens = maxTokens;
        const GenerateResult result =
            session.generate(request, [](const TokenPiece& piece) { writeOut(piece.text); });
        writeOut("\n");
        printStats("chat", result.stats);
        messages.push_back({"assistant", result.text});
    }
    return kExitOk;
}

// ---- bench -------------------------------------------------------------------------------

struct MeanDev {
    double mean = 0, stddev = 0;
};

MeanDev meanDev(const std::vector<double>& v) {
    MeanDev m;
    for (double x : v) m.mean += x;
    m.mean /= double(v.size());
    for (double x : v) m.stddev += (x - m.mean) * (x - m.mean);
    m.stddev = v.size() > 1 ? std::sqrt(m.stddev / double(v.size() - 1)) : 0.0;
    return m;
}

int runBench(std::span<const std::string> argv) {
    Args args(argv);
    ModelOptions options = modelOptions(args);
    const int promptTokens = int(args.integer({"-p", "--n-prompt"}, 1, 1 << 20).value_or(128));
    const int genTokens = int(args.integer({"-n", "--n-gen"}, 1, 1 << 20).value_or(32));
    const int reps = int(args.integer({"--reps", "-r"}, 1, 1000).value_or(3));
    args.finish();

    const auto model = loadModel(options);
    const int context = options.context > 0 ? options.context : promptTokens + genTokens + 16;
    LlmSession session(model, {.contextLength = context, .batchSize = std::min(promptTokens, 512)});

    // A fixed prompt of ordinary tokens (BOS first), as llama-bench uses arbitrary tokens.
    const tokenizer::Tokenizer& tok = model->tokenizer();
    GenerateRequest request;
    if (tok.bos()) request.prompt.push_back(*tok.bos());
    for (TokenId id = 0; int(request.prompt.size()) < promptTokens;
         id = (id + 7) % TokenId(tok.size()))
        if (!tok.isControl(id)) request.prompt.push_back(id);
    request.sampling.temperature = 0.0f;
    request.maxTokens = genTokens + 1; // genTokens forward passes after the first token
    request.stopAtEndOfGeneration = false;

    std::vector<double> prefill, decode;
    for (int rep = -1; rep < reps; ++rep) { // rep -1 warms up
        session.clear();
        const GenerateResult r = session.generate(request);
        if (rep < 0) continue;
        prefill.push_back(r.stats.prefillTokensPerSecond());
        decode.push_back(r.stats.decodeTokensPerSecond());
    }

    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    int threads = options.load.threads;
    if (auto* cpu = dynamic_cast<const compute::cpu::CpuBackend*>(&model->cpuBackend()))
        threads = cpu->threads();
    const MeanDev p = meanDev(prefill), d = meanDev(decode);
    QJsonObject o;
    o["model"] = QString::fromStdString(model->path());
    o["architecture"] = QString::fromStdString(model->hparams().architecture);
    o["backend"] = QString::fromStdString(model->backendDescription());
    o["threads"] = threads;
    o["n_prompt"] = promptTokens;
    o["n_gen"] = genTokens;
    o["reps"] = reps;
    o["prefill_tps_mean"] = p.mean;
    o["prefill_tps_stddev"] = p.stddev;
    o["decode_tps_mean"] = d.mean;
    o["decode_tps_stddev"] = d.stddev;
    o["peak_rss_bytes"] = double(usage.ru_maxrss) * 1024.0;
    o["file_size"] = double(model->fileSize());
    std::cout << QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString() << std::endl;
    return kExitOk;
}

const char* const kModelOptions =
    "  --backend B       cpu (default), vulkan or vulkan:N (device N)\n"
    "  --gpu-layers N    with vulkan: layers on the device, the first ones stay on the CPU\n"
    "                    (-1 = all, the default)\n"
    "  --threads N       CPU threads (default: physical cores)\n"
    "  --ctx N           context length (default: the model's, at most 4096)\n";

const char* const kSamplingOptions =
    "  --temp T          temperature (default 0.8; 0 = greedy)\n"
    "  --top-p P         nucleus sampling (default 0.95; 1 = off)\n"
    "  --top-k K         keep the K most likely tokens (default 40; 0 = off)\n"
    "  --min-p P         drop tokens below P x the top probability (default 0.05)\n"
    "  --repeat-penalty R  penalise the last 64 tokens (default 1.0 = off)\n"
    "  --seed S          random seed (default -1 = random; the seed is printed)\n";

const Registrar generateReg{
    {"generate", "complete a prompt with a GGUF model (raw text, no chat template)",
     std::string(
         "Usage: atelier-cli generate -m FILE.gguf [-p PROMPT] [-n N] [--temp T] [--top-p P]\n"
         "         [--top-k K] [--min-p P] [--repeat-penalty R] [--seed S]\n"
         "         [--backend cpu|vulkan[:N]] [--gpu-layers N] [--threads N] [--ctx N]\n\n"
         "Continues PROMPT (BOS added as the model's metadata says; an empty prompt starts\n"
         "from BOS alone) for up to N tokens (default 128), stopping at an end-of-generation\n"
         "token. Only the generated text goes to stdout; statistics go to stderr.\n") +
         kModelOptions + kSamplingOptions,
     runGenerate}};

const Registrar chatReg{
    {"chat", "chat with a GGUF model in the terminal (its chat template)",
     std::string(
         "Usage: atelier-cli chat -m FILE.gguf [--system TEXT] [-n N] [sampling options]\n"
         "         [--backend cpu|vulkan[:N]] [--gpu-layers N] [--threads N] [--ctx N]\n\n"
         "Reads one message per line from stdin and streams each reply to stdout, through the\n"
         "model's chat template (ChatML when it has none). Each turn reuses the cached\n"
         "conversation, so only the new tokens are processed; when the conversation outgrows\n"
         "the context, the oldest messages after the system prompt are dropped (and said so\n"
         "on stderr). Replies stop at N tokens (default 1024).\n\n"
         "With --message TEXT [--conversation ID] [--db PATH], one turn instead: the message\n"
         "and the reply are added to a conversation in the app's database (a new one without\n"
         "ID), the reply is printed and the conversation id goes to stderr.\n") +
         kModelOptions + kSamplingOptions,
     runChat}};

const Registrar benchReg{
    {"bench", "measure prefill and decode speed of a GGUF model (one JSON line)",
     std::string(
         "Usage: atelier-cli bench -m FILE.gguf [-p 128] [-n 32] [--reps 3]\n"
         "         [--backend cpu|vulkan[:N]] [--gpu-layers N] [--threads N]\n\n"
         "Runs a prompt of -p tokens and -n decode steps (greedy), --reps times after one\n"
         "warm-up, and prints model, backend, threads, prefill and decode tokens/s (mean and\n"
         "standard deviation) and the peak resident memory in bytes as one JSON line.\n") +
         kModelOptions,
     runBench}};

} // namespace
} // namespace atelier::cli
