import QtQuick
import QtQuick.Layouts
import Atelier

// The dark strip on the far left: one button per page.
Rectangle {
    id: rail

    property int currentPage: AppController.Chat
    property int runningJobs: 0
    signal pageRequested(int page)

    color: Theme.rail

    ColumnLayout {
        anchors.fill: parent
        anchors.topMargin: Theme.spacingL
        anchors.bottomMargin: Theme.spacingL
        spacing: Theme.spacingXs

        Image {
            Layout.alignment: Qt.AlignHCenter
            Layout.bottomMargin: Theme.spacingL
            source: "qrc:/icons/atelier.svg"
            sourceSize.width: 36
            sourceSize.height: 36
        }

        NavButton {
            objectName: "navChat"
            text: qsTr("Chat")
            iconName: "chat"
            checked: rail.currentPage === AppController.Chat
            onClicked: rail.pageRequested(AppController.Chat)
        }
        NavButton {
            objectName: "navImages"
            text: qsTr("Images")
            iconName: "image"
            checked: rail.currentPage === AppController.Images
            onClicked: rail.pageRequested(AppController.Images)
        }
        NavButton {
            objectName: "navModels"
            text: qsTr("Models")
            iconName: "model"
            checked: rail.currentPage === AppController.Models
            onClicked: rail.pageRequested(AppController.Models)
        }
        NavButton {
            objectName: "navJobs"
            text: qsTr("Jobs")
            iconName: "jobs"
            badge: rail.runningJobs
            checked: rail.currentPage === AppController.Jobs
            onClicked: rail.pageRequested(AppController.Jobs)
        }

        Item {
            Layout.fillHeight: true
        }

        NavButton {
            objectName: "navSettings"
            text: qsTr("Settings")
            iconName: "settings"
            checked: rail.currentPage === AppController.Settings
            onClicked: rail.pageRequested(AppController.Settings)
        }
    }
}
