// Shape and type checks shared by every backend; each public operation checks its arguments
// once here and then calls the backend's run* implementation.
#include "inference/compute/backend.hpp"

#include "inference/util/error.hpp"

#include <initializer_list>

namespace atelier::compute {
namespace {

[[noreturn]] void invalid(const char* op, const std::string& what) {
    throw Error(ErrorKind::Invalid, std::string(op) + ": " + what);
}

void onBackend(const char* op, const Backend& backend, const Tensor& t) {
    if (!t.buffer) invalid(op, "tensor " + t.describe() + " has no buffer");
    if (&t.buffer->backend() != &backend)
        invalid(op, "tensor " + t.describe() + " lives on another backend");
    if (!t.hasContiguousRows()) invalid(op, "tensor " + t.describe() + " needs contiguous rows");
}

void isType(const char* op, const Tensor& t, ElementType type) {
    if (t.type != type)
        invalid(op,
                "tensor " + t.describe() + " must be " + std::string(gguf::tensorTypeName(type)));
}

void isFloat(const char* op, const Tensor& t) {
    if (t.type != ElementType::F32 && t.type != ElementType::F16)
        invalid(op, "tensor " + t.describe() + " must be F32 or F16");
}

void sameShape(const char* op, const Tensor& a, const Tensor& b) {
    if (!a.sameShape(b)) invalid(op, "shapes differ: " + a.describe() + " vs " + b.describe());
}

void writable(const char* op, const Tensor& dst) {
    if (dst.buffer && dst.buffer->readOnly())
        invalid(op, "destination " + dst.describe() + " is read-only (weights)");
}

void checkBroadcast(const char* op, const Tensor& a, const Tensor& b) {
    for (int d = 0; d < 4; ++d)
        if (a.ne[d] % b.ne[d] != 0)
            invalid(op, b.describe() + " does not broadcast over " + a.describe());
}

// Each tensor given is on the backend (null ones are optional arguments left out).
void onBackend(const char* op, const Backend& backend,
               std::initializer_list<const Tensor*> tensors) {
    for (const Tensor* t : tensors)
        if (t) onBackend(op, backend, *t);
}

// Each tensor is on the backend and F32, checked tensor by tensor.
void onBackendF32(const char* op, const Backend& backend,
                  std::initializer_list<const Tensor*> tensors) {
    for (const Tensor* t : tensors) {
        onBackend(op, backend, *t);
        isType(op, *t, ElementType::F32);
    }
}

void isType(const char* op, std::initializer_list<const Tensor*> tensors, ElementType type) {
    for (const Tensor* t : tensors) isType(op, *t, type);
}

// x and dst are F32 and dst, of x's shape, may be written: every operation that maps x to dst
// element by element or row by row.
void sameShapeF32Output(const char* op, const Tensor& x, const Tensor& dst) {
    isType(op, {&x, &dst}, ElementType::F32);
    writable(op, dst);
    sameShape(op, x, dst);
}

// Whether the tensor's four sizes are exactly these.
bool hasShape(const Tensor& t, std::int64_t n0, std::int64_t n1, std::int64_t n2, std::int64_t n3) {
    return t.ne[0] == n0 && t.ne[1] == n1 && t.ne[2] == n2 && t.ne[3] == n3;
}

// add and mul: a, b and dst F32 on the backend, dst of a's shape, b broadcast over a.
void binaryOperands(const char* op, const Backend& backend, const Tensor& a, const Tensor& b,
                    const Tensor& dst) {
    onBackendF32(op, backend, {&a, &b, &dst});
    writable(op, dst);
    sameShape(op, a, dst);
    checkBroadcast(op, a, b);
}

void perRowVector(const char* op, const Tensor* v, std::int64_t length) {
    if (!v) return;
    isType(op, *v, ElementType::F32);
    if (v->ne[0] != length || v->rowCount() != 1)
        invalid(op,
                "vector " + v->describe() + " must have " + std::to_string(length) + " elements");
}

} // namespace

void Backend::upload(const Tensor& dst, const void* src) {
    onBackend("upload", *this, dst);
    writable("upload", dst);
    if (!dst.isContiguous()) invalid("upload", "tensor " + dst.describe() + " is not contiguous");
    runUpload(dst, src);
}

void Backend::download(const Tensor& src, void* dst) {
    onBackend("download", *this, src);
    if (!src.isContiguous()) invalid("download", "tensor " + src.describe() + " is not contiguous");
    runDownload(src, dst);
}

void Backend::getRows(const Tensor& table, const Tensor& ids, const Tensor& dst) {
    const char* op = "get_rows";
    onBackend(op, *this, {&table, &ids, &dst});
    isType(op, ids, ElementType::I32);
    isType(op, dst, ElementType::F32);
    writable(op, dst);
    if (!supports(Op::GetRows, table.type)) invalid(op, "table type " + table.describe());
    if (table.ne[2] != 1 || table.ne[3] != 1) invalid(op, "table must be 2-D");
    if (!hasShape(dst, table.ne[0], ids.ne[0], ids.ne[1], ids.ne[2]) || ids.ne[3] != 1)
        invalid(op, "dst " + dst.describe() + " does not match table " + table.describe() +
                        " and ids " + ids.describe());
    runGetRows(table, ids, dst);
}

void Backend::matmul(const Tensor& w, const Tensor& x, const Tensor& dst) {
    const char* op = "matmul";
    onBackend(op, *this, {&w, &x, &dst});
    isType(op, {&x, &dst}, ElementType::F32);
    writable(op, dst);
    if (!supports(Op::Matmul, w.type)) invalid(op, "unsupported weight type " + w.describe());
    if (w.ne[0] != x.ne[0])
        invalid(op, "inner sizes differ: " + w.describe() + " x " + x.describe());
    if (!hasShape(dst, w.ne[1], x.ne[1], x.ne[2], x.ne[3]))
        invalid(op, "dst " + dst.describe() + " must be [" + std::to_string(w.ne[1]) + ", " +
                        std::to_string(x.ne[1]) + ", ...]");
    if (x.ne[2] % w.ne[2] != 0 || x.ne[3] % w.ne[3] != 0)
        invalid(op, "weight batch " + w.describe() + " does not broadcast over " + x.describe());
    runMatmul(w, x, dst);
}

void Backend::rmsNorm(const Tensor& x, const Tensor* weight, const Tensor& dst, RmsNormParams p) {
    const char* op = "rms_norm";
    onBackend(op, *this, {&x, &dst, weight});
    sameShapeF32Output(op, x, dst);
    perRowVector(op, weight, x.ne[0]);
    runRmsNorm(x, weight, dst, p);
}

void Backend::layerNorm(const Tensor& x, const Tensor* weight, const Tensor* bias,
                        const Tensor& dst, LayerNormParams p) {
    const char* op = "layer_norm";
    onBackend(op, *this, {&x, &dst, weight, bias});
    sameShapeF32Output(op, x, dst);
    perRowVector(op, weight, x.ne[0]);
    perRowVector(op, bias, x.ne[0]);
    runLayerNorm(x, weight, bias, dst, p);
}

void Backend::groupNorm(const Tensor& x, const Tensor* weight, const Tensor* bias,
                        const Tensor& dst, GroupNormParams p) {
    const char* op = "group_norm";
    onBackend(op, *this, {&x, &dst, weight, bias});
    sameShapeF32Output(op, x, dst);
    if (p.groups < 1 || x.ne[2] % p.groups != 0)
        invalid(op, std::to_string(x.ne[2]) + " channels do not split into " +
                        std::to_string(p.groups) + " groups");
    perRowVector(op, weight, x.ne[2]);
    perRowVector(op, bias, x.ne[2]);
    runGroupNorm(x, weight, bias, dst, p);
}

void Backend::rope(const Tensor& x, const Tensor& positions, const Tensor* freqFactors,
                   const Tensor& dst, RopeParams p) {
    const char* op = "rope";
    onBackend(op, *this, {&x, &positions, &dst, freqFactors});
    isType(op, {&x, &dst}, ElementType::F32);
    isType(op, positions, ElementType::I32);
    writable(op, dst);
    sameShape(op, x, dst);
    const std::int64_t dims = p.dims == 0 ? x.ne[0] : p.dims;
    if (dims % 2 != 0 || dims > x.ne[0]) invalid(op, "rotated dims " + std::to_string(dims));
    if (positions.ne[0] != x.ne[2] || positions.rowCount() != 1 || x.ne[3] != 1)
        invalid(op, "positions " + positions.describe() + " must give one per token of " +
                        x.describe());
    perRowVector(op, freqFactors, dims / 2);
    runRope(x, positions, freqFactors, dst, p);
}

void Backend::ropeWithAngles(const Tensor& x, const Tensor& angles, const Tensor& dst,
                             RopeMode mode) {
    const char* op = "rope_with_angles";
    onBackendF32(op, *this, {&x, &angles, &dst});
    writable(op, dst);
    sameShape(op, x, dst);
    const std::int64_t dims = angles.ne[0];
    if (dims < 2 || dims % 2 != 0 || dims > x.ne[0])
        invalid(op, "angles " + angles.describe() + ": rotated dims must be even and at most " +
                        std::to_string(x.ne[0]));
    if (angles.ne[1] != x.ne[2] || angles.ne[2] != 1 || angles.ne[3] != 1 || x.ne[3] != 1)
        invalid(op,
                "angles " + angles.describe() + " must give one row per token of " + x.describe());
    runRopeWithAngles(x, angles, dst, mode);
}

void Backend::attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor* mask,
                        const Tensor& dst, AttentionParams p) {
    const char* op = "attention";
    onBackend(op, *this, {&q, &k, &v, &dst, mask});
    isType(op, {&q, &dst}, ElementType::F32);
    isFloat(op, k);
    isFloat(op, v);
    writable(op, dst);
    if (k.ne[0] != q.ne[0]) invalid(op, "q " + q.describe() + " and k " + k.describe());
    if (v.ne[1] != k.ne[1] || v.ne[2] != k.ne[2] || v.ne[3] != k.ne[3])
        invalid(op, "k " + k.describe() + " and v " + v.describe() + " disagree");
    if (q.ne[1] % k.ne[1] != 0)
        invalid(op, std::to_string(q.ne[1]) + " query heads over " + std::to_string(k.ne[1]) +
                        " kv heads");
    if (k.ne[3] != q.ne[3]) invalid(op, "batch of q and k differ");
    if (!hasShape(dst, v.ne[0], q.ne[1], q.ne[2], q.ne[3]))
        invalid(op, "dst " + dst.describe() + " for q " + q.describe() + " v " + v.describe());
    if (mask) {
        isType(op, *mask, ElementType::F32);
        if (!hasShape(*mask, k.ne[2], q.ne[2], 1, 1))
            invalid(op, "mask " + mask->describe() + " must be [kv tokens, query tokens]");
    }
    if (p.slidingWindow < 0) invalid(op, "negative sliding window");
    runAttention(q, k, v, mask, dst, p);
}

