#pragma once
// Splits template source into text and tag tokens the way Jinja2 does with Hugging Face's
// settings: trim_blocks (drop the first newline after a block or comment tag), lstrip_blocks
// (drop spaces and tabs before a block or comment tag that starts a line), "-" and "+"
// whitespace control, raw blocks, "\r\n" and "\r" read as "\n", one trailing newline dropped.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace atelier::jinja {

struct Token {
    enum class Type {
        Text,
        VarBegin,
        VarEnd,
        BlockBegin,
        BlockEnd,
        Name,
        String,
        Int,
        Float,
        Op,
        End
    };
    Type type = Type::End;
    std::string text; // text, name, decoded string literal or operator
    std::int64_t intValue = 0;
    double floatValue = 0;
    int line = 1;
};

struct LexerOptions {
    bool trimBlocks = true;
    bool lstripBlocks = true;
    bool keepTrailingNewline = false;
};

// Throws atelier::Error (Template) with the line for an unclosed tag, string or comment.
std::vector<Token> tokenize(std::string_view source, const LexerOptions& options = {});

} // namespace atelier::jinja
