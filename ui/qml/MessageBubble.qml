import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// One message: the person's on the right in the accent colour, others on the left.
// Text is shown as stored (plain text); an unfinished reply says how it ended.
Item {
    id: bubble

    required property string role
    required property string content
    required property string state
    required property date createdAt
    required property var stats

    readonly property bool fromUser: role === "user"

    implicitHeight: column.implicitHeight

    ColumnLayout {
        id: column
        width: parent.width
        spacing: Theme.spacingXs

        Label {
            Layout.alignment: bubble.fromUser ? Qt.AlignRight : Qt.AlignLeft
            text: (bubble.fromUser ? qsTr("You")
                   : bubble.role === "assistant" ? qsTr("Assistant")
                   : bubble.role.charAt(0).toUpperCase() + bubble.role.slice(1))
                  + "  ·  " + Qt.formatDateTime(bubble.createdAt, "hh:mm")
            font.pixelSize: Theme.fontSmall
            color: Theme.textFaint
        }

        Rectangle {
            Layout.alignment: bubble.fromUser ? Qt.AlignRight : Qt.AlignLeft
            Layout.maximumWidth: bubble.width * (bubble.fromUser ? 0.8 : 1.0)
            implicitWidth: Math.min(body.implicitWidth, bubble.width * (bubble.fromUser ? 0.8 : 1.0)
                                    - 2 * Theme.spacingL) + 2 * Theme.spacingL
            implicitHeight: body.implicitHeight + 2 * Theme.spacingM
            radius: Theme.radiusL
            color: bubble.fromUser ? Theme.userBubble : Theme.assistantBubble
            border.width: bubble.fromUser ? 0 : 1
            border.color: Theme.border

            TextEdit {
                id: body
                x: Theme.spacingL
                y: Theme.spacingM
                width: parent.width - 2 * Theme.spacingL
                text: bubble.content
                textFormat: TextEdit.PlainText
                wrapMode: TextEdit.Wrap
                readOnly: true
                selectByMouse: true
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody + 1
                color: bubble.fromUser ? Theme.userBubbleText : Theme.text
                selectionColor: bubble.fromUser ? Qt.lighter(Theme.userBubble, 1.4) : Theme.accentSoft
                selectedTextColor: Theme.text
            }
        }

        Label {
            objectName: "replyStats"
            visible: text.length > 0
            text: {
                const s = bubble.stats || {};
                if (bubble.fromUser || !s.generatedTokens) return "";
                let parts = [qsTr("%1 tokens").arg(s.generatedTokens)];
                if (s.tokensPerSecond) parts.push(qsTr("%1 tok/s").arg(Number(s.tokensPerSecond).toFixed(1)));
                if (s.stopReason) parts.push(s.stopReason);
                return parts.join("  ·  ");
            }
            font.pixelSize: Theme.fontSmall
            color: Theme.textFaint
        }

        StatusChip {
            Layout.alignment: bubble.fromUser ? Qt.AlignRight : Qt.AlignLeft
            visible: bubble.state !== "complete"
            text: bubble.state === "interrupted" ? qsTr("Interrupted — the reply stopped early")
                : bubble.state === "failed" ? qsTr("Failed")
                : bubble.state === "streaming" ? qsTr("Writing…") : bubble.state
            tone: bubble.state === "failed" ? "danger"
                : bubble.state === "streaming" ? "accent" : "warning"
        }
    }
}
