import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// Asks for a conversation's new title.
Dialog {
    id: dialog

    property var conversationId: 0
    readonly property string newTitle: field.text.trim()

    function ask(id, currentTitle) {
        conversationId = id;
        field.text = currentTitle;
        open();
        field.selectAll();
        field.forceActiveFocus();
    }

    objectName: "renameDialog"
    title: qsTr("Rename conversation")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: 420
    footer: DialogButtons {
        acceptText: qsTr("Rename")
        acceptEnabled: dialog.newTitle.length > 0
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacingS
        TextField {
            id: field
            objectName: "renameField"
            Layout.fillWidth: true
            selectByMouse: true
            maximumLength: 1000
            placeholderText: qsTr("Title")
            onAccepted: if (dialog.newTitle.length > 0) dialog.accept()
        }
    }
}
