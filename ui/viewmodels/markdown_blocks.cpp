#include "markdown_blocks.hpp"

#include <QStringList>

namespace atelier::ui {

namespace {

struct Fence {
    QChar mark;
    qsizetype length = 0;
    qsizetype indent = 0;
    QString info;
};

// A fence line: up to three spaces, then three or more of one mark. Backtick fences may not
// have a backtick in their info string (CommonMark), which keeps inline ```code``` out.
bool readFence(const QString& line, Fence& fence) {
    qsizetype i = 0;
    while (i < line.size() && i < 4 && line[i] == QLatin1Char(' ')) ++i;
    if (i > 3 || i >= line.size()) return false;
    const QChar mark = line[i];
    if (mark != QLatin1Char('`') && mark != QLatin1Char('~')) return false;
    qsizetype n = 0;
    while (i + n < line.size() && line[i + n] == mark) ++n;
    if (n < 3) return false;
    const QString info = line.mid(i + n).trimmed();
    if (mark == QLatin1Char('`') && info.contains(QLatin1Char('`'))) return false;
    fence = {mark, n, i, info};
    return true;
}

bool closes(const QString& line, const Fence& open) {
    Fence f;
    return readFence(line, f) && f.mark == open.mark && f.length >= open.length && f.info.isEmpty();
}

// Code lines lose up to the opening fence's indentation (CommonMark).
QString unindent(const QString& line, qsizetype indent) {
    qsizetype i = 0;
    while (i < indent && i < line.size() && line[i] == QLatin1Char(' ')) ++i;
    return line.mid(i);
}

void addProse(QList<MarkdownBlock>& out, const QStringList& lines) {
    const QString text = lines.join(QLatin1Char('\n'));
    if (!text.trimmed().isEmpty()) out.append({MarkdownBlock::Prose, text.trimmed(), {}, true});
}

} // namespace

QList<MarkdownBlock> splitMarkdown(const QString& text) {
    QList<MarkdownBlock> out;
    QStringList prose;
    QStringList code;
    Fence open;
    bool inCode = false;
    const QStringList lines =
        QString(text).replace(QLatin1String("\r\n"), QLatin1String("\n")).split(QLatin1Char('\n'));
    for (const QString& line : lines) {
        if (inCode) {
            if (closes(line, open)) {
                out.append({MarkdownBlock::Code, code.join(QLatin1Char('\n')),
                            open.info.section(QLatin1Char(' '), 0, 0), true});
                code.clear();
                inCode = false;
            } else {
                code.append(unindent(line, open.indent));
            }
            continue;
        }
        if (readFence(line, open)) {
            addProse(out, prose);
            prose.clear();
            inCode = true;
            continue;
        }
        prose.append(line);
    }
    if (inCode)
        out.append({MarkdownBlock::Code, code.join(QLatin1Char('\n')),
                    open.info.section(QLatin1Char(' '), 0, 0), false});
    else
        addProse(out, prose);
    return out;
}

} // namespace atelier::ui
