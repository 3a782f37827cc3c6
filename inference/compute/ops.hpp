#pragma once
// Parameter structs of the operations (plain structs with defaults; no globals) and the list of
// operations a backend may be asked about with Backend::supports().
#include <cstdint>

namespace atelier::compute {

enum class Op {
    GetRows,
    Matmul,
    RmsNorm,
    LayerNorm,
    GroupNorm,
    Rope,
    Attention,
    Softmax,
    Unary,
    Glu,
    Add,
    Mul,
    Scale,
    Copy,
    Conv2d,
    UpsampleNearest,
    Concat,
};

struct RmsNormParams {
    float eps = 1e-6f;
};

struct LayerNormParams {
    float eps = 1e-5f;
};

// Normalises each of `groups` groups of channels (ne[2] split in `groups` parts) over
// width x height x channels-in-group, per image (ne[3]).
struct GroupNormParams {
    int groups = 32;
    float eps = 1e-6f;
};

enum class RopeMode {
    Normal, // rotates pairs (x[2i], x[2i+1]) (llama)
    NeoX,   // rotates pairs (x[i], x[i + dims/2]) (qwen2, phi3, gemma2, ...)
};

// Rotary position embedding; theta_i = position * freqScale * freqBase^(-2i/dims), with the
// YaRN ramp between interpolation and extrapolation when extFactor != 0 (ggml's parameters).
struct RopeParams {
    RopeMode mode = RopeMode::Normal;
    int dims = 0;              // rotated dimensions per head (0 = the whole head, ne[0])
    float freqBase = 10000.0f; // rope.freq_base
    float freqScale = 1.0f;    // 1 / rope.scaling.factor for linear and YaRN scaling
    int originalContext = 0;   // rope.scaling.original_context_length (YaRN)
    float extFactor = 0.0f;    // YaRN extrapolation mix (0 = off)
    float attnFactor = 1.0f;   // YaRN magnitude scale
    float betaFast = 32.0f;    // YaRN ramp
    float betaSlow = 1.0f;
};

// softmax(scale * q·k + mask) · v for every query row and head; see Backend::attention.
struct AttentionParams {
    float scale = 0.0f;                  // 0 = 1 / sqrt(head dimension)
    bool causal = true;                  // key position j visible to query position p iff j <= p
    std::int64_t firstQueryPosition = 0; // position of query row 0 (= tokens already cached)
    std::int64_t slidingWindow = 0;      // 0 = none; else key j visible iff p - j < slidingWindow
    float softcap = 0.0f;                // 0 = none; else score = softcap * tanh(score / softcap)
};

// softmax over each row (ne[0]) of scale * x (+ mask).
struct SoftmaxParams {
    float scale = 1.0f;
};

enum class Activation {
    Silu,     // x * sigmoid(x)
    Gelu,     // exact: x/2 * (1 + erf(x / sqrt 2))
    GeluTanh, // tanh approximation (what ggml calls gelu)
    Relu,
    Tanh,
};

struct ScaleParams {
    float scale = 1.0f;
    float bias = 0.0f; // dst = x * scale + bias
};

struct Conv2dParams {
    int strideX = 1, strideY = 1;
    int padX = 0, padY = 0;
    int dilationX = 1, dilationY = 1;
};

struct UpsampleParams {
    int factor = 2; // nearest neighbour, both width and height
};

struct ConcatParams {
    int dim = 2; // dimension along which b follows a (channels for images)
};

} // namespace atelier::compute
