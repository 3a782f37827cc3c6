#include "args.hpp"

#include <charconv>
#include <cmath>

namespace atelier::cli {

std::optional<std::string> Args::option(std::initializer_list<std::string_view> names) {
    for (std::size_t i = 0; i < rest_.size(); ++i) {
        const std::string& a = rest_[i];
        for (std::string_view n : names) {
            if (a == n) {
                if (i + 1 >= rest_.size())
                    throw UsageError("option " + std::string(n) + " needs a value");
                std::string value = rest_[i + 1];
                rest_.erase(rest_.begin() + static_cast<long>(i),
                            rest_.begin() + static_cast<long>(i) + 2);
                return value;
            }
            if (a.size() > n.size() && a.compare(0, n.size(), n) == 0 && a[n.size()] == '=') {
                std::string value = a.substr(n.size() + 1);
                rest_.erase(rest_.begin() + static_cast<long>(i));
                return value;
            }
        }
    }
    return std::nullopt;
}

bool Args::flag(std::initializer_list<std::string_view> names) {
    for (std::size_t i = 0; i < rest_.size(); ++i) {
        for (std::string_view n : names) {
            if (rest_[i] == n) {
                rest_.erase(rest_.begin() + static_cast<long>(i));
                return true;
            }
        }
    }
    return false;
}

std::optional<long long> Args::integer(std::initializer_list<std::string_view> names,
                                       long long min, long long max) {
    auto text = option(names);
    if (!text) return std::nullopt;
    long long v = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || end != text->data() + text->size())
        throw UsageError(std::string(*names.begin()) + ": not an integer: " + *text);
    if (v < min || v > max)
        throw UsageError(std::string(*names.begin()) + ": " + *text + " is outside " +
                         std::to_string(min) + ".." + std::to_string(max));
    return v;
}

std::optional<double> Args::number(std::initializer_list<std::string_view> names, double min,
                                   double max) {
    auto text = option(names);
    if (!text) return std::nullopt;
    double v = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || end != text->data() + text->size() || !std::isfinite(v))
        throw UsageError(std::string(*names.begin()) + ": not a number: " + *text);
    if (v < min || v > max)
        throw UsageError(std::string(*names.begin()) + ": " + *text + " is outside " +
                         std::to_string(min) + ".." + std::to_string(max));
    return v;
}

std::optional<std::string> Args::positional() {
    for (std::size_t i = 0; i < rest_.size(); ++i) {
        if (rest_[i].empty() || rest_[i][0] != '-' || rest_[i] == "-") {
            std::string v = rest_[i];
            rest_.erase(rest_.begin() + static_cast<long>(i));
            return v;
        }
    }
    return std::nullopt;
}

void Args::finish() const {
    if (!rest_.empty()) throw UsageError("unexpected argument: " + rest_.front());
}

} // namespace atelier::cli
