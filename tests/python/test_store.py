# SPDX-License-Identifier: Apache-2.0
"""ManifestStore from Python: put and find StoredManifest values, persistence, closing (a context manager),
threads, the default location and typed errors."""

import dataclasses
import datetime
import threading

import pytest

import provmark

UTC = datetime.timezone.utc


def stored(payload: int, n: int, when=None) -> provmark.StoredManifest:
    return provmark.StoredManifest(
        payload=provmark.Payload(payload), store=bytes([n % 256]) * (100 + n),
        active_manifest=f"urn:c2pa:00000000-0000-4000-8000-{n:012d}", media_type="image/png" if n % 2 else "image/jpeg",
        signed_at=when or datetime.datetime(2026, 5, 1, 12, 0, 0, n * 1000, tzinfo=UTC))


def test_a_manifest_put_under_a_payload_is_found_under_it_field_for_field(tmp_path):
    path = tmp_path / "new" / "folder" / "manifests.sqlite"
    with provmark.ManifestStore.open(path) as store:
        assert path.exists() and store.path == path and not store.closed
        manifest = stored(0x1234, 7)
        store.put(manifest)
        assert store.find(provmark.Payload(0x1234)) == manifest
        assert store.find(provmark.Payload(0x1235)) is None
        assert store.find(provmark.Payload(0x1234)).signed_at.tzinfo is not None


def test_signed_at_is_kept_to_the_millisecond_and_naive_datetimes_are_local_time(tmp_path):
    with provmark.ManifestStore.open(tmp_path / "m.sqlite") as store:
        precise = datetime.datetime(1969, 7, 20, 20, 17, 40, 123456, tzinfo=UTC)
        store.put(stored(1, 1, precise))
        assert store.find(provmark.Payload(1)).signed_at == precise.replace(microsecond=123000)
        naive = datetime.datetime(2026, 1, 2, 3, 4, 5)
        store.put(stored(2, 2, naive))
        assert store.find(provmark.Payload(2)).signed_at == naive.astimezone(UTC)
        with pytest.raises(provmark.InvalidArgumentError):
            store.put(stored(3, 3, datetime.datetime(9000, 1, 1, tzinfo=UTC)))
        with pytest.raises(TypeError):
            store.put(dataclasses.replace(stored(3, 3), signed_at="yesterday"))


def test_find_returns_the_newest_and_a_reopened_store_keeps_everything(tmp_path):
    path = tmp_path / "m.sqlite"
    store = provmark.ManifestStore.open(path)
    older, newer = stored(9, 2), stored(9, 4)
    store.put(newer)
    store.put(older)
    assert store.find(provmark.Payload(9)) == newer
    store.close()
    assert store.closed and "closed" in repr(store)
    store.close()  # harmless
    with pytest.raises(provmark.InvalidArgumentError, match="closed"):
        store.find(provmark.Payload(9))
    with pytest.raises(ValueError):  # like a closed file
        store.put(older)
    with provmark.ManifestStore.open(str(path)) as reopened:
        assert reopened.find(provmark.Payload(9)) == newer
    assert reopened.closed


def test_several_threads_put_and_find_on_one_store(tmp_path):
    errors = []
    with provmark.ManifestStore.open(tmp_path / "m.sqlite") as store:
        def work(thread: int):
            try:
                for i in range(20):
                    manifest = stored(thread * 1000 + i, i)
                    store.put(manifest)
                    assert store.find(manifest.payload) == manifest
            except Exception as error:  # reported below: pytest does not see exceptions of other threads
                errors.append(error)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors


def test_the_default_path_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PROVMARK_STORE", str(tmp_path / "env.sqlite"))
    assert provmark.ManifestStore.default_path() == tmp_path / "env.sqlite"
    monkeypatch.delenv("PROVMARK_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert provmark.ManifestStore.default_path() == tmp_path / "xdg" / "provmark" / "manifests.sqlite"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.delenv("HOME")
    with pytest.raises(provmark.IoError):
        provmark.ManifestStore.default_path()


def test_bad_manifests_and_files_that_are_no_store_raise_typed_errors(tmp_path):
    (tmp_path / "junk.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(provmark.IoError):
        provmark.ManifestStore.open(tmp_path / "junk.sqlite")
    with pytest.raises(OSError):
        provmark.ManifestStore.open(tmp_path / "junk.sqlite")
    assert provmark.ManifestStore.max_store_bytes == 64 << 20
    with provmark.ManifestStore.open(tmp_path / "m.sqlite") as store:
        with pytest.raises(provmark.InvalidArgumentError):
            store.put(dataclasses.replace(stored(1, 1), store=b""))
        with pytest.raises(provmark.LimitExceededError):
            store.put(dataclasses.replace(stored(1, 1), store=bytes(provmark.ManifestStore.max_store_bytes + 1)))
        with pytest.raises(TypeError):
            store.find(1)
