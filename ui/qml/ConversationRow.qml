import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// One conversation in the sidebar: its title and when it last changed; a menu on hover
// (rename, export as Markdown or JSON, delete).
ItemDelegate {
    id: row

    required property var conversationId
    required property string title
    required property date updatedAt
    property bool current: false
    property bool canExport: false

    signal openRequested
    signal renameRequested
    signal deleteRequested
    signal exportRequested(string format) // "markdown" or "json"

    height: 52
    leftPadding: Theme.spacingL
    rightPadding: Theme.spacingS
    hoverEnabled: true
    onClicked: row.openRequested()

    background: Rectangle {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingS
        anchors.rightMargin: Theme.spacingS
        radius: Theme.radiusS
        color: row.current ? Theme.accentSoft : row.hovered ? Theme.surfaceAlt : "transparent"
    }

    contentItem: RowLayout {
        spacing: Theme.spacingXs

        ColumnLayout {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingXs
            spacing: 2
            Label {
                Layout.fillWidth: true
                text: row.title
                elide: Text.ElideRight
                font.pixelSize: Theme.fontBody
                font.weight: row.current ? Font.DemiBold : Font.Normal
                color: row.current ? Theme.accentSoftText : Theme.text
            }
            Label {
                Layout.fillWidth: true
                text: Qt.formatDateTime(row.updatedAt, "d MMM yyyy, hh:mm")
                elide: Text.ElideRight
                font.pixelSize: Theme.fontSmall
                color: Theme.textFaint
            }
        }

        IconButton {
            objectName: "conversationMenuButton"
            iconName: "more"
            toolTip: row.canExport ? qsTr("Rename, export or delete") : qsTr("Rename or delete")
            opacity: row.hovered || row.current || menu.visible ? 1 : 0
            onClicked: menu.popup(this, 0, height)
        }
    }

    Menu {
        id: menu
        MenuItem {
            text: qsTr("Rename…")
            icon.source: "qrc:/icons/edit.svg"
            onTriggered: row.renameRequested()
        }
        MenuItem {
            objectName: "exportMarkdownItem"
            visible: row.canExport
            height: visible ? implicitHeight : 0
            text: qsTr("Export as Markdown…")
            onTriggered: row.exportRequested("markdown")
        }
        MenuItem {
            objectName: "exportJsonItem"
            visible: row.canExport
            height: visible ? implicitHeight : 0
            text: qsTr("Export as JSON…")
            onTriggered: row.exportRequested("json")
        }
        MenuItem {
            text: qsTr("Delete…")
            icon.source: "qrc:/icons/trash.svg"
            icon.color: Theme.danger
            onTriggered: row.deleteRequested()
        }
    }
}
