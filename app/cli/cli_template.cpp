// atelier-cli render-template: renders a chat template for a conversation and prints exactly
// the prompt text (no newline added), as Hugging Face's apply_chat_template would produce it.
#include "args.hpp"
#include "command.hpp"
#include "inference/chat/chat_template.hpp"
#include "inference/chat/jinja/json.hpp"
#include "inference/chat/model_chat_info.hpp"
#include "inference/gguf/gguf_file.hpp"
#include "inference/util/error.hpp"

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

namespace atelier::cli {
namespace {

const char* const kUsage =
    "Usage: atelier-cli render-template (-m FILE.gguf | --template FILE.jinja) --messages "
    "FILE.json\n"
    "                                   [--add-generation-prompt] [--bos-token S] [--eos-token S]\n"
    "                                   [--date YYYY-MM-DD] [--merge-system-on-error]\n"
    "\n"
    "Renders a chat template for a conversation and prints exactly the prompt (no newline added).\n"
    "\n"
    "  -m, --model FILE        take the template (tokenizer.chat_template) and the BOS/EOS token\n"
    "                          texts from a GGUF model; a model without a template gets ChatML\n"
    "  --template FILE         a Jinja chat template file\n"
    "  --messages FILE         JSON: an array of messages ({\"role\": ..., \"content\": ...}), or "
    "an\n"
    "                          object {\"messages\": [...], ...} whose other keys become template\n"
    "                          variables (tools, documents, enable_thinking, ...)\n"
    "  --add-generation-prompt end with the opening of the assistant's turn\n"
    "  --bos-token S, --eos-token S\n"
    "                          token texts (default: the model's with -m, else empty)\n"
    "  --date YYYY-MM-DD       the date strftime_now() sees (default: today, local time)\n"
    "  --merge-system-on-error if the template fails and the conversation starts with a system\n"
    "                          message, put it before the first user message and render again\n"
    "\n"
    "A template that raises an error exits with status 1 and its message on stderr.\n";

std::string readFile(const std::string& path, const char* what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::Io, path + ": cannot open " + what);
    std::stringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw Error(ErrorKind::Io, path + ": cannot read " + what);
    return ss.str();
}

jinja::DateTime today() {
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return {local.tm_year + 1900, local.tm_mon + 1, local.tm_mday,
            local.tm_hour,        local.tm_min,     local.tm_sec};
}

jinja::DateTime parseDate(const std::string& text) {
    jinja::DateTime d;
    char extra = 0;
    if (text.size() != 10 ||
        std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &d.year, &d.month, &d.day, &extra) != 3)
        throw UsageError("--date: expected YYYY-MM-DD, got " + text);
    try {
        jinja::validate(d);
    } catch (const Error&) {
        throw UsageError("--date: not a calendar date: " + text);
    }
    return d;
}

int run(std::span<const std::string> argv) {
    Args args(argv);
    auto model = args.option({"-m", "--model"});
    auto templatePath = args.option({"--template"});
    auto messagesPath = args.option({"--messages"});
    bool addGenerationPrompt = args.flag({"--add-generation-prompt"});
    auto bos = args.option({"--bos-token"});
    auto eos = args.option({"--eos-token"});
    auto date = args.option({"--date"});
    bool mergeSystem = args.flag({"--merge-system-on-error"});
    args.finish();
    if (model.has_value() == templatePath.has_value())
        throw UsageError("give exactly one of -m FILE.gguf or --template FILE.jinja");
    if (!messagesPath) throw UsageError("--messages FILE.json is required");

    chat::ChatRenderRequest request;
    request.addGenerationPrompt = addGenerationPrompt;
    request.now = date ? parseDate(*date) : today();

    std::optional<std::string> source;
    if (model) {
        gguf::GgufFile file = gguf::GgufFile::open(*model);
        chat::ModelChatInfo info = chat::modelChatInfo(file);
        source = info.chatTemplate;
        request.bosToken = info.bosToken;
        request.eosToken = info.eosToken;
    } else {
        source = readFile(*templatePath, "the template");
    }
    if (bos) request.bosToken = *bos;
    if (eos) request.eosToken = *eos;

    jinja::Value doc;
    try {
        doc = jinja::parseJson(readFile(*messagesPath, "the messages"));
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::Invalid) throw;
        throw Error(ErrorKind::Invalid, *messagesPath + ": " + e.what());
    }
    if (doc.isDict()) {
        const jinja::Value* messages = doc.dictData().find("messages");
        if (!messages)
            throw Error(ErrorKind::Invalid, *messagesPath + ": no \"messages\" in the object");
        request.messages = *messages;
        for (const auto& [key, value] : doc.dictData().entries)
            if (key.str() != "messages") request.extra.emplace_back(key.str(), value);
    } else {
        request.messages = doc;
    }
    if (!request.messages.isList())
        throw Error(ErrorKind::Invalid, *messagesPath + ": messages must be a JSON array");

    chat::ChatTemplate chatTemplate(source ? std::optional<std::string_view>(*source)
                                           : std::nullopt);
    std::string prompt =
        mergeSystem ? chatTemplate.renderForChat(request) : chatTemplate.render(request);
    std::cout.write(prompt.data(), static_cast<std::streamsize>(prompt.size()));
    std::cout.flush();
    if (!std::cout) throw Error(ErrorKind::Io, "cannot write to standard output");
    return kExitOk;
}

const Registrar reg{{"render-template", "render a chat template for a conversation", kUsage, run}};

} // namespace
} // namespace atelier::cli
