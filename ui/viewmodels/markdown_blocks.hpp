#pragma once
// Splits a message into prose and fenced code blocks, so the page can draw code in a framed
// monospace box with its own Copy button while Qt's Markdown renderer draws the prose.
// Streaming text is split the same way on every update: a fence that is not closed yet runs to
// the end of the text (a code block being written renders as code at once).
#include <QList>
#include <QString>

namespace atelier::ui {

struct MarkdownBlock {
    enum Kind { Prose, Code };
    Kind kind = Prose;
    QString text;       // prose: Markdown source; code: the code lines, without the fences
    QString language;   // code: the fence's info word ("python"), may be empty
    bool closed = true; // code: false while its closing fence has not arrived
    bool operator==(const MarkdownBlock&) const = default;
};

// Fences are CommonMark's: a line of three or more ` or ~ indented by at most three spaces,
// closed by a line of the same character at least as long. Blank prose between blocks is
// dropped; code keeps its blank lines.
QList<MarkdownBlock> splitMarkdown(const QString& text);

} // namespace atelier::ui
