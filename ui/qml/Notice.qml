import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Layouts
import Atelier

// A calm, plain statement of what is missing (a warning colour, not an error), with an action.
Rectangle {
    id: notice

    property string text
    property string actionText
    signal actionTriggered

    implicitHeight: row.implicitHeight + 2 * Theme.spacingM
    radius: Theme.radiusM
    color: Theme.warningSoft
    border.width: 1
    border.color: Theme.warningBorder

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingL
        anchors.rightMargin: Theme.spacingM
        spacing: Theme.spacingM

        IconImage {
            source: "qrc:/icons/info.svg"
            sourceSize.width: 18
            sourceSize.height: 18
            color: Theme.warning
        }
        Label {
            objectName: "noticeText"
            Layout.fillWidth: true
            text: notice.text
            wrapMode: Text.WordWrap
            color: Theme.warning
            font.weight: Font.DemiBold
        }
        Button {
            font.capitalization: Font.MixedCase
            visible: notice.actionText.length > 0
            text: notice.actionText
            flat: true
            onClicked: notice.actionTriggered()
        }
    }
}
