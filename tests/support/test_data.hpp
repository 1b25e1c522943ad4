// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <filesystem>
#include <string>

#include "provmark/image.hpp"

namespace provmark::test {

/// Path of a file under tests/data.
std::filesystem::path data_path(const std::string& name);
/// A committed photo, decoded (rgb8, or gray8 for gray ones; tests/data/README.md lists them).
Image load_photo(const std::string& name);
/// A fresh, empty temporary folder for one test (removed by the OS's tmp cleaning).
std::filesystem::path temp_dir(const std::string& tag);

}  // namespace provmark::test
