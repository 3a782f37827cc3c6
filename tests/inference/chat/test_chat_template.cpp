// The chat renderer: variables as Hugging Face passes them, ChatML for models without a
// template, merging the system message into the first user turn for templates that refuse it,
// the chat fields of a GGUF model, and robustness against mangled templates.
#include "inference/chat/chat_template.hpp"
#include "inference/chat/model_chat_info.hpp"
#include "inference/gguf/gguf_writer.hpp"
#include "inference/util/error.hpp"

#include <QtTest>
#include <fstream>
#include <random>
#include <sstream>

using namespace atelier;
using jinja::Value;

namespace {

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

chat::ChatRenderRequest request(std::vector<chat::ChatMessage> messages, bool generation = true) {
    chat::ChatRenderRequest r;
    r.messages = chat::messagesValue(messages);
    r.addGenerationPrompt = generation;
    r.bosToken = "<s>";
    r.eosToken = "</s>";
    r.now = {2025, 3, 9};
    return r;
}

} // namespace

class TestChatTemplate : public QObject {
    Q_OBJECT

private slots:
    void chatmlWhenNoTemplate() {
        chat::ChatTemplate t(std::nullopt);
        QVERIFY(t.isChatml());
        QCOMPARE(t.render(request({{"system", "S"}, {"user", "U"}})),
                 std::string("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_"
                             "start|>assistant\n"));
        QCOMPARE(chat::ChatTemplate(std::string_view("")).render(request({{"user", "U"}}, false)),
                 std::string("<|im_start|>user\nU<|im_end|>\n"));
    }

    void variablesAsHuggingFacePassesThem() {
        chat::ChatTemplate t(std::string_view(
            "{{ bos_token }}|{{ eos_token }}|{{ add_generation_prompt }}|{{ tools is none }}|{{ "
            "documents is defined }}|"
            "{{ strftime_now('%Y-%m-%d') }}|{{ messages | length }}|{{ enable_thinking }}"));
        auto r = request({{"user", "U"}});
        QCOMPARE(t.render(r), std::string("<s>|</s>|True|True|False|2025-03-09|1|"));
        r.extra.emplace_back("enable_thinking", Value(false));
        r.extra.emplace_back("tools", Value::list({Value("t")}));
        QCOMPARE(t.render(r), std::string("<s>|</s>|True|False|False|2025-03-09|1|False"));
        r.now = {2025, 2, 29};
        QVERIFY_THROWS_EXCEPTION(Error, t.render(r));
    }

    void mergeSystemIntoFirstUser() {
        Value merged = chat::mergeSystemIntoFirstUser(chat::messagesValue(
            {{"system", "S"}, {"assistant", "A"}, {"user", "U"}, {"user", "V"}}));
        QCOMPARE(jinja::repr(merged),
                 std::string("[{'role': 'assistant', 'content': 'A'}, {'role': 'user', 'content': "
                             "'S\\n\\nU'}, {'role': 'user', 'content': 'V'}]"));
        merged = chat::mergeSystemIntoFirstUser(chat::messagesValue({{"system", "S"}}));
        QCOMPARE(jinja::repr(merged), std::string("[{'role': 'user', 'content': 'S'}]"));
        Value unchanged = chat::messagesValue({{"user", "U"}, {"system", "S"}});
        QVERIFY(jinja::equals(chat::mergeSystemIntoFirstUser(unchanged), unchanged));
    }

    void renderForChatRetriesWithoutSystemRole() {
        const std::string gemma =
            readFile(ATELIER_SHARED_TESTDATA "/templates/google-gemma-2-2b-it.jinja");
        if (gemma.empty()) QSKIP("no shared template test data");
        chat::ChatTemplate t(gemma);
        auto r = request({{"system", "Be brief."}, {"user", "Hi"}});
        try {
            t.render(r);
            QFAIL("gemma accepted a system message");
        } catch (const Error& e) {
            QCOMPARE(std::string(e.what()), std::string("System role not supported"));
        }
        QCOMPARE(
            t.renderForChat(r),
            std::string(
                "<s><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\n"));
        // Without a system message there is nothing to merge: the error stays.
        auto bad = request({{"assistant", "A"}});
        QVERIFY_THROWS_EXCEPTION(Error, t.renderForChat(bad));
        // Templates that accept the system role render it as they like.
        chat::ChatTemplate chatml(std::nullopt);
        QCOMPARE(chatml.renderForChat(r), chatml.render(r));
    }

