import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import Atelier

// A small square button with one icon and a tooltip.
AbstractButton {
    id: button

    property string iconName
    property string toolTip
    property bool filled: false
    property color iconColor: filled ? Theme.textOnAccent : Theme.textMuted

    implicitWidth: 30
    implicitHeight: 30
    hoverEnabled: true
    Accessible.name: toolTip

    ToolTip.visible: hovered && toolTip.length > 0
    ToolTip.delay: 600
    ToolTip.text: toolTip

    background: Rectangle {
        radius: Theme.radiusS
        color: button.filled ? (button.hovered ? Theme.accentHover : Theme.accent)
                             : (button.hovered || button.down ? Theme.surfaceAlt : "transparent")
        border.width: button.visualFocus ? 1 : 0
        border.color: Theme.accent
    }

    contentItem: Item {
        IconImage {
            anchors.centerIn: parent
            source: "qrc:/icons/" + button.iconName + ".svg"
            sourceSize.width: 18
            sourceSize.height: 18
            color: button.enabled ? button.iconColor : Theme.textFaint
        }
    }
}
