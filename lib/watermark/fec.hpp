// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Error control for the watermark payload (spec/image-watermark-v1.md#coding): CRC-24, a terminated
/// convolutional code with a soft-decision Viterbi decoder, and the binomial tail used for false-alarm bounds.
/// Bits are std::uint8_t values 0 or 1 (any nonzero value counts as 1).
///
/// Definitions, to be reproduced bit for bit:
/// - crc24: CRC-24/OPENPGP (poly 0x864CFB, init 0xB704CE, no reflection, no final xor), fed one bit at a time,
///   in order: each bit is xored into the register's top bit (bit 23), the register shifts left by one and, if
///   the bit shifted out was 1, is xored with the polynomial. Over the 72 bits of ASCII "123456789" (each byte
///   most significant bit first) it is 0x21CF02.
/// - conv_encode: shift register of K bits, all zero at the start. For each input bit (the info bits, then K-1
///   zero tail bits) the register becomes (bit << (K-1)) | (register >> 1), i.e. the newest bit is the most
///   significant; then one output bit per generator g, in order: the parity of (register & g). Generators are
///   written in octal as usual, e.g. 0171: its top bit (1 << (K-1)) taps the newest input bit.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace provmark::wm {

/// CRC-24/OPENPGP of `bits`, in the low 24 bits.
[[nodiscard]] std::uint32_t crc24(std::span<const std::uint8_t> bits);

struct ConvCode {
  int constraint_length;                ///< K: register length including the newest bit (2..16)
  std::vector<std::uint32_t> generators;  ///< output taps, each below 2^K; output order (1..8 of them)
};

/// The watermark's code: K = 7, rate 1/4, generators 0117, 0127, 0155, 0171 (free distance 20).
[[nodiscard]] const ConvCode& watermark_code();

/// Coded bits for `info` followed by K-1 zero tail bits: (info.size() + K-1) * generators.size() bits, the
/// generators' outputs for each input bit in turn. @throws Error(invalid_argument) for an invalid code.
[[nodiscard]] std::vector<std::uint8_t> conv_encode(std::span<const std::uint8_t> info, const ConvCode& code);

struct ViterbiResult {
  std::vector<std::uint8_t> bits;  ///< the decoded info bits (tail removed)
  double metric;                   ///< sum over coded bits c of the path of (2c - 1) * soft
};

/// Maximum-likelihood decoding of a terminated code word: among all info sequences of `info_bits` bits, the
/// one whose code word c maximises sum((2 c_i - 1) * soft[i]). soft[i] > 0 means coded bit i is more likely
/// 1, its magnitude is the confidence, 0 an erasure; values must be finite. Ties go to the path through the
/// predecessor state whose oldest bit is 0.
/// @throws Error(invalid_argument) unless soft.size() == (info_bits + K-1) * generators.size().
[[nodiscard]] ViterbiResult viterbi_decode(std::span<const float> soft, const ConvCode& code, std::size_t info_bits);

/// log10 of P(X >= k) for X ~ Binomial(n, 1/2): 0 for k <= 0, -infinity for k > n. Accurate far into the tail.
/// @throws Error(invalid_argument) when n < 0.
[[nodiscard]] double log10_binomial_tail(int n, int k);

}  // namespace provmark::wm
