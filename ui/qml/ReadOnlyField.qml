import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// A label and a value that can be selected and copied but not edited, with an optional action.
ColumnLayout {
    id: field

    property string label
    property string value
    property string actionText
    signal actionTriggered

    spacing: Theme.spacingXs

    Label {
        text: field.label
        font.pixelSize: Theme.fontSmall
        font.weight: Font.DemiBold
        color: Theme.textMuted
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacingS
        TextField {
            objectName: "value"
            Layout.fillWidth: true
            readOnly: true
            selectByMouse: true
            text: field.value
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontBody - 1
            color: Theme.text
            background: Rectangle {
                implicitHeight: 34
                radius: Theme.radiusS
                color: Theme.surfaceAlt
            }
        }
        Button {
            font.capitalization: Font.MixedCase
            visible: field.actionText.length > 0
            text: field.actionText
            icon.source: "qrc:/icons/folder.svg"
            onClicked: field.actionTriggered()
        }
    }
}
