#include "storage/image_store.hpp"

#include "storage/query_rows.hpp"
#include "storage/sql_util.hpp"

namespace atelier::storage {

namespace {

const QString kPromptColumns = QStringLiteral("id, prompt, negative_prompt, params, created_at");
const QString kImageColumns =
    QStringLiteral("id, prompt_id, seed, width, height, file_path, params, created_at");

ImagePromptRecord readPrompt(const QSqlQuery& q) {
    ImagePromptRecord p;
    p.id = q.value(0).toLongLong();
    p.prompt = q.value(1).toString();
    p.negativePrompt = q.value(2).toString();
    p.params = sql::toJson(q.value(3));
    p.createdAt = sql::toTime(q.value(4));
    return p;
}

ImageRecord readImage(const QSqlQuery& q) {
    ImageRecord i;
    i.id = q.value(0).toLongLong();
    i.promptId = q.value(1).toLongLong();
    i.seed = q.value(2).toLongLong();
    i.width = q.value(3).toInt();
    i.height = q.value(4).toInt();
    i.filePath = q.value(5).toString();
    i.params = sql::toJson(q.value(6));
    i.createdAt = sql::toTime(q.value(7));
    return i;
}

[[noreturn]] void notFound(const char* what, qint64 id) {
    throw StorageError(
        StorageErrorKind::NotFound,
        QStringLiteral("there is no %1 with id %2").arg(QLatin1String(what)).arg(id));
}

constexpr qsizetype kMaxPromptBytes = 64 * 1024;

} // namespace

ImagePromptRecord ImageStore::addPrompt(ImagePromptRecord p) {
    Database::checkText(u"the image prompt", p.prompt, kMaxPromptBytes);
    Database::checkText(u"the negative prompt", p.negativePrompt, kMaxPromptBytes);
    if (!p.createdAt.isValid()) p.createdAt = sql::now();
    return db_.transaction([&] {
        const QSqlQuery q = sql::run(db_,
                                     QStringLiteral("INSERT INTO image_prompts (prompt, "
                                                    "negative_prompt, params, created_at) "
                                                    "VALUES (?, ?, ?, ?)"),
                                     {sql::text(p.prompt), sql::text(p.negativePrompt),
                                      sql::fromJson(p.params), sql::fromTime(p.createdAt)});
        p.id = q.lastInsertId().toLongLong();
        return p;
    });
}

ImageRecord ImageStore::addImage(ImageRecord i) {
    if (i.width <= 0 || i.height <= 0)
        throw StorageError(
            StorageErrorKind::Invalid,
            QStringLiteral("an image needs a positive size, got %1x%2").arg(i.width).arg(i.height));
    if (i.filePath.isEmpty())
        throw StorageError(StorageErrorKind::Invalid, QStringLiteral("an image needs a file path"));
    Database::checkText(u"the image path", i.filePath, 4096);
    if (!i.createdAt.isValid()) i.createdAt = sql::now();
    return db_.transaction([&] {
        if (!sql::hasRow(db_, QStringLiteral("SELECT 1 FROM image_prompts WHERE id = ?"),
                         {i.promptId}))
            notFound("image prompt", i.promptId);
        const QSqlQuery q = sql::run(
            db_,
            QStringLiteral("INSERT INTO images (prompt_id, seed, width, height, file_path, params, "
                           "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
            {i.promptId, i.seed, i.width, i.height, i.filePath, sql::fromJson(i.params),
             sql::fromTime(i.createdAt)});
        i.id = q.lastInsertId().toLongLong();
        return i;
    });
}

ImagePromptRecord ImageStore::prompt(qint64 id) {
    auto p = sql::selectOne(
        db_, QStringLiteral("SELECT %1 FROM image_prompts WHERE id = ?").arg(kPromptColumns), {id},
        readPrompt);
    if (!p) notFound("image prompt", id);
    return std::move(*p);
}

ImageRecord ImageStore::image(qint64 id) {
    auto i =
        sql::selectOne(db_, QStringLiteral("SELECT %1 FROM images WHERE id = ?").arg(kImageColumns),
                       {id}, readImage);
    if (!i) notFound("image", id);
    return std::move(*i);
}

QList<ImagePromptRecord> ImageStore::prompts() {
    return sql::selectAll(
        db_, QStringLiteral("SELECT %1 FROM image_prompts ORDER BY id DESC").arg(kPromptColumns),
        {}, readPrompt);
}

QList<ImageRecord> ImageStore::imagesFor(qint64 promptId) {
    return sql::selectAll(
        db_,
        QStringLiteral("SELECT %1 FROM images WHERE prompt_id = ? ORDER BY id").arg(kImageColumns),
        {promptId}, readImage);
}

void ImageStore::removeImage(qint64 id) {
    db_.transaction([&] {
        const int removed =
            sql::changedRows(db_, QStringLiteral("DELETE FROM images WHERE id = ?"), {id});
        if (removed == 0) notFound("image", id);
    });
}

void ImageStore::removePrompt(qint64 id) {
    db_.transaction([&] {
        const int removed =
            sql::changedRows(db_, QStringLiteral("DELETE FROM image_prompts WHERE id = ?"), {id});
        if (removed == 0) notFound("image prompt", id);
    });
}

} // namespace atelier::storage
