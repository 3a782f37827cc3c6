import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Layouts
import Atelier

// A centred explanation for a page or list with nothing to show, and an optional action.
ColumnLayout {
    id: state

    property string iconName: "info"
    property string title
    property string message
    property string actionText
    signal actionTriggered

    spacing: Theme.spacingM

    Rectangle {
        Layout.alignment: Qt.AlignHCenter
        Layout.bottomMargin: Theme.spacingXs
        width: 64
        height: 64
        radius: 32
        color: Theme.accentSoft
        IconImage {
            anchors.centerIn: parent
            source: "qrc:/icons/" + state.iconName + ".svg"
            sourceSize.width: 28
            sourceSize.height: 28
            color: Theme.accent
        }
    }
    Label {
        Layout.fillWidth: true
        text: state.title
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
        font.pixelSize: Theme.fontTitle
        font.weight: Font.DemiBold
        color: Theme.text
    }
    Label {
        Layout.fillWidth: true
        visible: state.message.length > 0
        text: state.message
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
        lineHeight: 1.25
        color: Theme.textMuted
    }
    Button {
        font.capitalization: Font.MixedCase
        Layout.alignment: Qt.AlignHCenter
        Layout.topMargin: Theme.spacingS
        visible: state.actionText.length > 0
        text: state.actionText
        highlighted: true
        onClicked: state.actionTriggered()
    }
}
