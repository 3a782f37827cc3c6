import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import Atelier

// A text field with a magnifier, for filtering lists.
TextField {
    id: field

    leftPadding: 34
    rightPadding: Theme.spacingS
    topPadding: 7
    bottomPadding: 7
    selectByMouse: true
    font.pixelSize: Theme.fontBody
    color: Theme.text
    placeholderTextColor: Theme.textFaint

    background: Rectangle {
        implicitHeight: 34
        radius: Theme.radiusS
        color: Theme.surface
        border.width: 1
        border.color: field.activeFocus ? Theme.accent : Theme.border
        IconImage {
            x: 10
            anchors.verticalCenter: parent.verticalCenter
            source: "qrc:/icons/search.svg"
            sourceSize.width: 16
            sourceSize.height: 16
            color: Theme.textFaint
        }
    }
}
