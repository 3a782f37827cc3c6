#include "inference/chat/chat_template.hpp"

#include "inference/chat/jinja/globals.hpp"
#include "inference/util/error.hpp"

namespace atelier::chat {

using jinja::DictData;
using jinja::Value;

Value messagesValue(const std::vector<ChatMessage>& messages) {
    std::vector<Value> list;
    for (const auto& m : messages) {
        DictData d;
        d.set(Value("role"), Value(m.role));
        d.set(Value("content"), Value(m.content));
        list.push_back(Value::dict(std::move(d)));
    }
    return Value::list(std::move(list));
}

std::string_view chatmlTemplate() {
    return "{%- for message in messages -%}"
           "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' -}}"
           "{%- endfor -%}"
           "{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}";
}

namespace {
std::string_view sourceOrChatml(std::optional<std::string_view> source) {
    return source && !source->empty() ? *source : chatmlTemplate();
}
} // namespace

ChatTemplate::ChatTemplate(std::optional<std::string_view> source)
    : template_(sourceOrChatml(source)), chatml_(!source || source->empty()) {}

std::string ChatTemplate::render(const ChatRenderRequest& request) const {
    if (!request.messages.isList()) throw Error(ErrorKind::Invalid, "chat messages must be a list");
    jinja::validate(request.now);
    jinja::Variables vars = {
        {"messages", request.messages},
        {"add_generation_prompt", Value(request.addGenerationPrompt)},
        {"bos_token", Value(request.bosToken)},
        {"eos_token", Value(request.eosToken)},
        {"tools", Value::none()},
        {"raise_exception", jinja::makeRaiseException()},
        {"strftime_now", jinja::makeStrftimeNow(request.now)},
    };
    for (const auto& [name, value] : request.extra) vars.emplace_back(name, value);
    return template_.render(vars, request.limits);
}

Value mergeSystemIntoFirstUser(const Value& messages) {
    if (!messages.isList() || messages.items().empty()) return messages;
    const Value& first = messages.items().front();
    const Value* role = first.isDict() ? first.dictData().find("role") : nullptr;
    if (!role || !role->isString() || role->str() != "system") return messages;
    const Value* systemContent = first.dictData().find("content");
    std::string systemText = systemContent ? jinja::toStr(*systemContent) : std::string();

    std::vector<Value> rest(messages.items().begin() + 1, messages.items().end());
    for (Value& m : rest) {
        const Value* r = m.isDict() ? m.dictData().find("role") : nullptr;
        if (!r || !r->isString() || r->str() != "user") continue;
        DictData d = m.dictData();
        const Value* content = d.find("content");
        std::string userText = content ? jinja::toStr(*content) : std::string();
        d.set(Value("content"),
              Value(systemText.empty() ? userText : systemText + "\n\n" + userText));
        m = Value::dict(std::move(d));
        return Value::list(std::move(rest));
    }
    DictData asUser = first.dictData();
    asUser.set(Value("role"), Value("user"));
    rest.insert(rest.begin(), Value::dict(std::move(asUser)));
    return Value::list(std::move(rest));
}

std::string ChatTemplate::renderForChat(const ChatRenderRequest& request) const {
    try {
        return render(request);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::Template) throw;
        Value merged = mergeSystemIntoFirstUser(request.messages);
        if (jinja::equals(merged, request.messages)) throw;
        ChatRenderRequest retry = request;
        retry.messages = merged;
        try {
            return render(retry);
        } catch (const Error&) {
            throw e;
        }
    }
}

} // namespace atelier::chat
