import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// Chat: the open conversation's messages (the branch on screen), the composer, and the
// generation panel. Until an LLM engine is loaded the page says so and the composer cannot
// send. A message opened from search is scrolled to once it is in the list.
Item {
    id: page

    required property AppController app
    readonly property bool hasConversation: app.currentConversationId !== 0
    property bool revealPending: false // a highlighted message waits to be scrolled to
    property bool followEnd: true      // new and growing messages keep the view at the end
    readonly property alias deleteDialog: deleteDialog

    // Scrolls to the highlighted message when it is in the list; otherwise to the end when
    // the view follows it.
    function updateScroll() {
        if (page.revealPending) {
            const row = page.app.messages.rowOf(page.app.highlightedMessageId);
            if (row >= 0) {
                page.revealPending = false;
                page.followEnd = false;
                messageList.positionViewAtIndex(row, ListView.Center);
            }
            return;
        }
        if (page.followEnd)
            messageList.positionViewAtEnd();
    }

    Connections {
        target: page.app
        function onHighlightedMessageIdChanged() {
            page.revealPending = page.app.highlightedMessageId !== 0;
            if (!page.revealPending)
                page.followEnd = true;
            Qt.callLater(page.updateScroll);
        }
        function onCurrentConversationIdChanged() {
            page.followEnd = page.app.highlightedMessageId === 0;
        }
        // The finished reply still grows a little (its stats and actions): keep following.
        function onReplyingChanged() {
            if (!page.app.replying)
                settling.restart();
        }
    }

    Timer {
        id: settling
        interval: 500
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            PageHeader {
                Layout.fillWidth: true
                title: page.hasConversation ? page.app.currentConversationTitle : qsTr("Chat")
                subtitle: page.hasConversation
                          ? (page.app.messages.count === 1 ? qsTr("1 message")
                             : qsTr("%1 messages").arg(page.app.messages.count))
                          : qsTr("No conversation open")
                ContextMeter {
                    objectName: "contextMeter"
                    anchors.verticalCenter: parent.verticalCenter
                    used: page.app.contextUsed
                    length: page.app.contextLength
                    dropped: page.app.droppedMessages
                }
                StatusChip {
                    anchors.verticalCenter: parent.verticalCenter
                    text: page.app.canSend ? qsTr("Model ready") : qsTr("No model loaded")
                    tone: page.app.canSend ? "success" : "warning"
                }
            }

            Item {
                Layout.fillWidth: true
                Layout.fillHeight: true

                ListView {
                    id: messageList
                    objectName: "messageList"
                    anchors.fill: parent
                    visible: count > 0
                    clip: true
                    model: page.app.messages
                    spacing: Theme.spacingL
                    topMargin: Theme.spacingXl
                    bottomMargin: Theme.spacingXl
                    boundsBehavior: Flickable.StopAtBounds
                    ScrollBar.vertical: ScrollBar {}
                    // A reply growing at the end stays in sight unless the person scrolled up
                    // (other changes of height, such as an editor opening, keep the view).
                    onContentHeightChanged: if (page.followEnd && !page.revealPending
                                                    && (page.app.replying || settling.running))
                                                Qt.callLater(page.updateScroll)
                    onMovementEnded: page.followEnd = atYEnd

                    delegate: MessageBubble {
                        width: Math.min(ListView.view.width - 2 * Theme.spacingXl,
                                        Theme.contentMaxWidth)
                        x: (ListView.view.width - width) / 2
                        app: page.app
                        onDeleteRequested: id => deleteDialog.ask(id, "")
                    }

                    Connections {
                        target: page.app.messages
                        function onCountChanged() { Qt.callLater(page.updateScroll); }
                        function onModelReset() { Qt.callLater(page.updateScroll); }
                    }
                }

                EmptyState {
                    anchors.centerIn: parent
                    width: Math.min(parent.width - 2 * Theme.spacingXl, 460)
                    visible: messageList.count === 0 && !page.app.messages.loading
                    iconName: "chat"
                    title: page.hasConversation ? qsTr("No messages yet")
                                                : qsTr("No conversation open")
                    message: page.hasConversation
                             ? qsTr("Messages you send and the model's replies will appear here.")
                             : qsTr("Pick a conversation on the left, or start a new one with Ctrl+N.")
                    actionText: page.hasConversation ? "" : qsTr("New conversation")
                    onActionTriggered: page.app.newConversation()
                }
            }

            Notice {
                objectName: "chatUnavailableNotice"
                Layout.fillWidth: true
                Layout.maximumWidth: Theme.contentMaxWidth
                Layout.alignment: Qt.AlignHCenter
                Layout.leftMargin: Theme.spacingXl
                Layout.rightMargin: Theme.spacingXl
                visible: !page.app.canSend
                text: page.app.chatUnavailableReason
                actionText: qsTr("Open Models")
                onActionTriggered: page.app.currentPage = AppController.Models
            }

            ChatComposer {
                objectName: "composer"
                Layout.fillWidth: true
                Layout.maximumWidth: Theme.contentMaxWidth
                Layout.alignment: Qt.AlignHCenter
                Layout.margins: Theme.spacingXl
                Layout.topMargin: Theme.spacingM
                enabled: page.hasConversation || page.app.canSend
                canSend: page.app.canSend
                replying: page.app.replying
                onSendRequested: text => page.app.send(text)
                onStopRequested: page.app.stopReply()
                placeholderText: page.app.canSend
                                 ? qsTr("Message (Enter to send, Shift+Enter for a new line)")
                                 : qsTr("Write a message — sending needs a loaded model")
            }
        }

        ConfirmDialog {
            id: deleteDialog
            objectName: "deleteMessageDialog"
            title: qsTr("Delete message?")
            message: qsTr("This message and everything written after it on this branch will be deleted.")
            confirmText: qsTr("Delete")
            onAccepted: page.app.deleteMessage(deleteDialog.conversationId)
        }

        GenerationPanel {
            objectName: "generationPanel"
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.panelWidth
            params: page.app.generation
            app: page.app
            enabled: page.hasConversation
        }
    }
}
