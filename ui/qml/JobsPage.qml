import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Atelier

// Jobs: everything the job queue runs or ran — progress, state, elapsed time, cancel.
Item {
    id: page

    required property JobListModel jobs

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        PageHeader {
            Layout.fillWidth: true
            title: qsTr("Jobs")
            subtitle: page.jobs.activeCount > 0
                      ? (page.jobs.activeCount === 1 ? qsTr("1 job queued or running")
                         : qsTr("%1 jobs queued or running").arg(page.jobs.activeCount))
                      : qsTr("Chat replies and image generations run here, one lane per device")
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            ListView {
                id: list
                objectName: "jobList"
                anchors.fill: parent
                visible: count > 0
                clip: true
                model: page.jobs
                spacing: Theme.spacingS
                topMargin: Theme.spacingXl
                bottomMargin: Theme.spacingXl
                boundsBehavior: Flickable.StopAtBounds
                ScrollBar.vertical: ScrollBar {}

                delegate: JobRow {
                    width: Math.min(ListView.view.width - 2 * Theme.spacingXl,
                                    Theme.contentMaxWidth)
                    x: (ListView.view.width - width) / 2
                    onCancelRequested: page.jobs.cancel(jobId)
                }
            }

            EmptyState {
                objectName: "jobsEmptyState"
                anchors.centerIn: parent
                width: Math.min(parent.width - 2 * Theme.spacingXl, 460)
                visible: list.count === 0
                iconName: "jobs"
                title: qsTr("No jobs")
                message: qsTr("Nothing is queued or running. Replies and images will show "
                              + "their progress here once a model or image engine is loaded.")
            }
        }
    }
}