void Backend::softmax(const Tensor& x, const Tensor* mask, const Tensor& dst, SoftmaxParams p) {
    const char* op = "softmax";
    onBackend(op, *this, {&x, &dst, mask});
    sameShapeF32Output(op, x, dst);
    if (mask) {
        isType(op, *mask, ElementType::F32);
        if (!hasShape(*mask, x.ne[0], x.ne[1], 1, 1))
            invalid(op, "mask " + mask->describe() + " for " + x.describe());
    }
    runSoftmax(x, mask, dst, p);
}

void Backend::unary(const Tensor& x, const Tensor& dst, Activation fn) {
    const char* op = "unary";
    onBackend(op, *this, {&x, &dst});
    sameShapeF32Output(op, x, dst);
    runUnary(x, dst, fn);
}

void Backend::glu(const Tensor& gate, const Tensor& up, const Tensor& dst, Activation fn) {
    const char* op = "glu";
    onBackendF32(op, *this, {&gate, &up, &dst});
    writable(op, dst);
    sameShape(op, gate, up);
    sameShape(op, gate, dst);
    runGlu(gate, up, dst, fn);
}

void Backend::add(const Tensor& a, const Tensor& b, const Tensor& dst) {
    binaryOperands("add", *this, a, b, dst);
    runBinary(Binary::Add, a, b, dst);
}

