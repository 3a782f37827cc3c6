#pragma once
// Helpers shared by the operation tests: a backend with an arena, host <-> tensor transfers,
// random data, and the normalised error ||got - want|| / ||want||.
#include "backends_under_test.hpp"
#include "inference/compute/arena.hpp"
#include "inference/compute/quant/float16.hpp"
#include "inference/compute/quant/reference.hpp"

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

namespace atelier::compute::testing {

class Device {
public:
    explicit Device(const BackendCase& c, std::size_t arenaBytes = 64u << 20)
        : backend_(c.make()), arena_(*backend_, arenaBytes), name_(c.name) {}

    Backend& backend() { return *backend_; }
    Arena& arena() { return arena_; }
    const std::string& name() const { return name_; }

    Tensor bytes(ElementType type, Shape shape, const void* data) {
        Tensor t = arena_.tensor(type, shape);
        backend_->upload(t, data);
        return t;
    }
    Tensor f32(Shape shape, const std::vector<float>& data) {
        return bytes(ElementType::F32, shape, data.data());
    }
    // Host floats stored as `type` (F32, F16, BF16) in a new tensor.
    Tensor floats(ElementType type, Shape shape, const std::vector<float>& data) {
        std::vector<std::uint8_t> packed(Tensor::bytesFor(type, shape));
        quant::quantizeRow(type, data.data(), packed.data(), std::int64_t(data.size()));
        return bytes(type, shape, packed.data());
    }
    Tensor ids(const std::vector<std::int32_t>& values, Shape shape) {
        return bytes(ElementType::I32, shape, values.data());
    }
    Tensor out(Shape shape) { return arena_.f32(shape); }
    std::vector<float> read(const Tensor& t) {
        std::vector<std::uint8_t> raw(t.byteSpan());
        backend_->download(t, raw.data());
        std::vector<float> values(std::size_t(t.elementCount()));
        quant::dequantizeRow(t.type, raw.data(), values.data(), t.elementCount());
        return values;
    }

private:
    std::unique_ptr<Backend> backend_;
    Arena arena_;
    std::string name_;
};

inline std::vector<float> randomFloats(std::size_t n, std::uint32_t seed, float scale = 1.0f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, scale);
    std::vector<float> v(n);
    for (float& x : v) x = normal(rng);
    return v;
}

// Values as the format stores them (what a kernel really sees).
inline std::vector<float> roundTrip(ElementType type, std::vector<float> v) {
    std::vector<std::uint8_t> packed(*gguf::tensorByteSize(type, v.size()));
    quant::quantizeRow(type, v.data(), packed.data(), std::int64_t(v.size()));
    quant::dequantizeRow(type, packed.data(), v.data(), std::int64_t(v.size()));
    return v;
}

template <class A, class B> double normalisedError(const A& got, const B& want) {
    double num = 0, den = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        const double d = double(got[i]) - double(want[i]);
        num += d * d;
        den += double(want[i]) * double(want[i]);
    }
    if (got.size() != want.size()) return INFINITY;
    return std::sqrt(num / std::max(den, 1e-30));
}

} // namespace atelier::compute::testing
