import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// One message: the person's on the right in the accent colour, others on the left, rendered as
// Markdown. Below it: the reply's facts (tokens, speed, stop reason, sampling parameters), the
// ‹ i/n › pager when it has other versions, and its actions. The person's message can be
// edited in place and resent (a new branch). A message opened from search is tinted.
Item {
    id: bubble

    required property int index
    required property var messageId
    required property string role
    required property string content
    required property string state
    required property date createdAt
    required property int rating
    required property int siblingIndex
    required property int siblingCount
    required property var siblingIds
    required property bool contextBoundary
    required property string statsText
    required property string paramsText

    property AppController app
    property bool editing: false
    readonly property bool fromUser: role === "user"
    readonly property bool highlighted: app !== null && messageId !== 0
                                        && app.highlightedMessageId === messageId
    readonly property bool busy: app !== null && app.replying

    signal deleteRequested(var messageId)

    function startEditing() {
        editor.text = bubble.content;
        bubble.editing = true;
        editor.forceActiveFocus();
        editor.cursorPosition = editor.length;
        if (bubble.ListView.view)
            Qt.callLater(() => bubble.ListView.view.positionViewAtIndex(bubble.index,
                                                                        ListView.Contain));
    }

    function finishEditing() {
        const text = editor.text;
        if (text.trim().length === 0)
            return;
        bubble.editing = false;
        bubble.app.editAndResend(bubble.messageId, text);
    }

    implicitHeight: column.implicitHeight

    Rectangle {
        objectName: "messageHighlight"
        anchors.fill: parent
        anchors.margins: -Theme.spacingS
        radius: Theme.radiusL
        visible: bubble.highlighted
        color: Theme.warningSoft
        border.width: 1
        border.color: Theme.warningBorder
    }

    ColumnLayout {
        id: column
        width: parent.width
        spacing: Theme.spacingXs

        RowLayout {
            Layout.alignment: bubble.fromUser ? Qt.AlignRight : Qt.AlignLeft
            spacing: Theme.spacingS
            Label {
                text: (bubble.fromUser ? qsTr("You")
                       : bubble.role === "assistant" ? qsTr("Assistant")
                       : bubble.role.charAt(0).toUpperCase() + bubble.role.slice(1))
                      + "  ·  " + Qt.formatDateTime(bubble.createdAt, "hh:mm")
                font.pixelSize: Theme.fontSmall
                color: Theme.textFaint
            }
            SiblingPager {
                objectName: "siblingPager"
                visible: bubble.siblingCount > 1
                index: bubble.siblingIndex
                count: bubble.siblingCount
                ids: bubble.siblingIds
                enabledPaging: !bubble.busy
                onPicked: id => bubble.app.selectMessage(id)
            }
        }

        Rectangle {
            objectName: "messageBody"
            Layout.alignment: bubble.fromUser ? Qt.AlignRight : Qt.AlignLeft
            readonly property real maxWidth: bubble.width * (bubble.fromUser ? 0.8 : 1.0)
            Layout.preferredWidth: bubble.editing || markdown.blockCount !== 1
                                   || bubble.role !== "user" ? maxWidth
                                   : Math.min(maxWidth, naturalWidth.advanceWidth
                                              + 2 * Theme.spacingL + 2)
            implicitHeight: (bubble.editing ? editorColumn.implicitHeight
                                            : markdown.implicitHeight) + 2 * Theme.spacingM
            radius: Theme.radiusL
            color: bubble.fromUser && !bubble.editing ? Theme.userBubble : Theme.assistantBubble
            border.width: bubble.fromUser && !bubble.editing ? 0 : 1
            border.color: bubble.editing ? Theme.accent : Theme.border

            // A short message of yours gets a bubble as wide as its text.
            TextMetrics {
                id: naturalWidth
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody + 1
                text: bubble.content.indexOf("\n") < 0 ? bubble.content : ""
            }

            MarkdownView {
                id: markdown
                objectName: "messageText"
                x: Theme.spacingL
                y: Theme.spacingM
                width: parent.width - 2 * Theme.spacingL
                visible: !bubble.editing
                text: bubble.content
                textColor: bubble.fromUser ? Theme.userBubbleText : Theme.text
                selectionColor: bubble.fromUser ? Qt.lighter(Theme.userBubble, 1.4)
                                                : Theme.accentSoft
            }

            ColumnLayout {
                id: editorColumn
                x: Theme.spacingL
                y: Theme.spacingM
                width: parent.width - 2 * Theme.spacingL
                visible: bubble.editing
                spacing: Theme.spacingS

                TextArea {
                    id: editor
                    objectName: "messageEditor"
                    Layout.fillWidth: true
                    wrapMode: TextEdit.Wrap
                    selectByMouse: true
                    textFormat: TextEdit.PlainText
                    font.pixelSize: Theme.fontBody + 1
                    color: Theme.text
                    background: null
                    Accessible.name: qsTr("Edit message")
                    Keys.onEscapePressed: bubble.editing = false
                    Keys.onPressed: event => {
                        if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                                && !(event.modifiers & Qt.ShiftModifier)) {
                            event.accepted = true;
                            bubble.finishEditing();
                        }
                    }
                }
                RowLayout {
                    Layout.alignment: Qt.AlignRight
                    Button {
                        objectName: "cancelEditButton"
                        text: qsTr("Cancel")
                        flat: true
                        onClicked: bubble.editing = false
                    }
                    Button {
                        objectName: "resendButton"
                        text: qsTr("Send as new version")
                        highlighted: true
                        enabled: editor.text.trim().length > 0 && bubble.app !== null
                                 && bubble.app.canSend && !bubble.busy
                        onClicked: bubble.finishEditing()
                    }
                }
            }
        }

        Label {
            objectName: "replyStats"
            Layout.fillWidth: true
            visible: text.length > 0
            text: bubble.statsText
            wrapMode: Text.WordWrap
            font.pixelSize: Theme.fontSmall
            color: Theme.textMuted
        }
        Label {
            objectName: "replyParams"
            Layout.fillWidth: true
            visible: text.length > 0
            text: bubble.paramsText
            wrapMode: Text.WordWrap
            font.pixelSize: Theme.fontSmall
            font.family: Theme.monoFamily
            color: Theme.textFaint
        }

        RowLayout {
            Layout.alignment: bubble.fromUser ? Qt.AlignRight : Qt.AlignLeft
            spacing: Theme.spacingS
            StatusChip {
                visible: bubble.state !== "complete"
                text: bubble.state === "interrupted" ? qsTr("Interrupted — the reply stopped early")
                    : bubble.state === "failed" ? qsTr("Failed")
                    : bubble.state === "streaming" ? qsTr("Writing…") : bubble.state
                tone: bubble.state === "failed" ? "danger"
                    : bubble.state === "streaming" ? "accent" : "warning"
            }
            MessageActions {
                objectName: "messageActions"
                visible: bubble.app !== null && !bubble.editing && bubble.state !== "streaming"
                fromUser: bubble.fromUser
                rating: bubble.rating
                busy: bubble.busy
                canGenerate: bubble.app !== null && bubble.app.canSend
                onCopyRequested: Clipboard.setText(bubble.content)
                onEditRequested: bubble.startEditing()
                onRegenerateRequested: bubble.app.regenerate(bubble.messageId)
                onDeleteRequested: bubble.deleteRequested(bubble.messageId)
                onRateRequested: r => bubble.app.rate(bubble.messageId, r)
            }
        }

        // Where the part the newest reply could not see ends.
        RowLayout {
            objectName: "contextMarker"
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacingS
            visible: bubble.contextBoundary
            spacing: Theme.spacingS
            Rectangle {
                Layout.fillWidth: true
                implicitHeight: 1
                color: Theme.warningBorder
            }
            Label {
                text: qsTr("Older turns above are outside the model's context")
                font.pixelSize: Theme.fontSmall
                color: Theme.warning
            }
            Rectangle {
                Layout.fillWidth: true
                implicitHeight: 1
                color: Theme.warningBorder
            }
        }
    }
}
