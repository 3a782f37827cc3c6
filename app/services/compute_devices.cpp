#include "app/services/compute_devices.hpp"

#if defined(ATELIER_HAVE_VULKAN)
#include "inference/compute/vulkan/vulkan_backend.hpp"
#endif

namespace atelier {

QList<ComputeDevice> listComputeDevices() {
    QList<ComputeDevice> out{{QStringLiteral("cpu"), QStringLiteral("CPU"), -1}};
#if defined(ATELIER_HAVE_VULKAN)
    for (const auto& d : compute::vulkan::listDevices()) {
        ComputeDevice device;
        device.id = QStringLiteral("vulkan:%1").arg(d.index);
        device.label = QStringLiteral("Vulkan %1: %2 (%3)")
                           .arg(d.index)
                           .arg(QString::fromStdString(d.name), QString::fromStdString(d.kind));
        device.memoryBytes = d.memoryBytes > 0 ? qint64(d.memoryBytes) : -1;
        out.append(device);
    }
#endif
    return out;
}

DeviceMemory memoryFor(const QString& backend, const QList<ComputeDevice>& devices) {
    if (backend.isEmpty() || backend == QLatin1String("cpu"))
        return {availableMemoryBytes(), QStringLiteral("free memory")};
    QString id = backend;
    if (backend == QLatin1String("vulkan") && devices.size() > 1) {
        id = devices.at(1).id; // device 0 unless a discrete GPU comes later
        for (const ComputeDevice& d : devices)
            if (d.label.endsWith(QLatin1String("(discrete)"))) {
                id = d.id;
                break;
            }
    }
    for (const ComputeDevice& d : devices)
        if (d.id == id) return {d.memoryBytes, QStringLiteral("device memory")};
    return {-1, QStringLiteral("device memory")};
}

} // namespace atelier
