import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// The conversation list: new, filter by title, open; rename and delete from each row's menu.
Rectangle {
    id: sidebar

    required property AppController app

    color: Theme.sidebar

    Rectangle {
        anchors.right: parent.right
        width: 1
        height: parent.height
        color: Theme.border
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.rightMargin: 1
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: Theme.spacingL
            Layout.bottomMargin: Theme.spacingS
            spacing: Theme.spacingS

            Label {
                Layout.fillWidth: true
                text: qsTr("Conversations")
                font.pixelSize: Theme.fontLarge
                font.weight: Font.DemiBold
                color: Theme.text
            }
            IconButton {
                objectName: "newConversationButton"
                iconName: "plus"
                toolTip: qsTr("New conversation (Ctrl+N)")
                filled: true
                onClicked: sidebar.app.newConversation()
            }
        }

        SearchField {
            objectName: "conversationFilter"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingL
            Layout.rightMargin: Theme.spacingL
            Layout.bottomMargin: Theme.spacingS
            placeholderText: qsTr("Filter by title")
            text: sidebar.app.titleFilter
            onTextEdited: sidebar.app.titleFilter = text
        }

        ListView {
            id: list
            objectName: "conversationList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: sidebar.app.conversations
            spacing: 2
            topMargin: Theme.spacingXs
            bottomMargin: Theme.spacingS
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}

            delegate: ConversationRow {
                width: ListView.view.width
                current: conversationId === sidebar.app.currentConversationId
                onOpenRequested: sidebar.app.selectConversation(conversationId)
                onRenameRequested: renameDialog.ask(conversationId, title)
                onDeleteRequested: deleteDialog.ask(conversationId, title)
            }

            Label {
                anchors.centerIn: parent
                width: parent.width - 2 * Theme.spacingXl
                visible: list.count === 0 && sidebar.app.started
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                color: Theme.textMuted
                text: sidebar.app.titleFilter.length > 0
                      ? qsTr("No conversation title contains “%1”.").arg(sidebar.app.titleFilter)
                      : qsTr("No conversations yet.\nPress Ctrl+N to start one.")
            }
        }
    }

    RenameDialog {
        id: renameDialog
        onAccepted: sidebar.app.renameConversation(conversationId, newTitle)
    }

    ConfirmDialog {
        id: deleteDialog
        title: qsTr("Delete conversation?")
        confirmText: qsTr("Delete")
        message: qsTr("“%1” and all its messages will be deleted. This cannot be undone.")
                 .arg(subject)
        onAccepted: sidebar.app.deleteConversation(conversationId)
    }
}
