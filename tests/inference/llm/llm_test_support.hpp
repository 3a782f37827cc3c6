#pragma once
// Shared by the LLM tests: the tiny random-weight fixtures made by tools/make_models and the
// logits the independent numpy reference computed on them.
#include "inference/llm/llm_engine.hpp"
#if defined(ATELIER_HAVE_VULKAN)
#include "inference/compute/vulkan/vulkan_backend.hpp"
#endif

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QTest>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace llmtest {

inline const char* kArchitectures[] = {"llama", "qwen2", "qwen3", "phi3", "gemma2"};

inline std::string fixturePath(const std::string& arch) {
    return std::string(ATELIER_SOURCE_DIR) + "/tests/inference/llm/fixtures/tiny-" + arch + ".gguf";
}

// Loaded once per test executable, architecture and placement (tests share them).
inline std::shared_ptr<const atelier::llm::LlmModel>
model(const std::string& arch, const std::string& backend = "cpu", int gpuLayers = -1) {
    static std::map<std::string, std::shared_ptr<const atelier::llm::LlmModel>> cache;
    auto& slot = cache[arch + "/" + backend + "/" + std::to_string(gpuLayers)];
    if (!slot) {
        atelier::llm::LoadParams params;
        params.threads = 2;
        params.backend = backend;
        params.gpuLayers = gpuLayers;
        slot = atelier::llm::LlmEngine::load({fixturePath(arch)}, params);
    }
    return slot;
}

// Whether this build and machine can run the Vulkan backend (lavapipe counts).
inline bool vulkanAvailable() {
#if defined(ATELIER_HAVE_VULKAN)
    return !atelier::compute::vulkan::listDevices().empty();
#else
    return false;
#endif
}

struct Reference {
    std::vector<atelier::llm::TokenId> prompt;
    std::vector<atelier::llm::TokenId> greedy;
    std::vector<std::vector<float>> logits;        // before each greedy token
    std::vector<atelier::llm::TokenId> longPrompt; // 300 tokens
    std::vector<float> longLogits;                 // after the long prompt
};

inline Reference reference(const std::string& arch) {
    QFile file(QString::fromStdString(std::string(ATELIER_SOURCE_DIR) +
                                      "/tests/inference/llm/fixtures/tiny-" + arch +
                                      ".reference.json"));
    if (!file.open(QIODevice::ReadOnly)) qFatal("cannot open the reference of %s", arch.c_str());
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    Reference r;
    for (const auto v : root["prompt"].toArray()) r.prompt.push_back(v.toInt());
    for (const auto v : root["greedy"].toArray()) r.greedy.push_back(v.toInt());
    for (const auto v : root["long_prompt"].toArray()) r.longPrompt.push_back(v.toInt());
    for (const auto v : root["long_logits"].toArray()) r.longLogits.push_back(float(v.toDouble()));
    for (const auto row : root["logits"].toArray()) {
        std::vector<float> values;
        for (const auto v : row.toArray()) values.push_back(float(v.toDouble()));
        r.logits.push_back(std::move(values));
    }
    return r;
}

} // namespace llmtest
