import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Layouts
import Atelier

// One page button of the navigation rail: icon above a short label, a pill when selected.
AbstractButton {
    id: button

    property string iconName
    property int badge: 0

    Layout.alignment: Qt.AlignHCenter
    implicitWidth: 64
    implicitHeight: 58
    hoverEnabled: true
    focusPolicy: Qt.TabFocus

    Accessible.name: text
    Accessible.role: Accessible.PageTab

    background: Rectangle {
        radius: Theme.radiusM
        color: button.checked ? Qt.rgba(1, 1, 1, 0.10)
                              : button.hovered ? Theme.railHover : "transparent"
        border.width: button.visualFocus ? 1 : 0
        border.color: Theme.accent
    }

    contentItem: Item {
        IconImage {
            id: glyph
            anchors.horizontalCenter: parent.horizontalCenter
            y: 9
            source: "qrc:/icons/" + button.iconName + ".svg"
            sourceSize.width: Theme.iconSize
            sourceSize.height: Theme.iconSize
            color: button.checked ? "#ffffff" : Theme.railText
        }
        Text {
            anchors.horizontalCenter: parent.horizontalCenter
            anchors.top: glyph.bottom
            anchors.topMargin: 5
            text: button.text
            font.pixelSize: Theme.fontSmall
            font.weight: button.checked ? Font.DemiBold : Font.Normal
            color: button.checked ? "#ffffff" : Theme.railText
        }
        Rectangle {
            visible: button.badge > 0
            x: glyph.x + glyph.width - 4
            y: 4
            width: Math.max(16, badgeText.implicitWidth + 8)
            height: 16
            radius: 8
            color: Theme.accent
            Text {
                id: badgeText
                anchors.centerIn: parent
                text: button.badge
                color: Theme.textOnAccent
                font.pixelSize: 10
                font.weight: Font.DemiBold
            }
        }
    }
}