void Backend::mul(const Tensor& a, const Tensor& b, const Tensor& dst) {
    binaryOperands("mul", *this, a, b, dst);
    runBinary(Binary::Mul, a, b, dst);
}

void Backend::scale(const Tensor& x, const Tensor& dst, ScaleParams p) {
    onBackend("scale", *this, {&x, &dst});
    sameShapeF32Output("scale", x, dst);
    runScale(x, dst, p);
}

void Backend::copy(const Tensor& src, const Tensor& dst) {
    const char* op = "copy";
    onBackend(op, *this, {&src, &dst});
    writable(op, dst);
    sameShape(op, src, dst);
    for (const Tensor* t : {&src, &dst})
        if (t->type != ElementType::F32 && t->type != ElementType::F16 &&
            t->type != ElementType::BF16)
            invalid(op, "tensor " + t->describe() + " must be F32, F16 or BF16");
    runCopy(src, dst);
}

void Backend::conv2d(const Tensor& input, const Tensor& kernel, const Tensor* bias,
                     const Tensor& dst, Conv2dParams p) {
    const char* op = "conv2d";
    onBackend(op, *this, {&input, &kernel, &dst, bias});
    isType(op, {&input, &dst}, ElementType::F32);
    isFloat(op, kernel);
    writable(op, dst);
    if (p.strideX < 1 || p.strideY < 1 || p.dilationX < 1 || p.dilationY < 1 || p.padX < 0 ||
        p.padY < 0)
        invalid(op, "stride and dilation must be at least 1, padding not negative");
    if (kernel.ne[2] != input.ne[2])
        invalid(op, "kernel " + kernel.describe() + " for input " + input.describe());
    const std::int64_t outW =
        (input.ne[0] + 2 * p.padX - p.dilationX * (kernel.ne[0] - 1) - 1) / p.strideX + 1;
    const std::int64_t outH =
        (input.ne[1] + 2 * p.padY - p.dilationY * (kernel.ne[1] - 1) - 1) / p.strideY + 1;
    if (!hasShape(dst, outW, outH, kernel.ne[3], input.ne[3]))
        invalid(op, "dst " + dst.describe() + " must be [" + std::to_string(outW) + ", " +
                        std::to_string(outH) + ", " + std::to_string(kernel.ne[3]) + ", " +
                        std::to_string(input.ne[3]) + "]");
    perRowVector(op, bias, kernel.ne[3]);
    runConv2d(input, kernel, bias, dst, p);
}

