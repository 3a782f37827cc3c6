// LlmEngine::load: file -> hyper-parameters -> backends -> weights, layer by layer.
#include "inference/llm/llm_engine.hpp"

#include "inference/llm/backend_factory.hpp"
#include "inference/util/error.hpp"

#include <algorithm>

namespace atelier::llm {
namespace {

void loadGlobalWeights(WeightLoader& loader, const HParams& h, ModelWeights& w) {
    const std::int64_t E = h.embedding, V = h.vocabSize;
    w.tokenEmbedding =
        loader.require("token_embd.weight", *w.inputBackend, {E, V, 1, 1}, WeightUse::Table);
    w.outputNorm =
        loader.require("output_norm.weight", *w.outputBackend, {E, 1, 1, 1}, WeightUse::Vector);
    auto output =
        loader.optional("output.weight", *w.outputBackend, {E, V, 1, 1}, WeightUse::Matrix);
    w.tiedEmbeddings = !output;
    // Tied embeddings: the same bytes imported (once more, if it is another backend) as the
    // output projection.
    w.output = output ? *output
                      : loader.require("token_embd.weight", *w.outputBackend, {E, V, 1, 1},
                                       WeightUse::Matrix);
}

} // namespace

std::shared_ptr<const LlmModel> LlmEngine::load(const ModelSpec& spec, const LoadParams& params,
                                                const LoadProgress& progress,
                                                std::stop_token stop) {
    auto report = [&progress](double f, const std::string& stage) {
        if (progress) progress(f, stage);
    };
    auto checkStop = [&stop, &spec] {
        if (stop.stop_requested()) throw OperationCancelled(spec.path + ": loading cancelled");
    };
    const BackendChoice choice = parseBackendName(params.backend);
    if (params.gpuLayers < -1)
        throw Error(ErrorKind::Invalid, "the GPU layer count must be -1 (all) or more");

    std::shared_ptr<LlmModel> model(new LlmModel());
    report(0.0, "reading " + spec.path);
    model->file_ = std::make_unique<gguf::GgufFile>(gguf::GgufFile::open(spec.path));
    const gguf::GgufFile& file = *model->file_;
    model->hparams_ = readHParams(file);
    HParams& h = model->hparams_;
    model->architecture_ = &architectureFor(h.architecture);
    if (h.vocabSize == 0)
        throw Error(ErrorKind::Format, file.path() + ": tensor token_embd.weight is missing");
    model->tokenizer_ =
        std::make_unique<tokenizer::Tokenizer>(tokenizer::Tokenizer::fromGguf(file));
    if (std::int64_t(model->tokenizer_->size()) > h.vocabSize)
        throw Error(ErrorKind::Format, file.path() + ": the vocabulary has " +
                                           std::to_string(model->tokenizer_->size()) +
                                           " tokens but token_embd.weight only " +
                                           std::to_string(h.vocabSize) + " rows");
    model->chatInfo_ = chat::modelChatInfo(file);
    model->endTokens_ = model->tokenizer_->endOfGeneration();
    checkStop();

    // Placement: the first layers on the CPU, the last `gpuLayers` on the device.
    model->cpu_ = createCpuBackend(params.threads);
    int onDevice = 0;
    if (choice.device) {
        model->device_ = createDeviceBackend(choice);
        onDevice = params.gpuLayers < 0 ? int(h.layers) : std::min(params.gpuLayers, int(h.layers));
    }
    model->gpuLayers_ = onDevice;
    const int firstOnDevice = int(h.layers) - onDevice;
    auto layerBackend = [&](int il) -> Backend& {
        return il >= firstOnDevice && model->device_ ? *model->device_ : *model->cpu_;
    };

    ModelWeights& w = model->weights_;
    w.inputBackend = model->cpu_.get(); // token look-up stays on the CPU, as in llama.cpp
    w.outputBackend = onDevice > 0 ? model->device_.get() : model->cpu_.get();
    WeightLoader loader(file);
    loadGlobalWeights(loader, h, w);
    w.layers.resize(std::size_t(h.layers));
    for (int il = 0; il < int(h.layers); ++il) {
        checkStop();
        report(double(il) / double(h.layers),
               "layer " + std::to_string(il + 1) + " of " + std::to_string(h.layers));
        LayerWeights& layer = w.layers[std::size_t(il)];
        layer.backend = &layerBackend(il);
        model->architecture_->loadLayer(loader, h, il, *layer.backend, layer);
    }
    model->buffers_ = loader.takeBuffers();
    if (model->device_) model->device_->synchronize();
    report(1.0, "loaded");
    return model;
}

} // namespace atelier::llm
