#pragma once
// Detokenizes a stream of ids one at a time (as a model generates them) and hands out only
// complete UTF-8: a character whose bytes arrive in several tokens is held back until its last
// byte comes. Bytes that can never form a character are replaced by U+FFFD, so every returned
// chunk is valid UTF-8.
#include "inference/tokenizer/tokenizer.hpp"

#include <string>

namespace atelier::tokenizer {

class StreamingDecoder {
public:
    explicit StreamingDecoder(const Tokenizer& tokenizer, DecodeOptions options = {});

    // The text that became complete with this token (often empty while a character is open).
    // Throws atelier::Error (Invalid) for an id outside the vocabulary.
    std::string push(TokenId id);
    // Ends the stream: whatever is still held back, unfinished characters as U+FFFD.
    std::string finish();
    // Starts a new stream.
    void reset();

    // Bytes held back waiting for the rest of a character.
    std::size_t pendingBytes() const { return pending_.size(); }

private:
    std::string take(std::size_t keep);

    const Tokenizer* tokenizer_;
    DecodeOptions options_;
    std::string pending_;
    bool atStart_ = true;
};

} // namespace atelier::tokenizer
