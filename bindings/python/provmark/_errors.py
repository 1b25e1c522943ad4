# SPDX-License-Identifier: Apache-2.0
"""The exceptions provmark raises: one subclass of Error per C++ provmark::Errc code.

Two of them also derive from the built-in exception a Python caller expects: InvalidArgumentError is a
ValueError (the caller passed a meaningless value) and IoError is an OSError (a file could not be read or
written), so ``except ValueError`` and ``except OSError`` keep working around provmark calls. The others are
about the content, keys or provmark itself and have no built-in twin.
"""

from __future__ import annotations

import enum


class ErrorCode(enum.IntEnum):
    """The stable error codes of provmark::Errc (spec/README.md#error-codes); the numbers never change."""

    INVALID_ARGUMENT = 1
    UNSUPPORTED_FORMAT = 2
    MALFORMED_INPUT = 3
    IO = 4
    CRYPTO = 5
    BAD_KEY = 6
    LIMIT_EXCEEDED = 7
    INTERNAL = 99


class Error(Exception):
    """Base class of every error provmark raises. ``code`` is the ErrorCode of the subclass raised."""

    code: ErrorCode


class InvalidArgumentError(Error, ValueError):
    """The caller passed something meaningless (a bad image shape, hex payload, strength, ...)."""

    code = ErrorCode.INVALID_ARGUMENT


class UnsupportedFormatError(Error):
    """A format or feature provmark does not handle (neither JPEG nor PNG, ...)."""

    code = ErrorCode.UNSUPPORTED_FORMAT


class MalformedInputError(Error):
    """Truncated, corrupt or hostile input."""

    code = ErrorCode.MALFORMED_INPUT


class IoError(Error, OSError):
    """Reading or writing a file failed. Also an OSError (errno and filename are not set)."""

    code = ErrorCode.IO


class CryptoError(Error):
    """A cryptographic primitive failed, or a signing callback returned a signature of the wrong size."""

    code = ErrorCode.CRYPTO


class BadKeyError(Error):
    """A key file, key material or certificate is invalid."""

    code = ErrorCode.BAD_KEY


class LimitExceededError(Error):
    """The input exceeds a configured Limits value."""

    code = ErrorCode.LIMIT_EXCEEDED


class InternalError(Error):
    """A bug in provmark."""

    code = ErrorCode.INTERNAL


#: ErrorCode value -> the class raised for it; the extension translates C++ errors with it.
ERROR_CLASSES: dict[int, type[Error]] = {
    cls.code.value: cls
    for cls in (InvalidArgumentError, UnsupportedFormatError, MalformedInputError, IoError, CryptoError,
                BadKeyError, LimitExceededError, InternalError)
}
