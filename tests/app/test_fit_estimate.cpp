// The Models page's "fits the selected device" estimate: file + F16 KV cache against the memory
// the device offers, the context a session really gets, and MemAvailable from /proc/meminfo.
#include "app/services/compute_devices.hpp"
#include "app/services/fit_estimate.hpp"

#include <QTest>

using namespace atelier;

class TestFitEstimate : public QObject {
    Q_OBJECT

private slots:
    void kvCacheIsLayersTimesContextTimesKAndVWidthInHalves() {
        ModelMetadata m;
        m.layers = 30;
        m.kvDim = 2 * 3 * 64; // 3 kv heads of 64 dims, K and V
        QCOMPARE(kvCacheBytes(m, 4096), 30LL * 4096 * 384 * 2);
        QCOMPARE(kvCacheBytes(m, 0), 0);
    }

    void fitsTooBigAndUnknown() {
        ModelMetadata m;
        m.fileSize = 100'000'000;
        m.layers = 30;
        m.kvDim = 384;
        const qint64 needed = 100'000'000 + 30LL * 384 * 4096 * 2; // 194.4 MB

        const FitEstimate fits = estimateFit(m, 4096, {8'000'000'000, "free memory"});
        QCOMPARE(fits.neededBytes, needed);
        QCOMPARE(fits.kvCacheBytes, needed - m.fileSize);
        QCOMPARE(fits.verdict, FitEstimate::Verdict::Fits);
        QVERIFY2(fits.text.startsWith("Fits: needs about 194.4 MB of 8.0 GB free memory"),
                 qPrintable(fits.text));
        QVERIFY(fits.text.contains("estimate"));
        QVERIFY(fits.text.contains("4096 tokens"));

        // Exactly enough still fits; one byte less does not.
        QCOMPARE(estimateFit(m, 4096, {needed, "free memory"}).verdict, FitEstimate::Verdict::Fits);
        const FitEstimate big = estimateFit(m, 4096, {needed - 1, "device memory"});
        QCOMPARE(big.verdict, FitEstimate::Verdict::TooBig);
        QVERIFY2(big.text.startsWith("Probably too big"), qPrintable(big.text));
        QVERIFY(big.text.contains("device memory"));

        const FitEstimate unknown = estimateFit(m, 4096, {-1, "device memory"});
        QCOMPARE(unknown.verdict, FitEstimate::Verdict::Unknown);
        QVERIFY2(unknown.text.contains("device memory unknown"), qPrintable(unknown.text));
        QVERIFY(unknown.text.contains("estimate"));

        // A shorter context needs less: the KV cache shrinks with it.
        QVERIFY(estimateFit(m, 512, {needed - 1, "free memory"}).verdict ==
                FitEstimate::Verdict::Fits);
    }

    void contextInUseFollowsTheSessionRule() {
        QCOMPARE(effectiveContextLength(0, 8192), 4096); // the model's, at most 4096
        QCOMPARE(effectiveContextLength(0, 2048), 2048);
        QCOMPARE(effectiveContextLength(0, 0), 4096);         // unknown: the cap
        QCOMPARE(effectiveContextLength(16384, 2048), 16384); // the setting wins
    }

    void memAvailableIsReadFromMeminfo() {
        QCOMPARE(parseMemAvailable("MemTotal:       16303340 kB\nMemFree:  1 kB\n"
                                   "MemAvailable:    6047620 kB\nBuffers: 2 kB\n"),
                 6047620LL * 1024);
        QCOMPARE(parseMemAvailable("MemTotal: 1 kB\n"), -1);
        QVERIFY(availableMemoryBytes() > 0); // Linux has /proc/meminfo
    }

    void devicesStartWithTheCpuAndDeviceMemoryIsTheirHeap() {
        const QList<ComputeDevice> found = listComputeDevices();
        QVERIFY(!found.isEmpty());
        QCOMPARE(found.first().id, QStringLiteral("cpu"));
        for (int i = 1; i < found.size(); ++i)
            QCOMPARE(found.at(i).id, QStringLiteral("vulkan:%1").arg(i - 1));

        const QList<ComputeDevice> devices{{"cpu", "CPU", -1},
                                           {"vulkan:0", "Vulkan 0: llvmpipe (cpu)", 2'000'000'000},
                                           {"vulkan:1", "Vulkan 1: Big (discrete)", 8'000'000'000}};
        const DeviceMemory cpu = memoryFor("cpu", devices);
        QVERIFY(cpu.bytes > 0);
        QCOMPARE(cpu.what, QStringLiteral("free memory"));
        QCOMPARE(memoryFor("vulkan:0", devices).bytes, 2'000'000'000);
        QCOMPARE(memoryFor("vulkan", devices).bytes, 8'000'000'000); // the discrete GPU first
        const DeviceMemory missing = memoryFor("vulkan:5", devices);
        QCOMPARE(missing.bytes, -1);
        QCOMPARE(missing.what, QStringLiteral("device memory"));
        QCOMPARE(memoryFor("vulkan", {{"cpu", "CPU", -1}}).bytes, -1); // no device at all
    }
};

QTEST_GUILESS_MAIN(TestFitEstimate)
#include "test_fit_estimate.moc"
