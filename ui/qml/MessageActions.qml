import QtQuick
import Atelier

// The small buttons under a message: Copy and Delete for all; Edit on the person's messages;
// Regenerate and 👍/👎 (toggles) on replies. Busy (a reply being written) disables the ones
// that start a reply or delete messages.
Row {
    id: actions

    property bool fromUser: false
    property int rating: 0
    property bool busy: false
    property bool canGenerate: true

    signal copyRequested()
    signal editRequested()
    signal regenerateRequested()
    signal deleteRequested()
    signal rateRequested(int rating)

    spacing: 2

    IconButton {
        objectName: "copyMessageButton"
        implicitWidth: 26
        implicitHeight: 26
        iconName: "copy"
        toolTip: qsTr("Copy")
        onClicked: actions.copyRequested()
    }
    IconButton {
        objectName: "editMessageButton"
        visible: actions.fromUser
        implicitWidth: 26
        implicitHeight: 26
        iconName: "edit"
        toolTip: qsTr("Edit and resend")
        enabled: !actions.busy && actions.canGenerate
        onClicked: actions.editRequested()
    }
    IconButton {
        objectName: "regenerateButton"
        visible: !actions.fromUser
        implicitWidth: 26
        implicitHeight: 26
        iconName: "regenerate"
        toolTip: qsTr("Regenerate (the current reply is kept as a version)")
        enabled: !actions.busy && actions.canGenerate
        onClicked: actions.regenerateRequested()
    }
    IconButton {
        objectName: "thumbUpButton"
        visible: !actions.fromUser
        implicitWidth: 26
        implicitHeight: 26
        iconName: "thumb-up"
        toolTip: actions.rating === 1 ? qsTr("Remove the thumbs up") : qsTr("Good reply")
        iconColor: actions.rating === 1 ? Theme.success : Theme.textMuted
        Accessible.checkable: true
        Accessible.checked: actions.rating === 1
        onClicked: actions.rateRequested(actions.rating === 1 ? 0 : 1)
    }
    IconButton {
        objectName: "thumbDownButton"
        visible: !actions.fromUser
        implicitWidth: 26
        implicitHeight: 26
        iconName: "thumb-down"
        toolTip: actions.rating === -1 ? qsTr("Remove the thumbs down") : qsTr("Bad reply")
        iconColor: actions.rating === -1 ? Theme.danger : Theme.textMuted
        Accessible.checkable: true
        Accessible.checked: actions.rating === -1
        onClicked: actions.rateRequested(actions.rating === -1 ? 0 : -1)
    }
    IconButton {
        objectName: "deleteMessageButton"
        implicitWidth: 26
        implicitHeight: 26
        iconName: "trash"
        toolTip: qsTr("Delete this message and everything below it")
        enabled: !actions.busy // a reply being written would lose its place
        onClicked: actions.deleteRequested()
    }
}
