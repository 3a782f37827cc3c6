import QtQuick
import QtQuick.Controls

// A dialog's footer with sentence-case buttons: a cancel and one confirming action.
DialogButtonBox {
    id: box

    property string acceptText: qsTr("OK")
    property bool acceptEnabled: true

    Button {
        objectName: "dialogCancelButton"
        text: qsTr("Cancel")
        flat: true
        font.capitalization: Font.MixedCase
        DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
    }
    Button {
        objectName: "dialogAcceptButton"
        text: box.acceptText
        enabled: box.acceptEnabled
        highlighted: true
        font.capitalization: Font.MixedCase
        DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
    }
}
