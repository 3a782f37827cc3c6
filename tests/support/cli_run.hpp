#pragma once
// Runs the built atelier-cli as a user does (a child process) for the CLI tests: arguments,
// optional standard input, and what came back. One copy for every test that drives the CLI.
#include <QByteArray>
#include <QProcess>
#include <QStringList>

namespace atelier::testing {

struct CliRun {
    int exitCode = -1; // -1 when it did not start, did not finish in time, or crashed
    QProcess::ExitStatus status = QProcess::CrashExit;
    QByteArray out, err;
};

inline CliRun runCli(const QStringList& args, const QByteArray& input = {}, int timeoutMs = 60000) {
    QProcess p;
    p.start(QStringLiteral(ATELIER_BINARY_DIR "/app/atelier-cli"), args);
    CliRun r;
    if (!p.waitForStarted(30000)) return r;
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.status = p.exitStatus();
    if (r.status == QProcess::NormalExit) r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace atelier::testing
