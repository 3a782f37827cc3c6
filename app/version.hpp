#pragma once
namespace atelier {
// The product version, from CMake's project() (one place to change it).
const char* versionString();
} // namespace atelier
