#pragma once
// Rows for image prompts and generated images (the engine that fills them comes later).
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <QList>

namespace atelier::storage {

class ImageStore {
public:
    explicit ImageStore(Database& db) : db_(db) {}

    ImagePromptRecord addPrompt(ImagePromptRecord prompt);
    ImageRecord addImage(ImageRecord image); // NotFound for an unknown prompt
    ImagePromptRecord prompt(qint64 id);
    ImageRecord image(qint64 id);
    QList<ImagePromptRecord> prompts(); // newest first
    QList<ImageRecord> imagesFor(qint64 promptId);
    void removeImage(qint64 id);
    void removePrompt(qint64 id); // and its images (rows only; files are the caller's)

private:
    Database& db_;
};

} // namespace atelier::storage
