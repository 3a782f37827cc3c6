#include "inference/tokenizer/special_tokens.hpp"

#include <algorithm>
#include <cctype>

namespace atelier::tokenizer {

namespace {

bool isPhi3(const Vocabulary& vocab) {
    std::string name = vocab.name;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name.find("phi-3") != std::string::npos || name.find("phi3") != std::string::npos;
}

// Phi-3's added tokens are configured with rstrip, except these.
bool phi3Rstrip(std::string_view text) {
    return text != "<unk>" && text != "<s>" && text != "<|endoftext|>";
}

bool isAsciiSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

} // namespace

SpecialTokenMatcher::SpecialTokenMatcher(const Vocabulary& vocab) {
    const bool phi3 = isPhi3(vocab);
    for (std::size_t i = 0; i < vocab.size(); ++i) {
        const auto id = static_cast<TokenId>(i);
        const TokenType type = vocab.type(id);
        if (type != TokenType::Control && type != TokenType::Unknown &&
            type != TokenType::UserDefined)
            continue;
        const std::string& text = vocab.tokens[i];
        if (text.empty()) continue;
        byFirstByte_[static_cast<unsigned char>(text[0])].push_back(
            {text, id, type == TokenType::UserDefined, phi3 && phi3Rstrip(text)});
    }
    for (auto& bucket : byFirstByte_)
        std::stable_sort(bucket.begin(), bucket.end(), [](const Entry& a, const Entry& b) {
            return a.text.size() > b.text.size();
        });
}

void SpecialTokenMatcher::split(std::string_view text, bool parseSpecial,
                                std::vector<Fragment>& out) const {
    std::size_t rawStart = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const auto& bucket = byFirstByte_[static_cast<unsigned char>(text[pos])];
        const Entry* found = nullptr;
        for (const Entry& e : bucket) {
            if (!parseSpecial && !e.alwaysParsed) continue;
            if (text.compare(pos, e.text.size(), e.text) == 0 &&
                pos + e.text.size() <= text.size()) {
                found = &e;
                break;
            }
        }
        if (!found) {
            ++pos;
            continue;
        }
        if (pos > rawStart) out.push_back({text.substr(rawStart, pos - rawStart), -1});
        out.push_back({found->text, found->id});
        pos += found->text.size();
        if (found->rstrip)
            while (pos < text.size() && isAsciiSpace(text[pos])) ++pos;
        rawStart = pos;
    }
    if (rawStart < text.size()) out.push_back({text.substr(rawStart), -1});
}

} // namespace atelier::tokenizer
