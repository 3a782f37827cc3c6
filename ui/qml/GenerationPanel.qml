import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Layouts
import Atelier

// Sampling parameters of the open conversation: temperature and top-p in plain sight, the rest
// under "Advanced". Every value shows its number and is saved with the conversation.
Rectangle {
    id: panel

    required property GenerationParamsModel params
    // The chat's controller, for the conversation's model and system prompt (none: not shown).
    property AppController app: null
    property bool advancedOpen: false

    color: Theme.surface

    Rectangle {
        width: 1
        height: parent.height
        color: Theme.border
    }

    ScrollView {
        id: scroll
        anchors.fill: parent
        anchors.leftMargin: 1
        contentWidth: availableWidth

        ColumnLayout {
            width: scroll.availableWidth
            spacing: Theme.spacingL

            RowLayout {
                Layout.fillWidth: true
                Layout.topMargin: Theme.spacingL
                Layout.leftMargin: Theme.spacingL
                Layout.rightMargin: Theme.spacingL
                IconImage {
                    source: "qrc:/icons/sliders.svg"
                    sourceSize.width: 18
                    sourceSize.height: 18
                    color: Theme.textMuted
                }
                Label {
                    Layout.fillWidth: true
                    text: qsTr("Generation")
                    font.pixelSize: Theme.fontLarge
                    font.weight: Font.DemiBold
                    color: Theme.text
                }
            }

            Loader {
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacingL
                Layout.rightMargin: Theme.spacingL
                active: panel.app !== null
                visible: active
                sourceComponent: ConversationSetup {
                    app: panel.app
                }
            }

            // Presets set the sliders below; the one the values match is marked.
            RowLayout {
                objectName: "presetRow"
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacingL
                Layout.rightMargin: Theme.spacingL
                spacing: Theme.spacingXs

                Repeater {
                    model: panel.params.presetNames
                    delegate: Button {
                        id: presetButton
                        required property string modelData
                        objectName: "preset" + presetButton.modelData
                        Layout.fillWidth: true
                        text: presetButton.modelData === "Precise" ? qsTr("Precise")
                            : presetButton.modelData === "Balanced" ? qsTr("Balanced")
                            : presetButton.modelData === "Creative" ? qsTr("Creative")
                            : presetButton.modelData
                        font.capitalization: Font.MixedCase
                        font.pixelSize: Theme.fontSmall
                        checkable: false
                        highlighted: panel.params.activePreset === presetButton.modelData
                        flat: !presetButton.highlighted
                        Accessible.name: qsTr("%1 preset").arg(presetButton.text)
                        onClicked: panel.params.applyPreset(presetButton.modelData)
                    }
                }
            }

            ColumnLayout {
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacingL
                Layout.rightMargin: Theme.spacingL
                spacing: Theme.spacingL

                ParamSlider {
                    objectName: "temperatureSlider"
                    Layout.fillWidth: true
                    label: qsTr("Temperature")
                    hint: qsTr("Lower is focused and repeatable; higher is more varied.")
                    from: 0
                    to: panel.params.temperatureMax
                    stepSize: 0.05
                    value: panel.params.temperature
                    onMoved: v => panel.params.temperature = v
                }
                ParamSlider {
                    objectName: "topPSlider"
                    Layout.fillWidth: true
                    label: qsTr("Top-p")
                    hint: qsTr("Sample only from the most likely tokens covering this share.")
                    from: 0
                    to: 1
                    stepSize: 0.01
                    value: panel.params.topP
                    onMoved: v => panel.params.topP = v
                }
            }

            Rectangle {
                Layout.fillWidth: true
                height: 1
                color: Theme.divider
            }

            ItemDelegate {
                id: advancedToggle
                objectName: "advancedToggle"
                Layout.fillWidth: true
                Layout.topMargin: -Theme.spacingS
                text: qsTr("Advanced")
                font.weight: Font.DemiBold
                leftPadding: Theme.spacingL
                icon.source: panel.advancedOpen ? "qrc:/icons/chevron-down.svg"
                                                : "qrc:/icons/chevron-right.svg"
                icon.width: 16
                icon.height: 16
                icon.color: Theme.textMuted
                Accessible.role: Accessible.ButtonDropDown
                onClicked: panel.advancedOpen = !panel.advancedOpen
            }

            ColumnLayout {
                objectName: "advancedSection"
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacingL
                Layout.rightMargin: Theme.spacingL
                Layout.topMargin: -Theme.spacingS
                visible: panel.advancedOpen
                spacing: Theme.spacingL

                ParamSpinBox {
                    objectName: "topKSpin"
                    Layout.fillWidth: true
                    label: qsTr("Top-k")
                    hint: qsTr("0 = off")
                    from: 0
                    to: panel.params.topKMax
                    value: panel.params.topK
                    onMoved: v => panel.params.topK = v
                }
                ParamSlider {
                    objectName: "minPSlider"
                    Layout.fillWidth: true
                    label: qsTr("Min-p")
                    from: 0
                    to: 1
                    stepSize: 0.01
                    value: panel.params.minP
                    onMoved: v => panel.params.minP = v
                }
                ParamSlider {
                    objectName: "repeatPenaltySlider"
                    Layout.fillWidth: true
                    label: qsTr("Repeat penalty")
                    from: panel.params.repeatPenaltyMin
                    to: panel.params.repeatPenaltyMax
                    stepSize: 0.05
                    value: panel.params.repeatPenalty
                    onMoved: v => panel.params.repeatPenalty = v
                }
                ParamSpinBox {
                    objectName: "maxNewTokensSpin"
                    Layout.fillWidth: true
                    label: qsTr("Max new tokens")
                    from: 1
                    to: panel.params.maxNewTokensMax
                    stepSize: 64
                    value: panel.params.maxNewTokens
                    onMoved: v => panel.params.maxNewTokens = v
                }
                ParamSpinBox {
                    objectName: "seedSpin"
                    Layout.fillWidth: true
                    label: qsTr("Seed")
                    hint: qsTr("The same seed and settings give the same reply.")
                    from: -1
                    to: panel.params.seedMax
                    specialValueText: qsTr("random")
                    value: panel.params.seed
                    onMoved: v => panel.params.seed = v
                }
            }

            Button {
                objectName: "resetParamsButton"
                font.capitalization: Font.MixedCase
                Layout.leftMargin: Theme.spacingS
                flat: true
                enabled: !panel.params.isDefault
                text: qsTr("Reset to defaults")
                onClicked: panel.params.resetToDefaults()
            }

            Label {
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacingL
                Layout.rightMargin: Theme.spacingL
                Layout.bottomMargin: Theme.spacingL
                text: panel.params.conversationId !== 0
                      ? qsTr("Saved with this conversation; applies to its next reply.")
                      : qsTr("Open a conversation to set its parameters.")
                wrapMode: Text.WordWrap
                font.pixelSize: Theme.fontSmall
                color: Theme.textFaint
            }
        }
    }
}
