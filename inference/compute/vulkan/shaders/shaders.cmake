# Every shader blob of the Vulkan backend (included from ../CMakeLists.txt).
# Weight types by ggml id: get_rows is built once per type; matmul and matmul_tiled for the float
# types (the 32-value block types have matmul_q8, the k-quants matmul_q8k).
set(atelier_vk_weight_types
  f32 0 f16 1 bf16 30 q4_0 2 q4_1 3 q5_0 6 q5_1 7 q8_0 8 q2_k 10 q3_k 11 q4_k 12 q5_k 13 q6_k 14)
list(LENGTH atelier_vk_weight_types _n)
math(EXPR _last "${_n} - 1")
foreach(_i RANGE 0 ${_last} 2)
  math(EXPR _j "${_i} + 1")
  list(GET atelier_vk_weight_types ${_i} _type)
  list(GET atelier_vk_weight_types ${_j} _id)
  atelier_vk_shader(get_rows_${_type} get_rows.comp WTYPE=${_id})
  if(_type MATCHES "^(f32|f16|bf16)$")
    atelier_vk_reducing_shader(matmul_${_type} matmul.comp WTYPE=${_id})
    atelier_vk_shader(matmul_tiled_${_type} matmul_tiled.comp WTYPE=${_id})
  endif()
endforeach()

atelier_vk_shader(binary binary.comp)
atelier_vk_shader(unary unary.comp)
atelier_vk_half_shader(copy copy.comp)
atelier_vk_reducing_shader(norm norm.comp)
atelier_vk_shader(norm_x norm.comp FLOAT64=1)
atelier_vk_shader(fma_probe fma_probe.comp)
atelier_vk_reducing_shader(group_norm group_norm.comp)
atelier_vk_reducing_shader(softmax softmax.comp)
atelier_vk_shader(rope rope.comp)
atelier_vk_shader(rope_angles rope.comp ROPE_ANGLES=1)
atelier_vk_exact_shader(rope rope.comp)
atelier_vk_exact_shader(rope_angles rope.comp ROPE_ANGLES=1)
# attention reduces and reads F16: all four variants.
atelier_vk_shader(attention attention.comp)
atelier_vk_shader(attention_sg attention.comp USE_SUBGROUPS=1)
atelier_vk_shader(attention_h attention.comp USE_F16_STORAGE=1)
atelier_vk_shader(attention_sg_h attention.comp USE_SUBGROUPS=1 USE_F16_STORAGE=1)
# Bit-identical to the CPU backend (exact fma and double sums, shaders/exp.glsl): devices
# with shaderFloat64 run these "_x" builds instead.
atelier_vk_exact_shader(unary unary.comp)
atelier_vk_reducing_shader(softmax_x softmax.comp EXACT_FMA=1)
atelier_vk_reducing_shader(softmax_xf softmax.comp EXACT_FMA=1 FUSED_FMA=1)
atelier_vk_exact_shader(attention attention.comp)
atelier_vk_shader(attention_x_h attention.comp EXACT_FMA=1 USE_F16_STORAGE=1)
atelier_vk_shader(attention_xf_h attention.comp EXACT_FMA=1 FUSED_FMA=1 USE_F16_STORAGE=1)
atelier_vk_half_shader(conv2d conv2d.comp)
atelier_vk_shader(resample resample.comp)
# Activations rounded as the CPU rounds them for each weight family (ops_matmul.cpp).
atelier_vk_shader(round_activations_f16 round_activations.comp MODE=1)
atelier_vk_shader(round_activations_bf16 round_activations.comp MODE=2)
atelier_vk_shader(round_activations_q8_blocks round_activations.comp MODE=5)
atelier_vk_shader(round_activations_q8k_blocks round_activations.comp MODE=6)
# The 32-value block types (matmul_q8) and the k-quants (matmul_q8k) summed in the CPU
# backend's order: the plain build and the exact ones, per weight type.
foreach(_triple "q8;q4_0;2" "q8;q4_1;3" "q8;q5_0;6" "q8;q5_1;7" "q8;q8_0;8" "q8k;q2_k;10"
                "q8k;q3_k;11" "q8k;q4_k;12" "q8k;q5_k;13" "q8k;q6_k;14")
  list(GET _triple 0 _kind)
  list(GET _triple 1 _type)
  list(GET _triple 2 _id)
  atelier_vk_shader(matmul_${_kind}_${_type} matmul_${_kind}.comp WTYPE=${_id})
  atelier_vk_exact_shader(matmul_${_kind}_${_type} matmul_${_kind}.comp WTYPE=${_id})
endforeach()
