import QtQuick
import Atelier

// A message's text as Markdown: prose through Qt's Markdown renderer, fenced code blocks in
// CodeBlocks. Set `text` as often as it grows (a streaming reply): blocks already shown stay.
Column {
    id: view

    property string text
    property color textColor: Theme.text
    property color selectionColor: Theme.accentSoft
    readonly property int blockCount: blocks.count

    spacing: Theme.spacingS

    Repeater {
        model: MarkdownBlockModel {
            id: blocks
            text: view.text
        }

        delegate: Item {
            id: block

            required property string kind
            required property string blockText
            required property string language
            required property bool closed

            width: view.width
            implicitHeight: loader.implicitHeight
            height: implicitHeight

            Loader {
                id: loader
                width: parent.width
                sourceComponent: block.kind === "code" ? codeComponent : proseComponent
            }

            Component {
                id: proseComponent
                TextEdit {
                    objectName: "proseText"
                    text: block.blockText
                    textFormat: TextEdit.MarkdownText
                    wrapMode: TextEdit.Wrap
                    readOnly: true
                    selectByMouse: true
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody + 1
                    color: view.textColor
                    selectionColor: view.selectionColor
                    selectedTextColor: Theme.text
                    onLinkActivated: link => Qt.openUrlExternally(link)

                    HoverHandler {
                        cursorShape: parent.hoveredLink.length > 0 ? Qt.PointingHandCursor
                                                                   : Qt.IBeamCursor
                    }
                }
            }

            Component {
                id: codeComponent
                CodeBlock {
                    objectName: "codeBlock"
                    code: block.blockText
                    language: block.language
                    closed: block.closed
                }
            }
        }
    }
}
