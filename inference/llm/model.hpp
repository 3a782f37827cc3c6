#pragma once
// A loaded model: the mapped GGUF file, its hyper-parameters, tokenizer and chat metadata, the
// backends it runs on and its weights placed on them. Immutable after LlmEngine::load.
#include "inference/chat/model_chat_info.hpp"
#include "inference/gguf/gguf_file.hpp"
#include "inference/llm/arch/architecture.hpp"
#include "inference/llm/hparams.hpp"
#include "inference/llm/weights.hpp"
#include "inference/tokenizer/tokenizer.hpp"

#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace atelier::llm {

using tokenizer::TokenId;

// Thrown when a stop_token ends a load; generation reports cancellation in its result instead.
class OperationCancelled : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class LlmModel {
public:
    ~LlmModel();
    LlmModel(const LlmModel&) = delete;
    LlmModel& operator=(const LlmModel&) = delete;

    const std::string& path() const { return file_->path(); }
    std::uint64_t fileSize() const { return file_->fileSize(); }
    const gguf::GgufFile& file() const { return *file_; }
    const HParams& hparams() const { return hparams_; }
    const Architecture& architecture() const { return *architecture_; }
    const ModelWeights& weights() const { return weights_; }
    const tokenizer::Tokenizer& tokenizer() const { return *tokenizer_; }
    const chat::ModelChatInfo& chatInfo() const { return chatInfo_; }

    // Tokens that end a reply: the tokenizer's list (eos, eot, eom from the metadata and the
    // well-known end-of-turn markers such as "<|im_end|>" and "<end_of_turn>").
    const std::vector<TokenId>& endOfGenerationTokens() const { return endTokens_; }
    bool isEndOfGeneration(TokenId id) const;

    // "cpu (avx2, 2 threads)" or "vulkan (...) 22/22 layers + cpu"
    std::string backendDescription() const;
    compute::Backend& cpuBackend() const { return *cpu_; }
    compute::Backend* deviceBackend() const { return device_.get(); }
    int gpuLayers() const { return gpuLayers_; }
    // Every backend some layer runs on, in layer order (each once).
    std::vector<compute::Backend*> backendsInUse() const;

    // Sessions sharing this model take turns on its backends through this lock.
    std::mutex& computeMutex() const { return computeMutex_; }

private:
    friend class LlmEngine;
    LlmModel() = default;

    std::unique_ptr<gguf::GgufFile> file_; // first: the CPU weights point into its map
    std::unique_ptr<compute::Backend> cpu_;
    std::unique_ptr<compute::Backend> device_;
    int gpuLayers_ = 0;
    HParams hparams_;
    const Architecture* architecture_ = nullptr;
    std::unique_ptr<tokenizer::Tokenizer> tokenizer_;
    chat::ModelChatInfo chatInfo_;
    std::vector<TokenId> endTokens_;
    std::vector<std::unique_ptr<compute::Buffer>> buffers_;
    ModelWeights weights_;
    mutable std::mutex computeMutex_;
};

} // namespace atelier::llm
