import QtQuick
import QtQuick.Layouts
import Atelier

// Images: the latent-diffusion engine comes in a later version; the page says so and does
// nothing else.
Item {
    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        PageHeader {
            Layout.fillWidth: true
            title: qsTr("Images")
            subtitle: qsTr("Latent diffusion on your own GPU or CPU")
            StatusChip {
                text: qsTr("Not built yet")
                tone: "warning"
            }
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true
            EmptyState {
                objectName: "imagesEmptyState"
                anchors.centerIn: parent
                width: Math.min(parent.width - 2 * Theme.spacingXl, 480)
                iconName: "image"
                title: qsTr("The image engine is not built yet")
                message: qsTr("Image generation arrives in a later version of Atelier. Until then "
                              + "this page cannot make pictures, and nothing here is generated.")
            }
        }
    }
}
