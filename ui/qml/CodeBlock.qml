import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// A fenced code block: monospace in a framed box, its language, and a Copy button.
// While a reply is still writing it (`closed` false) it shows what has arrived so far.
Rectangle {
    id: block

    property string code
    property string language
    property bool closed: true

    implicitHeight: column.implicitHeight
    radius: Theme.radiusS
    color: Theme.surfaceAlt
    border.width: 1
    border.color: Theme.border

    ColumnLayout {
        id: column
        width: parent.width
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingM
            Layout.rightMargin: Theme.spacingXs
            Layout.topMargin: Theme.spacingXs
            Label {
                Layout.fillWidth: true
                text: block.language.length > 0 ? block.language : qsTr("code")
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontSmall
                color: Theme.textMuted
                elide: Text.ElideRight
            }
            ToolButton {
                id: copyButton
                objectName: "copyCodeButton"
                property bool copied: false
                text: copied ? qsTr("Copied") : qsTr("Copy")
                icon.source: "qrc:/icons/copy.svg"
                icon.width: 14
                icon.height: 14
                font.pixelSize: Theme.fontSmall
                font.capitalization: Font.MixedCase
                implicitHeight: 28
                Accessible.name: qsTr("Copy code")
                onClicked: {
                    Clipboard.setText(block.code);
                    copied = true;
                    copiedTimer.restart();
                }
                Timer {
                    id: copiedTimer
                    interval: 1500
                    onTriggered: copyButton.copied = false
                }
            }
        }

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 1
            color: Theme.border
        }

        Flickable {
            id: scroller
            Layout.fillWidth: true
            Layout.preferredHeight: codeText.implicitHeight + 2 * Theme.spacingM
            contentWidth: codeText.implicitWidth + 2 * Theme.spacingM
            contentHeight: height
            flickableDirection: Flickable.HorizontalFlick
            boundsBehavior: Flickable.StopAtBounds
            clip: true
            ScrollBar.horizontal: ScrollBar {
                policy: scroller.contentWidth > scroller.width ? ScrollBar.AsNeeded
                                                               : ScrollBar.AlwaysOff
            }

            TextEdit {
                id: codeText
                objectName: "codeText"
                x: Theme.spacingM
                y: Theme.spacingM
                text: block.code
                textFormat: TextEdit.PlainText
                readOnly: true
                selectByMouse: true
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontBody
                color: Theme.text
                selectionColor: Theme.accentSoft
                selectedTextColor: Theme.text
            }
        }
    }
}
