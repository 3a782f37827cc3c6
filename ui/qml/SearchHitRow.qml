import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// One search result in the sidebar: the conversation's title and, for a message, the snippet
// with the matched words in bold.
ItemDelegate {
    id: row

    required property var conversationId
    required property var messageId
    required property string title
    required property string snippet
    required property string kind

    signal openRequested

    leftPadding: Theme.spacingL
    rightPadding: Theme.spacingL
    topPadding: Theme.spacingS
    bottomPadding: Theme.spacingS
    hoverEnabled: true
    onClicked: row.openRequested()

    background: Rectangle {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingS
        anchors.rightMargin: Theme.spacingS
        radius: Theme.radiusS
        color: row.hovered ? Theme.surfaceAlt : "transparent"
    }

    contentItem: ColumnLayout {
        spacing: 2
        Label {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingXs
            text: row.title
            elide: Text.ElideRight
            font.pixelSize: Theme.fontBody
            font.weight: row.kind === "title" ? Font.DemiBold : Font.Normal
            color: Theme.text
        }
        Label {
            objectName: "searchHitSnippet"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingXs
            text: row.kind === "title" ? qsTr("Title matches") : row.snippet
            textFormat: row.kind === "title" ? Text.PlainText : Text.StyledText
            wrapMode: Text.Wrap
            maximumLineCount: 3
            elide: Text.ElideRight
            font.pixelSize: Theme.fontSmall
            color: Theme.textMuted
        }
    }
}
