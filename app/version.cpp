#include "app/version.hpp"

#ifndef ATELIER_VERSION
#define ATELIER_VERSION "0.0.0"
#endif

namespace atelier {
const char* versionString() { return ATELIER_VERSION; }
} // namespace atelier
