#include "inference/compute/transfer.hpp"

#include "inference/util/error.hpp"

namespace atelier::compute {

void copyAcross(const Tensor& src, const Tensor& dst, std::vector<std::uint8_t>& staging) {
    if (src.type != dst.type || !src.sameShape(dst))
        throw Error(ErrorKind::Invalid,
                    "copy across backends: " + src.describe() + " into " + dst.describe());
    if (&src.backend() == &dst.backend()) {
        src.backend().copy(src, dst);
        return;
    }
    staging.resize(src.byteSpan());
    src.backend().download(src, staging.data());
    dst.backend().upload(dst, staging.data());
}

} // namespace atelier::compute
