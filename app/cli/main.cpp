// atelier-cli: the terminal twin of the app. Subcommands live in their own files and register
// themselves (command.hpp); this file only dispatches and turns exceptions into exit codes.
#include "args.hpp"
#include "command.hpp"

#include "app/version.hpp"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>


namespace atelier::cli {
std::vector<Command>& registry() {
    static std::vector<Command> commands;
    return commands;
}
} // namespace atelier::cli

namespace {

void printHelp() {
    using namespace atelier::cli;
    auto commands = registry();
    std::sort(commands.begin(), commands.end(),
              [](const Command& a, const Command& b) { return a.name < b.name; });
    std::cout << "atelier-cli " << atelier::versionString() << " - Atelier from the terminal\n\n"
                 "Usage: atelier-cli COMMAND [OPTIONS]\n"
                 "       atelier-cli help COMMAND\n"
                 "       atelier-cli --version | --help\n\n"
                 "Commands:\n";
    for (const auto& c : commands) {
        std::cout << "  " << c.name;
        for (std::size_t i = c.name.size(); i < 18; ++i) std::cout << ' ';
        std::cout << c.summary << "\n";
    }
}

const atelier::cli::Command* findCommand(const std::string& name) {
    for (const auto& c : atelier::cli::registry())
        if (c.name == name) return &c;
    return nullptr;
}

} // namespace

int main(int argc, char** argv) {
    using namespace atelier::cli;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        printHelp();
        return args.empty() ? kExitUsage : kExitOk;
    }
    if (args[0] == "--version") {
        std::cout << "atelier-cli " << atelier::versionString() << "\n";
        return kExitOk;
    }
    if (args[0] == "help") {
        if (args.size() < 2) {
            printHelp();
            return kExitOk;
        }
        if (const Command* c = findCommand(args[1])) {
            std::cout << c->usage;
            return kExitOk;
        }
        std::cerr << "atelier-cli: unknown command '" << args[1] << "'\n";
        return kExitUsage;
    }
    const Command* command = findCommand(args[0]);
    if (!command) {
        std::cerr << "atelier-cli: unknown command '" << args[0]
                  << "' (see atelier-cli --help)\n";
        return kExitUsage;
    }
    std::span<const std::string> rest(args.data() + 1, args.size() - 1);
    try {
        for (const auto& a : rest) {
            if (a == "--help" || a == "-h") {
                std::cout << command->usage;
                return kExitOk;
            }
        }
        return command->run(rest);
    } catch (const UsageError& e) {
        std::cerr << "atelier-cli " << command->name << ": " << e.what() << "\n\n"
                  << command->usage;
        return kExitUsage;
    } catch (const std::bad_alloc&) {
        std::cerr << "atelier-cli " << command->name << ": out of memory\n";
        return kExitFailure;
    } catch (const std::exception& e) {
        std::cerr << "atelier-cli " << command->name << ": " << e.what() << "\n";
        return kExitFailure;
    }
}
