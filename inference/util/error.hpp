#pragma once
// Typed errors the engines throw; the message is meant for a person ("model.gguf: ...").
#include <stdexcept>
#include <string>

namespace atelier {

enum class ErrorKind {
    Io,          // the file system said no: missing file, permissions, full disk
    Format,      // a file is not what it claims: truncated, corrupt, hostile
    Unsupported, // a valid file using something we do not implement (type, architecture)
    Invalid,     // a bad parameter from the caller
    Template,    // a chat template failed to render (including raise_exception)
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

private:
    ErrorKind kind_;
};

} // namespace atelier
