import QtQuick
import QtQuick.Controls
import Atelier

// A small rounded label with a coloured dot: "No model loaded", "running", "done"...
Rectangle {
    id: chip

    property string text
    property string tone: "neutral" // neutral | accent | success | warning | danger

    readonly property color foreground: tone === "success" ? Theme.success
                                      : tone === "warning" ? Theme.warning
                                      : tone === "danger" ? Theme.danger
                                      : tone === "accent" ? Theme.accentSoftText : Theme.textMuted
    readonly property color fill: tone === "success" ? Theme.successSoft
                                : tone === "warning" ? Theme.warningSoft
                                : tone === "danger" ? Theme.dangerSoft
                                : tone === "accent" ? Theme.accentSoft : Theme.surfaceAlt

    implicitWidth: label.implicitWidth + 30
    implicitHeight: 24
    radius: height / 2
    color: fill

    Rectangle {
        x: 10
        anchors.verticalCenter: parent.verticalCenter
        width: 6
        height: 6
        radius: 3
        color: chip.foreground
    }
    Label {
        id: label
        x: 22
        anchors.verticalCenter: parent.verticalCenter
        text: chip.text
        font.pixelSize: Theme.fontSmall
        font.weight: Font.DemiBold
        color: chip.foreground
    }
}
