// Instance creation, device enumeration and selection (`vulkan:N` or the first discrete GPU),
// feature discovery (subgroups, 16-bit storage, float16, float64) and the logical device.
#include "inference/compute/vulkan/device.hpp"

#include "inference/compute/vulkan/vk_check.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

namespace atelier::compute::vulkan {
namespace {

constexpr const char* kValidationLayer = "VK_LAYER_KHRONOS_validation";

// With `validate`: the validation layer, debug utils and synchronization validation.
VkInstance createInstance(bool validate = false) {
    std::uint32_t version = VK_API_VERSION_1_0;
    if (vkEnumerateInstanceVersion(&version) != VK_SUCCESS || version < VK_API_VERSION_1_1)
        throw Error(ErrorKind::Unsupported,
                    "vulkan: the Vulkan loader is older than 1.1 (needed for subgroups)");
    VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
    app.pApplicationName = "Atelier";
    app.pEngineName = "atelier-compute";
    app.apiVersion = std::min<std::uint32_t>(version, VK_API_VERSION_1_2);
    VkInstanceCreateInfo info{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    info.pApplicationInfo = &app;
    const char* extension = VK_EXT_DEBUG_UTILS_EXTENSION_NAME;
    const VkValidationFeatureEnableEXT enables[] = {
        VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT};
    VkValidationFeaturesEXT features{VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT};
    features.enabledValidationFeatureCount = 1;
    features.pEnabledValidationFeatures = enables;
    if (validate) {
        if (!validationLayerAvailable())
            throw Error(ErrorKind::Unsupported,
                        "vulkan: validation asked for, but the Khronos validation layer is not "
                        "installed (Debian package vulkan-validationlayers)");
        info.enabledLayerCount = 1;
        info.ppEnabledLayerNames = &kValidationLayer;
        info.enabledExtensionCount = 1;
        info.ppEnabledExtensionNames = &extension;
        info.pNext = &features;
    }
    VkInstance instance = VK_NULL_HANDLE;
    const VkResult r = vkCreateInstance(&info, nullptr, &instance);
    if (r == VK_ERROR_INCOMPATIBLE_DRIVER)
        throw Error(ErrorKind::Unsupported,
                    "vulkan: no Vulkan driver is installed (for a CPU fallback install Mesa's "
                    "lavapipe, package mesa-vulkan-drivers)");
    vkCheck(r, "creating the Vulkan instance");
    return instance;
}

std::vector<VkPhysicalDevice> physicalDevices(VkInstance instance) {
    std::uint32_t count = 0;
    vkCheck(vkEnumeratePhysicalDevices(instance, &count, nullptr), "listing devices");
    std::vector<VkPhysicalDevice> devices(count);
    vkCheck(vkEnumeratePhysicalDevices(instance, &count, devices.data()), "listing devices");
    devices.resize(count);
    return devices;
}

const char* kindName(VkPhysicalDeviceType type) {
    switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
        return "discrete";
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
        return "integrated";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
        return "virtual";
    case VK_PHYSICAL_DEVICE_TYPE_CPU:
        return "cpu";
    default:
        return "other";
    }
}

DeviceInfo describe(VkPhysicalDevice device, int index) {
    VkPhysicalDeviceProperties props;
    vkGetPhysicalDeviceProperties(device, &props);
    VkPhysicalDeviceMemoryProperties memory;
    vkGetPhysicalDeviceMemoryProperties(device, &memory);
    DeviceInfo info;
    info.index = index;
    info.name = props.deviceName;
    info.kind = kindName(props.deviceType);
    for (std::uint32_t h = 0; h < memory.memoryHeapCount; ++h)
        if (memory.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT)
            info.memoryBytes =
                std::max<std::uint64_t>(info.memoryBytes, memory.memoryHeaps[h].size);
    return info;
}

std::string deviceList(const std::vector<VkPhysicalDevice>& devices) {
    std::string text;
    for (std::size_t i = 0; i < devices.size(); ++i) {
        const DeviceInfo d = describe(devices[i], int(i));
        text += (i ? ", " : "") + std::to_string(i) + ": " + d.name + " (" + d.kind + ")";
    }
    return text;
}

bool hasExtension(VkPhysicalDevice device, const char* name) {
    std::uint32_t count = 0;
    vkEnumerateDeviceExtensionProperties(device, nullptr, &count, nullptr);
    std::vector<VkExtensionProperties> exts(count);
    vkEnumerateDeviceExtensionProperties(device, nullptr, &count, exts.data());
    for (const auto& e : exts)
        if (std::strcmp(e.extensionName, name) == 0) return true;
    return false;
}

std::uint32_t computeQueueFamily(VkPhysicalDevice device, const std::string& name) {
    std::uint32_t count = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(device, &count, nullptr);
    std::vector<VkQueueFamilyProperties> families(count);
    vkGetPhysicalDeviceQueueFamilyProperties(device, &count, families.data());
    // A compute-only family runs beside graphics on a desktop GPU; any compute family will do.
    std::uint32_t best = UINT32_MAX;
    for (std::uint32_t i = 0; i < count; ++i) {
        if (!(families[i].queueFlags & VK_QUEUE_COMPUTE_BIT)) continue;
        if (!(families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT)) return i;
        if (best == UINT32_MAX) best = i;
    }
    if (best == UINT32_MAX)
        throw Error(ErrorKind::Unsupported, "vulkan: device " + name + " has no compute queue");
    return best;
}

} // namespace

bool validationLayerAvailable() {
    std::uint32_t count = 0;
    if (vkEnumerateInstanceLayerProperties(&count, nullptr) != VK_SUCCESS) return false;
    std::vector<VkLayerProperties> layers(count);
    vkEnumerateInstanceLayerProperties(&count, layers.data());
    for (const auto& l : layers)
        if (std::strcmp(l.layerName, kValidationLayer) == 0) return true;
    return false;
}

VkBool32 Device::onValidationMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                     VkDebugUtilsMessageTypeFlagsEXT,
                                     const VkDebugUtilsMessengerCallbackDataEXT* data, void* self) {
    if (severity < VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT) return VK_FALSE;
    ++static_cast<Device*>(self)->validationMessages_;
    std::fprintf(stderr, "vulkan validation: %s\n", data->pMessage ? data->pMessage : "?");
    return VK_FALSE;
}

