#pragma once
// A small argument reader for subcommands: options are taken out by name, and whatever is left
// over is an error, so a typo never passes silently.
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace atelier::cli {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Args {
public:
    explicit Args(std::span<const std::string> args) : rest_(args.begin(), args.end()) {}

    // "--name VALUE" or "--name=VALUE" (any of the spellings); nullopt when absent.
    std::optional<std::string> option(std::initializer_list<std::string_view> names);
    // A boolean switch; true when present.
    bool flag(std::initializer_list<std::string_view> names);
    // Numeric options with range checks; throw UsageError with the option's name.
    std::optional<long long> integer(std::initializer_list<std::string_view> names, long long min,
                                     long long max);
    std::optional<double> number(std::initializer_list<std::string_view> names, double min,
                                 double max);
    // The next positional argument (not starting with "-"), or nullopt.
    std::optional<std::string> positional();
    // Throws UsageError naming the first argument nobody took.
    void finish() const;

private:
    std::vector<std::string> rest_;
};

} // namespace atelier::cli
