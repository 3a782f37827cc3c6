import QtQuick
import QtQuick.Controls
import QtTest
import Atelier

// The chat page over the real chat service and the tiny fixture model (see
// test_chat_quick.cpp): typing and sending streams a reply into the list and stores both
// messages; the per-message actions and the pager work from the page; code blocks render in
// their box and copy. Waits are tryVerify/tryCompare with generous limits (a loaded machine).
Item {
    id: root

    width: 1100
    height: 760

    property string streamedText: "" // an assistant row's text, seen shown while streaming

    ChatPage {
        id: page
        anchors.fill: parent
        app: testApp
    }

    // Looks at the bubbles on each list change (at once and once the change has settled), to
    // catch a reply while it streams.
    Connections {
        target: testApp.messages
        function onDataChanged() {
            root.lookForStreamingText();
            Qt.callLater(root.lookForStreamingText);
        }
    }

    function lookForStreamingText() {
        const bubbles = root.findAll(page, b => b.role === "assistant" && b.state === "streaming");
        for (const b of bubbles) {
            if (b.content.length > 0 && root.renderedText(b).length > 0
                    && root.streamedText.length === 0)
                root.streamedText = b.content;
        }
    }

    function findAll(item, test) {
        let found = [];
        if (!item)
            return found;
        if (test(item))
            found.push(item);
        for (let i = 0; i < item.children.length; ++i)
            found = found.concat(findAll(item.children[i], test));
        return found;
    }

    function findNamed(item, name) {
        const hits = findAll(item, i => i.objectName === name);
        return hits.length > 0 ? hits[0] : null;
    }

    // What a bubble shows: its prose and code texts, in order.
    function renderedText(bubble) {
        return findAll(bubble, i => (i.objectName === "proseText" || i.objectName === "codeText")
                                    && i.visible)
            .map(i => i.getText(0, i.length)).join("\n");
    }

    function bubbles() {
        return findAll(page, i => i.role !== undefined && i.messageId !== undefined
                                  && i.siblingCount !== undefined);
    }

    // Scrolls the list so that the bubble is in sight (clicks land on what is shown).
    function reveal(bubble) {
        const list = findNamed(page, "messageList");
        list.positionViewAtIndex(testApp.messages.rowOf(bubble.messageId), ListView.Contain);
        test.waitForRendering(page); // layouts settle before a frame: click what is drawn
    }

    function bubbleOf(role, index) {
        const list = bubbles().filter(b => b.role === role);
        list.sort((a, b) => a.y - b.y);
        return index < list.length ? list[index] : null;
    }

    Component {
        id: markdownHost
        MarkdownView {
            width: 500
        }
    }

    TestCase {
        id: test
        name: "ChatPage"
        when: windowShown

        function initTestCase() {
            tryCompare(testApp, "currentConversationId", testProbe.conversationId, 20000);
            tryVerify(() => testApp.canSend, 20000);
        }

        function test_1_typeSendStreamAndStore() {
            const input = findNamed(page, "composerInput");
            verify(input);
            input.forceActiveFocus();
            tryVerify(() => input.activeFocus);
            for (const c of "Hello model")
                keyClick(c);
            compare(input.text, "Hello model");
            const send = findNamed(page, "sendButton");
            verify(send.enabled);
            mouseClick(send);
            compare(input.text, "");

            // The question shows, then the reply streams into the list.
            tryVerify(() => bubbleOf("user", 0) !== null
                            && renderedText(bubbleOf("user", 0)) === "Hello model", 20000);
            tryVerify(() => root.streamedText.length > 0, 90000,
                      "no streamed text appeared in the message list");
            tryVerify(() => bubbleOf("assistant", 0) !== null
                            && bubbleOf("assistant", 0).state === "complete", 90000);
            const shown = renderedText(bubbleOf("assistant", 0));
            verify(shown.length > 0);
            verify(findNamed(bubbleOf("assistant", 0), "replyStats").text.indexOf("tokens") >= 0);
            verify(findNamed(bubbleOf("assistant", 0), "replyParams").text.indexOf("temp 0") === 0);

            // The database holds the question and the finished reply.
            let stored = [];
            tryVerify(() => {
                stored = testProbe.messages(testProbe.conversationId);
                return stored.length === 2 && stored[1].state === "complete";
            }, 20000);
            compare(stored[0].role, "user");
            compare(stored[0].content, "Hello model");
            compare(stored[1].role, "assistant");
            compare(stored[1].parentId, stored[0].id);
            verify(stored[1].content.length > 0);
            verify(stored[1].content.startsWith(root.streamedText),
                   "the stored reply begins with what was streamed");
            tryVerify(() => findNamed(page, "contextMeter").visible, 20000);
        }

        function test_2_regenerateThenPageBack() {
            const reply = bubbleOf("assistant", 0);
            verify(reply);
            const firstId = reply.messageId;
            reveal(reply);
            mouseClick(findNamed(reply, "regenerateButton"));
            tryVerify(() => {
                const r = bubbleOf("assistant", 0);
                return r && r.messageId !== firstId && r.state === "complete"
                       && r.siblingCount === 2;
            }, 90000);
            let pager = findNamed(bubbleOf("assistant", 0), "siblingPager");
            verify(pager.visible);
            compare(findNamed(pager, "siblingPosition").text, "2/2");

            reveal(bubbleOf("assistant", 0));
            mouseClick(findNamed(pager, "previousSibling"));
            tryVerify(() => bubbleOf("assistant", 0).messageId === firstId, 20000);
            pager = findNamed(bubbleOf("assistant", 0), "siblingPager");
            tryCompare(findNamed(pager, "siblingPosition"), "text", "1/2", 5000);
        }

        function test_3_rateToggles() {
            const reply = bubbleOf("assistant", 0);
            reveal(reply);
            const up = findNamed(reply, "thumbUpButton");
            mouseClick(up);
            tryCompare(reply, "rating", 1, 20000);
            mouseClick(up);
            tryCompare(reply, "rating", 0, 20000);
            mouseClick(findNamed(reply, "thumbDownButton"));
            tryCompare(reply, "rating", -1, 20000);
            tryVerify(() => testProbe.messages(testProbe.conversationId)
                                .some(m => m.id === reply.messageId && m.rating === -1), 20000);
        }

        function test_4_editAndResendMakesABranch() {
            const question = bubbleOf("user", 0);
            const originalId = question.messageId;
            reveal(question);
            mouseClick(findNamed(question, "editMessageButton"));
            const editor = findNamed(question, "messageEditor");
            tryVerify(() => editor.visible && editor.activeFocus);
            editor.selectAll();
            for (const c of "Again")
                keyClick(c);
            reveal(question);
            mouseClick(findNamed(question, "resendButton"));


            tryVerify(() => {
                const q = bubbleOf("user", 0);
                const r = bubbleOf("assistant", 0);
                return q && q.messageId !== originalId && q.siblingCount === 2
                       && r && r.state === "complete" && r.siblingCount === 1;
            }, 90000);
            compare(renderedText(bubbleOf("user", 0)), "Again");
        }

        function test_5_highlightFromSearch() {
            const question = bubbleOf("user", 0);
            testApp.openConversationAt(testProbe.conversationId, question.messageId);
            tryVerify(() => findNamed(bubbleOf("user", 0), "messageHighlight").visible, 20000);
            verify(!findNamed(bubbleOf("assistant", 0), "messageHighlight").visible);
            testApp.clearHighlight();
            verify(!findNamed(bubbleOf("user", 0), "messageHighlight").visible);
        }

        function test_6_deleteAsksThenDeletes() {
            const count = testProbe.messages(testProbe.conversationId).length;
            const reply = bubbleOf("assistant", 0);
            const deletedId = reply.messageId;
            reveal(reply);
            mouseClick(findNamed(reply, "deleteMessageButton"));
            tryVerify(() => page.deleteDialog.opened, 5000);
            page.deleteDialog.accept();
            tryVerify(() => !page.deleteDialog.visible, 5000); // its modal overlay has gone
            tryVerify(() => testProbe.messages(testProbe.conversationId).length === count - 1,
                      20000);
            verify(!testProbe.messages(testProbe.conversationId).some(m => m.id === deletedId));
            tryVerify(() => testApp.messages.rowOf(deletedId) < 0, 20000);
            // The edited question had one reply: its branch now ends with it.
            tryCompare(testApp.messages, "count", 1, 20000);
        }

        function test_6b_presetButtonsSetTheSliders() {
            const creative = findNamed(page, "presetCreative");
            verify(creative);
            mouseClick(creative);
            compare(testApp.generation.temperature, 1.1);
            compare(testApp.generation.topK, 100);
            compare(testApp.generation.activePreset, "Creative");
            verify(creative.highlighted);
            compare(findNamed(findNamed(page, "temperatureSlider"), "valueText").text, "1.10");
            mouseClick(findNamed(page, "presetPrecise"));
            compare(testApp.generation.temperature, 0.2);
            verify(!creative.highlighted);
        }

        // A streaming reply with an unfinished fence already renders as code; the finished
        // block's Copy button puts the code on the clipboard.
        function test_7_codeBlocksRenderAndCopy() {
            const view = createTemporaryObject(markdownHost, root);
            view.text = "Here:\n```python\nprint('hi')";
            const block = findNamed(view, "codeBlock");
            verify(block);
            compare(block.language, "python");
            verify(!block.closed);
            compare(findNamed(block, "codeText").text, "print('hi')");
            view.text = "Here:\n```python\nprint('hi')\nprint('there')\n```\nDone.";
            compare(findNamed(view, "codeBlock"), block, "the block is kept while it grows");
            verify(block.closed);
            compare(view.blockCount, 3);
            waitForRendering(view);
            mouseClick(findNamed(block, "copyCodeButton"));
            compare(Clipboard.text(), "print('hi')\nprint('there')");
            compare(findNamed(block, "copyCodeButton").text, "Copied");
        }
    }
}
