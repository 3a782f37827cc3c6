#include "inference/tokenizer/stream_decoder.hpp"

#include "inference/tokenizer/utf8.hpp"
#include "inference/util/utf8_decode.hpp"

namespace atelier::tokenizer {

StreamingDecoder::StreamingDecoder(const Tokenizer& tokenizer, DecodeOptions options)
    : tokenizer_(&tokenizer), options_(options) {}

std::string StreamingDecoder::push(TokenId id) {
    tokenizer_->appendPiece(id, options_, atStart_, pending_);
    return take(utf8IncompleteTailLength(pending_));
}

std::string StreamingDecoder::finish() {
    std::string out = take(0);
    atStart_ = true;
    return out;
}

void StreamingDecoder::reset() {
    pending_.clear();
    atStart_ = true;
}

// Hands out pending_ except its last `keep` bytes, replacing malformed bytes by U+FFFD.
std::string StreamingDecoder::take(std::size_t keep) {
    const std::string_view ready = std::string_view(pending_).substr(0, pending_.size() - keep);
    std::string out;
    out.reserve(ready.size());
    for (std::size_t pos = 0; pos < ready.size();) {
        const std::size_t n = utf8SequenceLength(ready, pos);
        if (n == 0) {
            utf8::append(out, utf8::kReplacement);
            ++pos;
        } else {
            out.append(ready.substr(pos, n));
            pos += n;
        }
    }
    pending_.erase(0, ready.size());
    return out;
}

} // namespace atelier::tokenizer
