import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// A strip across the top of the pages for an error or notice; hidden when there is none.
Rectangle {
    id: banner

    property string text
    signal dismissed

    visible: text.length > 0
    implicitHeight: visible ? row.implicitHeight + 2 * Theme.spacingS : 0
    color: Theme.dangerSoft

    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Qt.darker(Theme.dangerSoft, 1.08)
    }

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingL
        anchors.rightMargin: Theme.spacingS
        spacing: Theme.spacingS

        Label {
            objectName: "bannerText"
            Layout.fillWidth: true
            text: banner.text
            wrapMode: Text.WordWrap
            color: Theme.danger
        }
        IconButton {
            iconName: "close"
            toolTip: qsTr("Dismiss")
            iconColor: Theme.danger
            onClicked: banner.dismissed()
        }
    }
}
