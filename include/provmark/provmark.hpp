// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file Umbrella header.
#include "provmark/aigc.hpp"
#include "provmark/audio.hpp"
#include "provmark/codec.hpp"
#include "provmark/error.hpp"
#include "provmark/image.hpp"
#include "provmark/inspect.hpp"
#include "provmark/label.hpp"
#include "provmark/limits.hpp"
#include "provmark/manifest.hpp"
#include "provmark/manifest_store.hpp"
#include "provmark/signer.hpp"
#include "provmark/visible_label.hpp"
#include "provmark/verify.hpp"
#include "provmark/version.hpp"
#include "provmark/watermark.hpp"
