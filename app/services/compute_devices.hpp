#pragma once
// The devices an LLM can run on here, for the Settings page's device list and the Models page's
// fit estimate: the CPU, and each Vulkan device when this build has the Vulkan backend.
#include "app/services/fit_estimate.hpp"

#include <QList>
#include <QString>

namespace atelier {

struct ComputeDevice {
    QString id;              // the llm/backend setting: "cpu", "vulkan:0", ...
    QString label;           // "CPU", "Vulkan 0: llvmpipe (LLVM 15.0.6, 256 bits) — cpu"
    qint64 memoryBytes = -1; // a Vulkan device's largest device-local heap; -1 for the CPU
};

// The CPU first, then the Vulkan devices in the order "vulkan:N" counts them. Asking Vulkan
// takes a moment (an instance is created): call it once and keep the answer.
QList<ComputeDevice> listComputeDevices();

// The memory a backend setting ("cpu", "vulkan", "vulkan:N") offers a model: MemAvailable for
// the CPU; for a device the heap size it reports (unknown when it is not listed). "vulkan"
// without an index is the first discrete GPU, else device 0, as the backend picks it.
DeviceMemory memoryFor(const QString& backend, const QList<ComputeDevice>& devices);

} // namespace atelier
