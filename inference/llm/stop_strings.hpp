#pragma once
// Watches generated text for stop strings. Text that might be the beginning of a stop string is
// held back until it is clear either way, so a caller never sees any part of a stop string.
// Input and output are whole UTF-8 (held-back text always starts at a character boundary).
#include <string>
#include <string_view>
#include <vector>

namespace atelier::llm {

class StopStringFilter {
public:
    explicit StopStringFilter(std::vector<std::string> stops);

    // Adds generated text; returns what may be shown now. After a stop string completes, returns
    // the text before it and stopped() becomes true (further input is ignored).
    std::string push(std::string_view text);
    // The text still held back (at the end of generation, when no stop string completed).
    std::string finish();

    bool stopped() const { return stopped_; }
    const std::string& matched() const { return matched_; }

private:
    std::vector<std::string> stops_;
    std::string held_;
    std::string matched_;
    bool stopped_ = false;
};

} // namespace atelier::llm
