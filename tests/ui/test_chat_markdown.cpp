// Splitting a message into prose and fenced code (also while it streams), the block model's
// in-place updates, and the lines under a reply.
#include "ui/viewmodels/markdown_block_model.hpp"
#include "ui/viewmodels/markdown_blocks.hpp"
#include "ui/viewmodels/reply_facts.hpp"

#include <QSignalSpy>
#include <QTest>

using atelier::ui::MarkdownBlock;
using atelier::ui::MarkdownBlockModel;
using atelier::ui::splitMarkdown;

namespace {
MarkdownBlock prose(const QString& text) {
    return {MarkdownBlock::Prose, text, {}, true};
}
MarkdownBlock code(const QString& text, const QString& language = {}, bool closed = true) {
    return {MarkdownBlock::Code, text, language, closed};
}
} // namespace

Q_DECLARE_METATYPE(QList<MarkdownBlock>)

class TestChatMarkdown : public QObject {
    Q_OBJECT

private slots:
    void split_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QList<MarkdownBlock>>("blocks");
        QTest::newRow("empty") << QString() << QList<MarkdownBlock>{};
        QTest::newRow("prose only")
            << "Hello **world**\n\n- a\n- b" << QList{prose("Hello **world**\n\n- a\n- b")};
        QTest::newRow("code between prose")
            << "Try this:\n```python\nprint(1)\n\nprint(2)\n```\nDone."
            << QList{prose("Try this:"), code("print(1)\n\nprint(2)", "python"), prose("Done.")};
        QTest::newRow("tilde fence, info words")
            << "~~~ c++ extra\nint x;\n~~~" << QList{code("int x;", "c++")};
        QTest::newRow("unclosed fence while streaming")
            << "Here:\n```js\nconst a = 1;\nconst b"
            << QList{prose("Here:"), code("const a = 1;\nconst b", "js", false)};
        QTest::newRow("just opened") << "```" << QList{code({}, {}, false)};
        QTest::newRow("longer closing fence, shorter one is content")
            << "````\n```\ninner\n```\n`````" << QList{code("```\ninner\n```")};
        QTest::newRow("other mark does not close") << "```\n~~~\n```" << QList{code("~~~")};
        QTest::newRow("closing fence with info is content")
            << "```\na\n```sh\n```" << QList{code("a\n```sh")};
        QTest::newRow("inline triple backticks are prose")
            << "Use ```x``` inline" << QList{prose("Use ```x``` inline")};
        QTest::newRow("indented fence loses its indent in code")
            << "  ```\n  two\n    four\n  ```" << QList{code("two\n  four")};
        QTest::newRow("four spaces is not a fence")
            << "    ```\n    x" << QList{prose("```\n    x")};
        QTest::newRow("CRLF") << "a\r\n```\r\nb\r\n```\r\n" << QList{prose("a"), code("b")};
    }
    void split() {
        QFETCH(QString, text);
        QFETCH(QList<MarkdownBlock>, blocks);
        const QList<MarkdownBlock> got = splitMarkdown(text);
        QCOMPARE(got.size(), blocks.size());
        for (qsizetype i = 0; i < got.size(); ++i) {
            QCOMPARE(int(got[i].kind), int(blocks[i].kind));
            QCOMPARE(got[i].text, blocks[i].text);
            QCOMPARE(got[i].language, blocks[i].language);
            QCOMPARE(got[i].closed, blocks[i].closed);
        }
    }

    // A reply growing token by token: rows already there are updated, never rebuilt.
    void blockModelUpdatesInPlaceWhileStreaming() {
        MarkdownBlockModel model;
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        const QString full =
            QStringLiteral("Here is code:\n```py\nx = 1\ny = 2\n```\nThat is all.");
        for (qsizetype n = 1; n <= full.size(); ++n) model.setText(full.left(n));

        QCOMPARE(model.count(), 3);
        QCOMPARE(model.data(model.index(0), MarkdownBlockModel::KindRole).toString(), "prose");
        QCOMPARE(model.data(model.index(1), MarkdownBlockModel::KindRole).toString(), "code");
        QCOMPARE(model.data(model.index(1), MarkdownBlockModel::TextRole).toString(),
                 "x = 1\ny = 2");
        QCOMPARE(model.data(model.index(1), MarkdownBlockModel::LanguageRole).toString(), "py");
        QVERIFY(model.data(model.index(1), MarkdownBlockModel::ClosedRole).toBool());
        QCOMPARE(model.data(model.index(2), MarkdownBlockModel::TextRole).toString(),
                 "That is all.");
        QCOMPARE(reset.count(), 0);
        QCOMPARE(removed.count(), 0);
        QCOMPARE(inserted.count(), 3); // each block once
        QVERIFY(changed.count() > 10);

        model.setText(QStringLiteral("Different"));
        QCOMPARE(model.count(), 1);
        QCOMPARE(model.data(model.index(0), MarkdownBlockModel::TextRole).toString(), "Different");
    }

    void replyFacts() {
        using namespace atelier::ui;
        const QJsonObject stats{{"generatedTokens", 42},
                                {"ttftSeconds", 0.314},
                                {"tokensPerSecond", 18.46},
                                {"stopReason", "eog"},
                                {"seed", "987654321"}};
        QCOMPARE(
            replyStatsLine(stats),
            QStringLiteral("42 tokens  ·  first token 0.31 s  ·  18.5 tok/s  ·  end of reply"));
        QCOMPARE(replyStatsLine({}), QString());
        QCOMPARE(replyStatsLine({{"stopReason", "cancelled"}}), QStringLiteral("stopped"));

        const QJsonObject params{{"temperature", 0.7}, {"topP", 0.95},         {"topK", 0},
                                 {"minP", 0.05},       {"repeatPenalty", 1.1}, {"seed", -1}};
        QCOMPARE(replyParamsLine(params, stats),
                 QStringLiteral("temp 0.7  ·  top-p 0.95  ·  top-k off  ·  min-p 0.05  ·  "
                                "repeat 1.1  ·  seed 987654321 (random)"));
        QJsonObject fixed = params;
        fixed["seed"] = 42;
        QCOMPARE(replyParamsLine(fixed, {}).section(QStringLiteral("  ·  "), -1),
                 QStringLiteral("seed 42"));
        QCOMPARE(replyParamsLine({}, stats), QString());
        QCOMPARE(stopReasonText("length"), QStringLiteral("max tokens reached"));
    }
};

QTEST_GUILESS_MAIN(TestChatMarkdown)
#include "test_chat_markdown.moc"
