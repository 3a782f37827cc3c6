#pragma once
// atelier-cli subcommands register themselves here, one file per command family
// (cli_conversations.cpp, cli_info.cpp, ...). main.cpp only dispatches.
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace atelier::cli {

// Exit codes: 0 ok, 1 runtime failure (bad file, template raised...), 2 bad usage.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

using CommandFn = std::function<int(std::span<const std::string> args)>;

struct Command {
    std::string name;    // "info", "conversations", ...
    std::string summary; // one line for --help
    std::string usage;   // full usage text, printed by "atelier-cli help NAME" and on usage errors
    CommandFn run;
};

std::vector<Command>& registry();

struct Registrar {
    explicit Registrar(Command command) { registry().push_back(std::move(command)); }
};

} // namespace atelier::cli