    void modelChatInfoFromGguf() {
        gguf::GgufWriter w;
        w.add("general.architecture", gguf::MetaValue::string("llama"));
        w.add("tokenizer.ggml.tokens", gguf::MetaValue::strings({"<unk>", "<s>", "</s>", "hi"}));
        w.add("tokenizer.ggml.bos_token_id", gguf::MetaValue::u32(1));
        w.add("tokenizer.ggml.eos_token_id", gguf::MetaValue::u32(2));
        w.add("tokenizer.chat_template",
              gguf::MetaValue::string("{{ bos_token }}{{ messages[0].content }}{{ eos_token }}"));
        const auto bytes = w.bytes();
        const auto file = gguf::GgufFile::fromBytes(bytes, "model.gguf");
        const chat::ModelChatInfo info = chat::modelChatInfo(file);
        QVERIFY(info.chatTemplate.has_value());
        QCOMPARE(info.bosToken, std::string("<s>"));
        QCOMPARE(info.eosToken, std::string("</s>"));
        auto r = request({{"user", "x"}});
        r.bosToken = info.bosToken;
        r.eosToken = info.eosToken;
        QCOMPARE(chat::ChatTemplate(*info.chatTemplate).render(r), std::string("<s>x</s>"));

        gguf::GgufWriter bad;
        bad.add("tokenizer.ggml.tokens", gguf::MetaValue::strings({"a"}));
        bad.add("tokenizer.ggml.eos_token_id", gguf::MetaValue::u32(7));
        const auto badBytes = bad.bytes();
        const auto badFile = gguf::GgufFile::fromBytes(badBytes, "bad.gguf");
        try {
            chat::modelChatInfo(badFile);
            QFAIL("accepted an EOS id outside the vocabulary");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Format);
            QVERIFY(std::string(e.what()).find("bad.gguf") != std::string::npos);
        }
        gguf::GgufWriter none;
        none.add("general.architecture", gguf::MetaValue::string("gpt2"));
        const auto noneBytes = none.bytes();
        const chat::ModelChatInfo empty =
            chat::modelChatInfo(gguf::GgufFile::fromBytes(noneBytes, "none.gguf"));
        QVERIFY(!empty.chatTemplate);
        QVERIFY(empty.bosToken.empty());
    }

    // Real templates with characters deleted, inserted and swapped: every variant must end in
    // a rendering or an atelier::Error, never a crash or a hang.
    void mangledTemplatesFailCleanly() {
        const std::string dir = ATELIER_SHARED_TESTDATA "/templates/";
        const char* names[] = {
            "Qwen-Qwen3-0.6B.jinja", "NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use.jinja",
            "mistralai-Mistral-Nemo-Instruct-2407.jinja", "meta-llama-Llama-3.1-8B-Instruct.jinja"};
        std::mt19937 rng(1234);
        const std::string alphabet = "{}%#-+()[]'\"|.,:=~*/ \nabx0123";
        auto r = request({{"system", "S"}, {"user", "U"}, {"assistant", "A"}, {"user", "V"}});
        r.limits.maxLoopIterations = 20000;
        int rendered = 0, failed = 0;
        for (const char* name : names) {
            const std::string source = readFile(dir + name);
            if (source.empty()) QSKIP("no shared template test data");
            for (int round = 0; round < 150; ++round) {
                std::string s = source;
                const int edits = 1 + static_cast<int>(rng() % 4);
                for (int e = 0; e < edits && !s.empty(); ++e) {
                    std::size_t at = rng() % s.size();
                    switch (rng() % 3) {
                    case 0:
                        s.erase(at, 1 + rng() % 8);
                        break;
                    case 1:
                        s.insert(at, 1, alphabet[rng() % alphabet.size()]);
                        break;
                    default:
                        s[at] = alphabet[rng() % alphabet.size()];
                    }
                }
                try {
                    chat::ChatTemplate(s).render(r);
                    ++rendered;
                } catch (const Error&) {
                    ++failed;
                }
            }
        }
        QVERIFY(rendered > 0);
        QVERIFY(failed > 0);
    }
};

QTEST_APPLESS_MAIN(TestChatTemplate)
#include "test_chat_template.moc"
