import QtQuick
import QtQuick.Controls
import Atelier

// ‹ 2/3 › between the versions of a message (regenerated replies, edited questions).
// `picked` carries the id of the version to show.
Row {
    id: pager

    property int index: 0 // 0-based
    property int count: 1
    property var ids: []
    property bool enabledPaging: true
    signal picked(var messageId)

    spacing: 0

    IconButton {
        objectName: "previousSibling"
        implicitWidth: 24
        implicitHeight: 24
        iconName: "chevron-left"
        toolTip: qsTr("Previous version")
        enabled: pager.enabledPaging && pager.index > 0
        onClicked: pager.picked(pager.ids[pager.index - 1])
    }
    Label {
        objectName: "siblingPosition"
        anchors.verticalCenter: parent.verticalCenter
        text: qsTr("%1/%2").arg(pager.index + 1).arg(pager.count)
        font.pixelSize: Theme.fontSmall
        font.family: Theme.monoFamily
        color: Theme.textMuted
    }
    IconButton {
        objectName: "nextSibling"
        implicitWidth: 24
        implicitHeight: 24
        iconName: "chevron-right"
        toolTip: qsTr("Next version")
        enabled: pager.enabledPaging && pager.index + 1 < pager.count
        onClicked: pager.picked(pager.ids[pager.index + 1])
    }
}
