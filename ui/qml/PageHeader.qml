import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// A page's title bar: title, a muted subtitle, and room on the right for chips or buttons.
Rectangle {
    id: header

    property string title
    property string subtitle
    default property alias trailing: trailingRow.data

    implicitHeight: 64
    color: Theme.surface

    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.border
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingXl
        anchors.rightMargin: Theme.spacingXl
        spacing: Theme.spacingM

        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            Label {
                Layout.fillWidth: true
                text: header.title
                elide: Text.ElideRight
                font.pixelSize: Theme.fontTitle
                font.weight: Font.DemiBold
                color: Theme.text
            }
            Label {
                Layout.fillWidth: true
                visible: header.subtitle.length > 0
                text: header.subtitle
                elide: Text.ElideRight
                font.pixelSize: Theme.fontSmall
                color: Theme.textMuted
            }
        }
        Row {
            id: trailingRow
            spacing: Theme.spacingS
        }
    }
}