std::vector<DeviceInfo> listDevices() {
    try {
        VkInstance instance = createInstance();
        std::vector<DeviceInfo> out;
        const auto devices = physicalDevices(instance);
        for (std::size_t i = 0; i < devices.size(); ++i)
            out.push_back(describe(devices[i], int(i)));
        vkDestroyInstance(instance, nullptr);
        return out;
    } catch (const Error&) {
        return {};
    }
}

Device::Device(const VulkanOptions& options) {
    instance_ = createInstance(options.validate);
    try {
        if (options.validate) {
            auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
                vkGetInstanceProcAddr(instance_, "vkCreateDebugUtilsMessengerEXT"));
            VkDebugUtilsMessengerCreateInfoEXT info{
                VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
            info.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                                   VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
            info.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                               VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT;
            info.pfnUserCallback = &Device::onValidationMessage;
            info.pUserData = this;
            if (create)
                vkCheck(create(instance_, &info, nullptr, &messenger_), "creating a messenger");
        }
        const auto devices = physicalDevices(instance_);
        if (devices.empty())
            throw Error(ErrorKind::Unsupported, "vulkan: the driver reports no devices");
        int index = options.deviceIndex;
        if (index >= int(devices.size()) || index < -1)
            throw Error(ErrorKind::Invalid,
                        "vulkan:" + std::to_string(index) + ": no such device; this machine has " +
                            std::to_string(devices.size()) + " (" + deviceList(devices) + ")");
        if (index < 0) {
            index = 0;
            for (std::size_t i = 0; i < devices.size(); ++i)
                if (describe(devices[i], int(i)).kind == "discrete") {
                    index = int(i);
                    break;
                }
        }
        physical_ = devices[std::size_t(index)];
        info_ = describe(physical_, index);

        VkPhysicalDeviceProperties props;
        vkGetPhysicalDeviceProperties(physical_, &props);
        if (props.apiVersion < VK_API_VERSION_1_1)
            throw Error(ErrorKind::Unsupported,
                        "vulkan: device " + info_.name + " supports only Vulkan 1.0 (1.1 needed)");
        limits_ = props.limits;
        vkGetPhysicalDeviceMemoryProperties(physical_, &memory_);

        // What the device offers.
        VkPhysicalDeviceSubgroupProperties subgroup{
            VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES};
        VkPhysicalDeviceProperties2 props2{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
        props2.pNext = &subgroup;
        vkGetPhysicalDeviceProperties2(physical_, &props2);
        const bool f16Ext = props.apiVersion >= VK_API_VERSION_1_2 ||
                            hasExtension(physical_, VK_KHR_SHADER_FLOAT16_INT8_EXTENSION_NAME);
        VkPhysicalDeviceShaderFloat16Int8Features f16{
            VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_FLOAT16_INT8_FEATURES};
        VkPhysicalDevice16BitStorageFeatures storage16{
            VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES};
        if (f16Ext) storage16.pNext = &f16;
        VkPhysicalDeviceFeatures2 features2{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
        features2.pNext = &storage16;
        vkGetPhysicalDeviceFeatures2(physical_, &features2);

        const VkSubgroupFeatureFlags needed =
            VK_SUBGROUP_FEATURE_BASIC_BIT | VK_SUBGROUP_FEATURE_ARITHMETIC_BIT;
        features_.subgroupSize = subgroup.subgroupSize;
        features_.subgroupArithmetic = options.useSubgroups &&
                                       (subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) &&
                                       (subgroup.supportedOperations & needed) == needed;
        features_.float16Storage = options.useFloat16Storage && storage16.storageBuffer16BitAccess;
        features_.float16Arithmetic = f16Ext && f16.shaderFloat16;
        features_.float64 = options.useFloat64 && features2.features.shaderFloat64;

        // Enable only what the shaders use.
        VkPhysicalDevice16BitStorageFeatures enable16{
            VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES};
        enable16.storageBuffer16BitAccess = features_.float16Storage;
        VkPhysicalDeviceFeatures enableCore{};
        enableCore.shaderFloat64 = features_.float64; // the exact builds (_x, _xf, norm_x)
        queueFamily_ = computeQueueFamily(physical_, info_.name);
        const float priority = 1.0f;
        VkDeviceQueueCreateInfo queueInfo{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
        queueInfo.queueFamilyIndex = queueFamily_;
        queueInfo.queueCount = 1;
        queueInfo.pQueuePriorities = &priority;
        VkDeviceCreateInfo deviceInfo{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
        deviceInfo.pNext = &enable16;
        deviceInfo.queueCreateInfoCount = 1;
        deviceInfo.pQueueCreateInfos = &queueInfo;
        deviceInfo.pEnabledFeatures = &enableCore;
        vkCheck(vkCreateDevice(physical_, &deviceInfo, nullptr, &device_),
                ("creating a device on " + info_.name).c_str());
        vkGetDeviceQueue(device_, queueFamily_, 0, &queue_);
    } catch (...) {
        destroyMessenger();
        vkDestroyInstance(instance_, nullptr);
        throw;
    }
}

void Device::destroyMessenger() {
    if (!messenger_) return;
    auto destroy = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
        vkGetInstanceProcAddr(instance_, "vkDestroyDebugUtilsMessengerEXT"));
    if (destroy) destroy(instance_, messenger_, nullptr);
    messenger_ = VK_NULL_HANDLE;
}

Device::~Device() {
    if (device_) vkDestroyDevice(device_, nullptr);
    destroyMessenger();
    vkDestroyInstance(instance_, nullptr);
}

const char* resultName(VkResult result) {
    switch (result) {
    case VK_NOT_READY:
        return "VK_NOT_READY";
    case VK_TIMEOUT:
        return "VK_TIMEOUT";
    case VK_ERROR_OUT_OF_HOST_MEMORY:
        return "VK_ERROR_OUT_OF_HOST_MEMORY";
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
        return "VK_ERROR_OUT_OF_DEVICE_MEMORY";
    case VK_ERROR_INITIALIZATION_FAILED:
        return "VK_ERROR_INITIALIZATION_FAILED";
    case VK_ERROR_DEVICE_LOST:
        return "VK_ERROR_DEVICE_LOST";
    case VK_ERROR_MEMORY_MAP_FAILED:
        return "VK_ERROR_MEMORY_MAP_FAILED";
    case VK_ERROR_EXTENSION_NOT_PRESENT:
        return "VK_ERROR_EXTENSION_NOT_PRESENT";
    case VK_ERROR_FEATURE_NOT_PRESENT:
        return "VK_ERROR_FEATURE_NOT_PRESENT";
    case VK_ERROR_INCOMPATIBLE_DRIVER:
        return "VK_ERROR_INCOMPATIBLE_DRIVER";
    case VK_ERROR_TOO_MANY_OBJECTS:
        return "VK_ERROR_TOO_MANY_OBJECTS";
    case VK_ERROR_OUT_OF_POOL_MEMORY:
        return "VK_ERROR_OUT_OF_POOL_MEMORY";
    default:
        return "VkResult error";
    }
}

} // namespace atelier::compute::vulkan
