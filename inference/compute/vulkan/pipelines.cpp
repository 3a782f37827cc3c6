#include "inference/compute/vulkan/pipelines.hpp"

#include "inference/compute/vulkan/shader_blobs.hpp"
#include "inference/compute/vulkan/vk_check.hpp"

#include <cstring>

namespace atelier::compute::vulkan {
namespace {

const ShaderBlob* findBlob(const std::string& name) {
    for (const ShaderBlob& b : shaderBlobs())
        if (name == b.name) return &b;
    return nullptr;
}

} // namespace

Pipelines::Pipelines(const Device& device) : device_(device) {
    VkDescriptorSetLayoutBinding bindings[kMaxBindings];
    for (std::uint32_t i = 0; i < kMaxBindings; ++i) {
        bindings[i] = {};
        bindings[i].binding = i;
        bindings[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
        bindings[i].descriptorCount = 1;
        bindings[i].stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
    }
    VkDescriptorSetLayoutCreateInfo setInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
    setInfo.bindingCount = kMaxBindings;
    setInfo.pBindings = bindings;
    vkCheck(vkCreateDescriptorSetLayout(device.handle(), &setInfo, nullptr, &setLayout_),
            "creating the descriptor set layout");
    VkPushConstantRange push{VK_SHADER_STAGE_COMPUTE_BIT, 0, kPushBytes};
    VkPipelineLayoutCreateInfo layoutInfo{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    layoutInfo.setLayoutCount = 1;
    layoutInfo.pSetLayouts = &setLayout_;
    layoutInfo.pushConstantRangeCount = 1;
    layoutInfo.pPushConstantRanges = &push;
    vkCheck(vkCreatePipelineLayout(device.handle(), &layoutInfo, nullptr, &layout_),
            "creating the pipeline layout");
}

Pipelines::~Pipelines() {
    for (auto& [name, pipeline] : cache_) vkDestroyPipeline(device_.handle(), pipeline, nullptr);
    vkDestroyPipelineLayout(device_.handle(), layout_, nullptr);
    vkDestroyDescriptorSetLayout(device_.handle(), setLayout_, nullptr);
}

bool Pipelines::exists(const std::string& family) {
    for (const char* suffix : {"", "_sg", "_h", "_sg_h"})
        if (findBlob(family + suffix)) return true;
    return false;
}

std::string Pipelines::variantOf(const std::string& family) const {
    const bool sg = device_.features().subgroupArithmetic;
    const bool h = device_.features().float16Storage;
    for (const auto& [suffix, ok] :
         {std::pair<const char*, bool>{"_sg_h", sg && h}, {"_sg", sg}, {"_h", h}, {"", true}})
        if (ok && findBlob(family + suffix)) return family + suffix;
    throw Error(ErrorKind::Unsupported, "vulkan: no shader named " + family + " in this build");
}

// `name` is a family, or "<family>#<n>": that family's pipeline with its specialization
// constant 0 set to n (compile-time switches of the shader, e.g. attention.comp's).
VkPipeline Pipelines::get(const std::string& name) {
    if (auto it = cache_.find(name); it != cache_.end()) return it->second;
    const std::size_t hash = name.find('#');
    const std::string family = name.substr(0, hash);
    const std::uint32_t constant =
        hash == std::string::npos ? 0u : std::uint32_t(std::stoul(name.substr(hash + 1)));
    const ShaderBlob* blob = findBlob(variantOf(family));
    VkShaderModuleCreateInfo moduleInfo{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
    moduleInfo.codeSize = blob->bytes;
    moduleInfo.pCode = blob->code;
    VkShaderModule module = VK_NULL_HANDLE;
    vkCheck(vkCreateShaderModule(device_.handle(), &moduleInfo, nullptr, &module),
            ("creating shader " + std::string(blob->name)).c_str());
    const VkSpecializationMapEntry entry{0, 0, sizeof(constant)};
    const VkSpecializationInfo specialization{1, &entry, sizeof(constant), &constant};
    VkComputePipelineCreateInfo info{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    info.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
    info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    info.stage.module = module;
    info.stage.pName = "main";
    if (hash != std::string::npos) info.stage.pSpecializationInfo = &specialization;
    info.layout = layout_;
    VkPipeline pipeline = VK_NULL_HANDLE;
    const VkResult r =
        vkCreateComputePipelines(device_.handle(), VK_NULL_HANDLE, 1, &info, nullptr, &pipeline);
    vkDestroyShaderModule(device_.handle(), module, nullptr);
    vkCheck(r, ("creating pipeline " + std::string(blob->name)).c_str());
    cache_.emplace(name, pipeline);
    return pipeline;
}

} // namespace atelier::compute::vulkan
