import QtQuick
import QtQuick.Controls
import Atelier

// Asks before something that cannot be undone.
Dialog {
    id: dialog

    property var conversationId: 0
    property string subject
    property string message
    property string confirmText: qsTr("OK")

    function ask(id, what) {
        conversationId = id;
        subject = what;
        open();
    }

    modal: true
    anchors.centerIn: Overlay.overlay
    width: 420
    footer: DialogButtons {
        acceptText: dialog.confirmText
    }

    Label {
        width: parent.width
        text: dialog.message
        wrapMode: Text.WordWrap
        color: Theme.textMuted
    }
}