void Backend::upsampleNearest(const Tensor& x, const Tensor& dst, UpsampleParams p) {
    const char* op = "upsample_nearest";
    onBackend(op, *this, {&x, &dst});
    isType(op, {&x, &dst}, ElementType::F32);
    writable(op, dst);
    if (p.factor < 1 || !hasShape(dst, x.ne[0] * p.factor, x.ne[1] * p.factor, x.ne[2], x.ne[3]))
        invalid(op, "dst " + dst.describe() + " for " + x.describe() + " and factor " +
                        std::to_string(p.factor));
    runUpsampleNearest(x, dst, p);
}

void Backend::concat(const Tensor& a, const Tensor& b, const Tensor& dst, ConcatParams p) {
    const char* op = "concat";
    onBackendF32(op, *this, {&a, &b, &dst});
    writable(op, dst);
    if (p.dim < 0 || p.dim > 3) invalid(op, "dimension " + std::to_string(p.dim));
    for (int d = 0; d < 4; ++d) {
        const std::int64_t want = d == p.dim ? a.ne[d] + b.ne[d] : a.ne[d];
        if ((d != p.dim && b.ne[d] != a.ne[d]) || dst.ne[d] != want)
            invalid(op, a.describe() + " + " + b.describe() + " -> " + dst.describe());
    }
    runConcat(a, b, dst, p);
}

} // namespace atelier::compute
