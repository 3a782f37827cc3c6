import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// The message box. Enter sends, Shift+Enter starts a new line. Sending is only offered when a
// model can answer (canSend); otherwise the draft simply stays in the box.
Rectangle {
    id: composer

    property bool canSend: false
    property bool replying: false // a reply is streaming: Stop is offered beside Send
    property alias text: area.text
    property alias placeholderText: area.placeholderText
    readonly property bool sendable: canSend && !replying && enabled
                                     && area.text.trim().length > 0

    signal sendRequested(string text)
    signal stopRequested()

    function trySend() {
        if (!sendable)
            return false;
        const message = area.text;
        area.clear();
        sendRequested(message);
        return true;
    }

    implicitHeight: Math.min(Math.max(area.implicitHeight, 44), 200) + 2 * Theme.spacingS
    radius: Theme.radiusL
    color: Theme.surface
    border.width: 1
    border.color: area.activeFocus ? Theme.accent : Theme.border
    opacity: enabled ? 1 : 0.6

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingS
        anchors.leftMargin: Theme.spacingXs
        spacing: Theme.spacingS

        ScrollView {
            Layout.fillWidth: true
            Layout.fillHeight: true

            TextArea {
                id: area
                objectName: "composerInput"
                wrapMode: TextEdit.Wrap
                selectByMouse: true
                textFormat: TextEdit.PlainText
                font.pixelSize: Theme.fontBody + 1
                color: Theme.text
                placeholderTextColor: Theme.textFaint
                background: null
                Accessible.name: qsTr("Message")

                Keys.onPressed: event => {
                    if (event.key !== Qt.Key_Return && event.key !== Qt.Key_Enter)
                        return;
                    event.accepted = true;
                    if (event.modifiers & Qt.ShiftModifier)
                        area.insert(area.cursorPosition, "\n");
                    else
                        composer.trySend();
                }
            }
        }

        Button {
            objectName: "stopButton"
            Layout.alignment: Qt.AlignBottom
            visible: composer.replying
            text: qsTr("Stop")
            onClicked: composer.stopRequested()
        }

        IconButton {
            objectName: "sendButton"
            Layout.alignment: Qt.AlignBottom
            implicitWidth: 36
            implicitHeight: 36
            iconName: "send"
            filled: composer.sendable
            enabled: composer.sendable
            toolTip: composer.canSend ? qsTr("Send (Enter)")
                                      : qsTr("Sending needs a loaded model")
            onClicked: composer.trySend()
        }
    }
}
