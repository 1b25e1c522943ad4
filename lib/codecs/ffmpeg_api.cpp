// SPDX-License-Identifier: Apache-2.0
#include "codecs/ffmpeg_api.hpp"

#include <dlfcn.h>

#include <array>
#include <string>

#include "core/fail.hpp"

namespace provmark::codecs::ff {
namespace {

// The sonames of the major versions whose headers we compiled against.
#define PROVMARK_SONAME(library, major) "lib" library ".so." AV_STRINGIFY(major)
constexpr std::array<const char*, 4> libraries = {
    PROVMARK_SONAME("avutil", LIBAVUTIL_VERSION_MAJOR), PROVMARK_SONAME("swresample", LIBSWRESAMPLE_VERSION_MAJOR),
    PROVMARK_SONAME("avcodec", LIBAVCODEC_VERSION_MAJOR), PROVMARK_SONAME("avformat", LIBAVFORMAT_VERSION_MAJOR)};
#undef PROVMARK_SONAME

Api load() {
  std::array<void*, libraries.size()> handles{};
  for (std::size_t i = 0; i < libraries.size(); ++i) {
    // Never closed: FFmpeg keeps global state (codec registries) for the life of the process.
    handles[i] = dlopen(libraries[i], RTLD_LAZY | RTLD_LOCAL);
    if (handles[i] == nullptr) {
      const char* why = dlerror();
      fail(Errc::unsupported_format, std::string("audio needs FFmpeg's shared libraries; cannot load ") +
                                         libraries[i] + ": " + (why != nullptr ? why : "not found"));
    }
  }
  Api api;
  auto resolve = [&](const char* name) {
    for (void* handle : handles)
      if (void* symbol = dlsym(handle, name)) return symbol;
    fail(Errc::unsupported_format, std::string("the FFmpeg libraries found lack ") + name);
  };
#define PROVMARK_FFMPEG_RESOLVE(name) api.name = reinterpret_cast<decltype(api.name)>(resolve(#name));
  PROVMARK_FFMPEG_FUNCTIONS(PROVMARK_FFMPEG_RESOLVE)
#undef PROVMARK_FFMPEG_RESOLVE
  api.av_log_set_level(AV_LOG_QUIET);
  return api;
}

}  // namespace

const Api& api() {
  // A failed load throws out of the initialiser, and the next call tries again.
  static const Api loaded = load();
  return loaded;
}

}  // namespace provmark::codecs::ff
