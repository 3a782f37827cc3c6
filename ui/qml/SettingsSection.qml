import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// A titled card on the Settings page; its children are laid out in a column.
Rectangle {
    id: section

    property string title
    property string description
    default property alias content: body.data

    implicitHeight: column.implicitHeight + 2 * Theme.spacingL
    radius: Theme.radiusM
    color: Theme.surface
    border.width: 1
    border.color: Theme.border

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.spacingL
        spacing: Theme.spacingM

        Label {
            Layout.fillWidth: true
            text: section.title
            font.pixelSize: Theme.fontLarge
            font.weight: Font.DemiBold
            color: Theme.text
        }
        Label {
            Layout.fillWidth: true
            visible: section.description.length > 0
            text: section.description
            wrapMode: Text.WordWrap
            color: Theme.textMuted
        }
        ColumnLayout {
            id: body
            Layout.fillWidth: true
            spacing: Theme.spacingM
        }
    }
}
