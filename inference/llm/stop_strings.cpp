#include "inference/llm/stop_strings.hpp"

#include <algorithm>
#include <utility>

namespace atelier::llm {

StopStringFilter::StopStringFilter(std::vector<std::string> stops) {
    for (std::string& s : stops)
        if (!s.empty()) stops_.push_back(std::move(s));
}

std::string StopStringFilter::push(std::string_view text) {
    if (stopped_) return {};
    held_ += text;
    if (stops_.empty()) return std::exchange(held_, {});

    // The earliest complete stop string ends generation.
    std::size_t first = std::string::npos;
    for (const std::string& s : stops_) {
        const std::size_t at = held_.find(s);
        if (at < first) {
            first = at;
            matched_ = s;
        }
    }
    if (first != std::string::npos) {
        stopped_ = true;
        std::string out = held_.substr(0, first);
        held_.clear();
        return out;
    }

    // Hold back the longest tail that is the start of some stop string.
    std::size_t keep = 0;
    for (const std::string& s : stops_) {
        for (std::size_t n = std::min(s.size() - 1, held_.size()); n > keep; --n) {
            if (held_.compare(held_.size() - n, n, s, 0, n) == 0) {
                keep = n;
                break;
            }
        }
    }
    std::string out = held_.substr(0, held_.size() - keep);
    held_.erase(0, held_.size() - keep);
    return out;
}

std::string StopStringFilter::finish() {
    return stopped_ ? std::string() : std::exchange(held_, {});
}

} // namespace atelier::llm
