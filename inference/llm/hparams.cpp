#include "inference/llm/hparams.hpp"

#include "inference/gguf/gguf_file.hpp"
#include "inference/util/error.hpp"

#include <array>
#include <cmath>

namespace atelier::llm {
namespace {

constexpr std::array<const char*, 5> kArchitectures{"llama", "qwen2", "qwen3", "phi3", "gemma2"};

// Typed access to "<arch>.<suffix>" keys with messages that name the file and the key.
class ArchKeys {
public:
    ArchKeys(const gguf::GgufFile& file, std::string arch) : file_(file), arch_(std::move(arch)) {}

    std::string key(std::string_view suffix) const { return arch_ + "." + std::string(suffix); }

    std::int64_t required(std::string_view suffix) const {
        const auto v = file_.getUInt(key(suffix));
        if (!v) fail("metadata key '" + key(suffix) + "' is missing");
        return positive(suffix, *v);
    }
    std::int64_t optional(std::string_view suffix, std::int64_t fallback) const {
        const auto v = file_.getUInt(key(suffix));
        return v ? positive(suffix, *v) : fallback;
    }
    float number(std::string_view suffix, float fallback) const {
        const auto v = file_.getFloat(key(suffix));
        return v ? float(*v) : fallback;
    }
    std::optional<std::string_view> text(std::string_view suffix) const {
        return file_.getString(key(suffix));
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw Error(ErrorKind::Format, file_.path() + ": " + what);
    }

private:
    std::int64_t positive(std::string_view suffix, std::uint64_t v) const {
        if (v == 0 || v > (std::uint64_t(1) << 31))
            fail("metadata key '" + key(suffix) + "' has the implausible value " +
                 std::to_string(v));
        return std::int64_t(v);
    }

    const gguf::GgufFile& file_;
    std::string arch_;
};

} // namespace

bool isSupportedArchitecture(const std::string& architecture) {
    for (const char* a : kArchitectures)
        if (architecture == a) return true;
    return false;
}

std::string supportedArchitectures() {
    std::string out;
    for (const char* a : kArchitectures) out += (out.empty() ? "" : ", ") + std::string(a);
    return out;
}

compute::RopeParams HParams::ropeParams() const {
    compute::RopeParams p;
    p.mode = ropeMode;
    p.dims = int(ropeDims);
    p.freqBase = ropeFreqBase;
    if (ropeScaling != RopeScaling::None) p.freqScale = 1.0f / ropeScaleFactor;
    if (ropeScaling == RopeScaling::Yarn) {
        p.extFactor = 1.0f;
        p.originalContext = int(ropeOriginalContext);
    }
    return p;
}

HParams readHParams(const gguf::GgufFile& file) {
    HParams h;
    const auto arch = file.getString("general.architecture");
    if (!arch) throw Error(ErrorKind::Format, file.path() + ": general.architecture is missing");
    h.architecture = std::string(*arch);
    if (!isSupportedArchitecture(h.architecture))
        throw Error(ErrorKind::Unsupported,
                    file.path() + ": the architecture '" + h.architecture +
                        "' is not supported (supported: " + supportedArchitectures() + ")");
    if (auto name = file.getString("general.name")) h.name = std::string(*name);

    const ArchKeys keys(file, h.architecture);
    h.contextLength = keys.required("context_length");
    h.embedding = keys.required("embedding_length");
    h.layers = keys.required("block_count");
    h.feedForward = keys.required("feed_forward_length");
    h.heads = keys.required("attention.head_count");
    h.kvHeads = keys.optional("attention.head_count_kv", h.heads);
    if (h.heads % h.kvHeads != 0)
        keys.fail(std::to_string(h.heads) + " attention heads do not split over " +
                  std::to_string(h.kvHeads) + " key/value heads");
    if (h.embedding % h.heads != 0 && !file.find(keys.key("attention.key_length")))
        keys.fail("embedding length " + std::to_string(h.embedding) +
                  " is not a multiple of the head count and attention.key_length is missing");
    h.headDimK = keys.optional("attention.key_length", h.embedding / h.heads);
    h.headDimV = keys.optional("attention.value_length", h.embedding / h.heads);
    h.rmsEps = keys.number("attention.layer_norm_rms_epsilon", 1e-5f);

    h.ropeDims = keys.optional("rope.dimension_count", h.headDimK);
    if (h.ropeDims > h.headDimK || h.ropeDims % 2 != 0)
        keys.fail("rope.dimension_count " + std::to_string(h.ropeDims) +
                  " does not fit the head dimension " + std::to_string(h.headDimK));
    h.ropeFreqBase = keys.number("rope.freq_base", 10000.0f);
    const std::string scaling(keys.text("rope.scaling.type").value_or("none"));
    const float factor = keys.number("rope.scaling.factor", 0.0f);
    if (scaling == "linear" ||
        (scaling == "none" && factor > 1.0f && !file.find(keys.key("rope.scaling.type")))) {
        // Older files give only rope.scale_linear / rope.scaling.factor.
        h.ropeScaling = RopeScaling::Linear;
    } else if (scaling == "yarn") {
        h.ropeScaling = RopeScaling::Yarn;
    } else if (scaling == "llama3") {
        // Llama 3.1 style: the per-frequency factors come as the rope_freqs tensor.
    } else if (scaling != "none") {
        throw Error(ErrorKind::Unsupported,
                    file.path() + ": rope scaling '" + scaling + "' is not supported");
    }
    const float linear = keys.number("rope.scale_linear", 0.0f);
    h.ropeScaleFactor = factor > 0.0f ? factor : (linear > 0.0f ? linear : 1.0f);
    if (linear > 1.0f && h.ropeScaling == RopeScaling::None) h.ropeScaling = RopeScaling::Linear;
    h.ropeOriginalContext = keys.optional("rope.scaling.original_context_length", h.contextLength);

    if (const auto* embd = file.findTensor("token_embd.weight"); embd && embd->shape.size() >= 2)
        h.vocabSize = std::int64_t(embd->shape[1]);

    // Rope style per architecture (llama.cpp's LLAMA_ROPE_TYPE_NORM / _NEOX).
    if (h.architecture != "llama") h.ropeMode = compute::RopeMode::NeoX;

    if (h.architecture == "gemma2") {
        h.attnSoftcap = keys.number("attn_logit_softcapping", 50.0f);
        h.finalSoftcap = keys.number("final_logit_softcapping", 30.0f);
        h.slidingWindow = keys.optional("attention.sliding_window", 4096);
        h.embeddingScale = std::sqrt(float(h.embedding));
        // Gemma 2 27B scales queries by 1/sqrt(n_embd / n_head) (query_pre_attn_scalar = 144);
        // the smaller ones by 1/sqrt(head_dim). GGUF files do not store the scalar.
        if (h.layers == 46) h.attentionScale = 1.0f / std::sqrt(float(h.embedding / h.heads));
    }
    // Other architectures: a sliding_window key (some Mistral/Qwen files carry one) is ignored,
    // as llama.cpp does for them.
    return h;
}

} // namespace atelier::llm
