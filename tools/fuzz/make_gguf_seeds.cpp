// Writes a small seed corpus for fuzz_gguf: valid GGUF files that between them use every
// metadata value type, nested arrays, both versions, a custom alignment and several tensor types.
// Usage: make_gguf_seeds DIR
#include "inference/gguf/gguf_writer.hpp"

#include <cstdio>
#include <exception>
#include <string>

using namespace atelier::gguf;

namespace {

std::vector<std::uint8_t> filled(std::size_t n, std::uint8_t seed) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t k = 0; k < n; ++k) v[k] = static_cast<std::uint8_t>(seed + k * 7);
    return v;
}

GgufWriter everyValueType(std::uint32_t version) {
    GgufWriter w(version);
    w.add("general.architecture", MetaValue::string("llama"));
    w.add("general.name", MetaValue::string("seed"));
    w.add("u8", MetaValue::u8(200));
    w.add("i8", MetaValue::i8(-100));
    w.add("u16", MetaValue::u16(60000));
    w.add("i16", MetaValue::i16(-30000));
    w.add("u32", MetaValue::u32(4000000000u));
    w.add("i32", MetaValue::i32(-2000000000));
    w.add("f32", MetaValue::f32(1.5f));
    w.add("bool", MetaValue::boolean(true));
    w.add("u64", MetaValue::u64(1ull << 60));
    w.add("i64", MetaValue::i64(-(1ll << 60)));
    w.add("f64", MetaValue::f64(-2.25));
    w.add("llama.context_length", MetaValue::u32(4096));
    w.add("strings", MetaValue::strings({"a", "", "\xc3\xa9t\xc3\xa9"}));
    w.add("nested", MetaValue::arrayOf(ValueType::Array,
                                       {MetaValue::int32s({1, 2, 3}), MetaValue::int32s({})}));
    return w;
}

GgufWriter vocabulary() {
    GgufWriter w;
    w.add("general.architecture", MetaValue::string("gpt2"));
    w.add("tokenizer.ggml.model", MetaValue::string("gpt2"));
    w.add("tokenizer.ggml.pre", MetaValue::string("gpt-2"));
    w.add("tokenizer.ggml.tokens", MetaValue::strings({"a", "b", "ab", "<s>"}));
    w.add("tokenizer.ggml.scores", MetaValue::float32s({0.f, -1.f, -2.f, 0.f}));
    w.add("tokenizer.ggml.token_type", MetaValue::int32s({1, 1, 1, 3}));
    w.add("tokenizer.ggml.merges", MetaValue::strings({"a b"}));
    w.add("tokenizer.chat_template", MetaValue::string("{{ messages }}"));
    return w;
}

GgufWriter withTensors(std::uint32_t alignment) {
    GgufWriter w;
    w.add("general.architecture", MetaValue::string("llama"));
    w.setAlignment(alignment);
    w.addTensor("f32", {4, 2}, TensorType::F32, filled(32, 1));
    w.addTensor("f16", {3}, TensorType::F16, filled(6, 2));
    w.addTensor("q8_0", {32, 2}, TensorType::Q8_0, filled(68, 3));
    w.addTensor("q4_k", {256}, TensorType::Q4_K, filled(144, 4));
    w.addTensor("i8.4d", {2, 1, 1, 3}, TensorType::I8, filled(6, 5));
    return w;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_gguf_seeds DIR\n");
        return 2;
    }
    const std::string dir = argv[1];
    try {
        GgufWriter(3).write(dir + "/empty-v3.gguf");
        everyValueType(3).write(dir + "/values-v3.gguf");
        everyValueType(2).write(dir + "/values-v2.gguf");
        vocabulary().write(dir + "/vocab.gguf");
        withTensors(32).write(dir + "/tensors-a32.gguf");
        withTensors(8).write(dir + "/tensors-a8.gguf");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "make_gguf_seeds: %s\n", e.what());
        return 1;
    }
    return 0;
}
