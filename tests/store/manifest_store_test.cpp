// SPDX-License-Identifier: Apache-2.0
// The manifest store: round trips, ordering, persistence, concurrency (threads, objects, processes), hostile and
// damaged files, and the default location.
#include <doctest/doctest.h>

#include <cstdio>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "provmark/codec.hpp"
#include "provmark/error.hpp"
#include "provmark/manifest_store.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

using namespace provmark;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

namespace {

// A manifest whose every field depends on `n`, so a mix-up between two shows.
StoredManifest manifest(std::uint64_t payload, int n, std::size_t store_size = 300) {
  StoredManifest m;
  m.payload = Payload::from_u64(payload);
  std::mt19937 random(static_cast<unsigned>(n));
  m.store.resize(store_size);
  for (auto& b : m.store) b = static_cast<std::uint8_t>(random());
  m.active_manifest = "urn:c2pa:00000000-0000-4000-8000-" + std::to_string(100000000000 + n);
  m.media_type = n % 2 == 0 ? "image/jpeg" : "image/png";
  m.signed_at = std::chrono::system_clock::time_point(1'700'000'000'000ms + std::chrono::milliseconds(n));
  return m;
}

void check_same(const std::optional<StoredManifest>& found, const StoredManifest& expected) {
  REQUIRE(found.has_value());
  CHECK(found->payload == expected.payload);
  CHECK(found->store == expected.store);
  CHECK(found->active_manifest == expected.active_manifest);
  CHECK(found->media_type == expected.media_type);
  CHECK(found->signed_at == expected.signed_at);
}

// A plain SQLite connection: what another tool reading or writing the store sees.
struct RawDatabase {
  sqlite3* db = nullptr;
  explicit RawDatabase(const fs::path& path) { REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK); }
  ~RawDatabase() { sqlite3_close(db); }
  void exec(const std::string& sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    INFO(sql << ": " << (message ? message : ""));
    sqlite3_free(message);
    REQUIRE(rc == SQLITE_OK);
  }
  std::string text(const std::string& sql, int column = 0) {
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
    const auto* chars = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
    std::string out = chars ? chars : "";
    sqlite3_finalize(statement);
    return out;
  }
};

// Sets (or, with nullptr, unsets) an environment variable for one scope.
struct ScopedEnv {
  std::string name;
  std::optional<std::string> saved;
  ScopedEnv(std::string variable, const char* value) : name(std::move(variable)) {
    if (const char* old = std::getenv(name.c_str())) saved = old;
    if (value) ::setenv(name.c_str(), value, 1);
    else ::unsetenv(name.c_str());
  }
  ~ScopedEnv() {
    if (saved) ::setenv(name.c_str(), saved->c_str(), 1);
    else ::unsetenv(name.c_str());
  }
};

Errc open_and_read(const fs::path& path, const std::vector<Payload>& payloads) {
  return test::error_code_of([&] {
    const auto store = ManifestStore::open(path);
    for (const auto& payload : payloads) (void)store.find(payload);
  });
}

}  // namespace

TEST_SUITE("store/manifest_store") {
  TEST_CASE("a manifest put under a payload is found under it, field for field") {
    auto store = ManifestStore::open(test::temp_dir("store-round-trip") / "manifests.sqlite");
    const StoredManifest m = manifest(0x0123456789abcdef, 1);
    store.put(m);
    check_same(store.find(m.payload), m);
    // Payload bytes with zeros and high bits must not be confused (an 8-byte BLOB, not text or a number).
    const StoredManifest zeros = manifest(0x8000000000000000, 2);
    store.put(zeros);
    check_same(store.find(zeros.payload), zeros);
    check_same(store.find(m.payload), m);
  }

  TEST_CASE("signed_at is kept to the millisecond, before 1970 too") {
    auto store = ManifestStore::open(test::temp_dir("store-time") / "manifests.sqlite");
    StoredManifest m = manifest(7, 1);
    m.signed_at = std::chrono::system_clock::time_point(1'700'000'000'123'456'789ns);
    store.put(m);
    CHECK(store.find(m.payload)->signed_at == std::chrono::system_clock::time_point(1'700'000'000'123ms));
    m.payload = Payload::from_u64(8);
    m.signed_at = std::chrono::system_clock::time_point(-1'500'000ns);
    store.put(m);
    CHECK(store.find(m.payload)->signed_at == std::chrono::system_clock::time_point(-2ms));
  }

  TEST_CASE("find returns the manifest signed last, and the one put last among equal times") {
    auto store = ManifestStore::open(test::temp_dir("store-newest") / "manifests.sqlite");
    StoredManifest early = manifest(42, 1), late = manifest(42, 3), middle = manifest(42, 2);
    store.put(early);
    store.put(late);
    store.put(middle);
    check_same(store.find(Payload::from_u64(42)), late);
    StoredManifest late_again = manifest(42, 4);
    late_again.signed_at = late.signed_at;
    store.put(late_again);
    check_same(store.find(Payload::from_u64(42)), late_again);
  }

  TEST_CASE("an unknown payload finds nothing") {
    auto store = ManifestStore::open(test::temp_dir("store-unknown") / "manifests.sqlite");
    CHECK_FALSE(store.find(Payload::from_u64(1)).has_value());
    store.put(manifest(1, 1));
    CHECK_FALSE(store.find(Payload::from_u64(2)).has_value());
    CHECK_FALSE(store.find(Payload::from_u64(1ULL << 56)).has_value());
  }

  TEST_CASE("a store keeps its manifests when reopened, in the layout of spec/manifest-store-v1.md") {
    const fs::path path = test::temp_dir("store-reopen") / "manifests.sqlite";
    const StoredManifest m = manifest(0xfedcba9876543210, 5);
    ManifestStore::open(path).put(m);
    check_same(ManifestStore::open(path).find(m.payload), m);

    // What another tool reading the spec finds.
    RawDatabase raw(path);
    CHECK(raw.text("PRAGMA journal_mode") == "wal");
    CHECK(raw.text("PRAGMA user_version") == "1");
    CHECK(raw.text("PRAGMA application_id") == "1347244884");
    CHECK(raw.text("SELECT hex(payload) || ' ' || length(store) || ' ' || media_type || ' ' || signed_at "
                   "FROM manifests WHERE payload = x'fedcba9876543210'") == "FEDCBA9876543210 300 image/png " +
                                                                               std::to_string(1'700'000'000'005));
    CHECK(raw.text("SELECT active_manifest FROM manifests") == m.active_manifest);
    CHECK(raw.text("EXPLAIN QUERY PLAN SELECT store FROM manifests WHERE payload = x'00' ORDER BY signed_at DESC, "
                   "id DESC LIMIT 1", 3)
              .find("manifests_by_payload") != std::string::npos);
  }

  TEST_CASE("open creates missing parent folders, private to the user") {
    const fs::path base = test::temp_dir("store-folders");
    const fs::path path = base / "a" / "b" / "manifests.sqlite";
    ManifestStore::open(path).put(manifest(1, 1));
    CHECK(fs::is_regular_file(path));
    for (const fs::path& folder : {base / "a", base / "a" / "b"}) {
      struct stat st {};
      REQUIRE(::stat(folder.c_str(), &st) == 0);
      CHECK((st.st_mode & 0777) == 0700);
    }
  }

  TEST_CASE("put refuses an empty manifest store and one over 64 MiB") {
    auto store = ManifestStore::open(test::temp_dir("store-limits") / "manifests.sqlite");
    StoredManifest m = manifest(3, 1, 0);
    CHECK(test::error_code_of([&] { store.put(m); }) == Errc::invalid_argument);
    m.store.assign(ManifestStore::max_store_bytes + 1, 0x5a);
    CHECK(test::error_code_of([&] { store.put(m); }) == Errc::limit_exceeded);
    CHECK_FALSE(store.find(m.payload).has_value());
    m.store.pop_back();  // exactly the limit is kept
    store.put(m);
    CHECK(store.find(m.payload)->store.size() == ManifestStore::max_store_bytes);
  }

  TEST_CASE("find refuses a stored manifest over 64 MiB that another tool wrote") {
    const fs::path path = test::temp_dir("store-big-row") / "manifests.sqlite";
    ManifestStore::open(path).put(manifest(4, 1));
    {
      RawDatabase raw(path);
      raw.exec("PRAGMA synchronous = OFF");  // no need to wait for 130 MB to reach the disk
      raw.exec("INSERT INTO manifests (payload, store, active_manifest, media_type, signed_at) VALUES "
               "(x'0000000000000005', zeroblob(" + std::to_string(ManifestStore::max_store_bytes + 1) +
               "), 'urn:c2pa:x', 'image/jpeg', 0)");
      raw.exec("INSERT INTO manifests (payload, store, active_manifest, media_type, signed_at) VALUES "
               "(x'0000000000000006', zeroblob(" + std::to_string(ManifestStore::max_store_bytes + (2 << 20)) +
               "), 'urn:c2pa:x', 'image/jpeg', 0)");
    }
    const auto store = ManifestStore::open(path);
    CHECK(test::error_code_of([&] { (void)store.find(Payload::from_u64(5)); }) == Errc::limit_exceeded);
    CHECK(test::error_code_of([&] { (void)store.find(Payload::from_u64(6)); }) == Errc::limit_exceeded);
    check_same(store.find(Payload::from_u64(4)), manifest(4, 1));  // the statement is usable after an error
  }

  TEST_CASE("rows that break the schema's types are refused with Error(io)") {
    const fs::path path = test::temp_dir("store-bad-rows") / "manifests.sqlite";
    ManifestStore::open(path).put(manifest(9, 1));
    {
      RawDatabase raw(path);
      raw.exec("PRAGMA ignore_check_constraints = ON");
      raw.exec("INSERT INTO manifests (payload, store, active_manifest, media_type, signed_at) VALUES "
               "(x'0000000000000001', x'00', 'urn', 'image/jpeg', 'yesterday')");
      raw.exec("INSERT INTO manifests (payload, store, active_manifest, media_type, signed_at) VALUES "
               "(x'0000000000000002', 'text', 'urn', 'image/jpeg', 0)");
      raw.exec("INSERT INTO manifests (payload, store, active_manifest, media_type, signed_at) VALUES "
               "(x'0000000000000003', x'00', 'urn', 'image/jpeg', 9223372036854775807)");
      raw.exec("INSERT INTO manifests (payload, store, active_manifest, media_type, signed_at) VALUES "
               "(x'0000000000000004', x'00', 'urn', 'image/jpeg', -9223372036854775808)");
    }
    const auto store = ManifestStore::open(path);
    for (std::uint64_t payload = 1; payload <= 4; ++payload) {
      INFO("payload " << payload);
      CHECK(test::error_code_of([&] { (void)store.find(Payload::from_u64(payload)); }) == Errc::io);
    }
    check_same(store.find(Payload::from_u64(9)), manifest(9, 1));
  }

  TEST_CASE("files that are not a store are refused with Error(io)") {
    const fs::path dir = test::temp_dir("store-not-a-store");
    const auto write = [&](const std::string& name, const Bytes& bytes) {
      write_file_atomic(dir / name, bytes);
      return dir / name;
    };
    SUBCASE("a JPEG") {
      CHECK(open_and_read(write("photo.jpg", read_file(test::data_path("coffee.jpg"))), {}) == Errc::io);
    }
    SUBCASE("text") {
      const std::string text(5000, 'x');
      CHECK(open_and_read(write("text", Bytes(text.begin(), text.end())), {}) == Errc::io);
    }
    SUBCASE("a store whose header is damaged") {
      const fs::path path = dir / "manifests.sqlite";
      ManifestStore::open(path).put(manifest(1, 1));
      Bytes bytes = read_file(path);
      bytes[3] ^= 0x20;  // "SQLite format 3"
      CHECK(open_and_read(write("damaged.sqlite", bytes), {Payload::from_u64(1)}) == Errc::io);
    }
    SUBCASE("another program's SQLite database") {
      RawDatabase(dir / "other.sqlite").exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)");
      CHECK(open_and_read(dir / "other.sqlite", {}) == Errc::io);
      RawDatabase(dir / "other-versioned.sqlite").exec("CREATE TABLE t (x); PRAGMA user_version = 1");
      CHECK(open_and_read(dir / "other-versioned.sqlite", {}) == Errc::io);
    }
    SUBCASE("a store with a trigger added") {
      const fs::path path = dir / "trigger.sqlite";
      ManifestStore::open(path).put(manifest(1, 1));
      RawDatabase(path).exec("CREATE TRIGGER t AFTER INSERT ON manifests BEGIN DELETE FROM manifests; END");
      CHECK(open_and_read(path, {}) == Errc::io);
    }
    SUBCASE("a folder and a FIFO") {
      CHECK(open_and_read(dir, {}) == Errc::io);
      REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
      CHECK(open_and_read(dir / "fifo", {}) == Errc::io);
    }
  }

  TEST_CASE("a store of a newer schema version is refused with a clear Error(io)") {
    const fs::path path = test::temp_dir("store-newer") / "manifests.sqlite";
    ManifestStore::open(path).put(manifest(1, 1));
    RawDatabase(path).exec("PRAGMA user_version = 2");
    try {
      (void)ManifestStore::open(path);
      FAIL("a version 2 store was opened");
    } catch (const Error& e) {
      CHECK(e.code() == Errc::io);
      CHECK(std::string(e.what()).find("schema version 2 is newer") != std::string::npos);
    }
  }

  TEST_CASE("a truncated store is refused with Error(io), at any length") {
    const fs::path dir = test::temp_dir("store-truncated");
    std::vector<Payload> payloads;
    {
      auto store = ManifestStore::open(dir / "manifests.sqlite");
      for (int n = 0; n < 40; ++n) {
        store.put(manifest(static_cast<std::uint64_t>(n) * 0x9e3779b97f4a7c15, n, 2500));
        payloads.push_back(Payload::from_u64(static_cast<std::uint64_t>(n) * 0x9e3779b97f4a7c15));
      }
    }
    REQUIRE(open_and_read(dir / "manifests.sqlite", payloads) == Errc::ok);
    const Bytes whole = read_file(dir / "manifests.sqlite");
    const std::size_t page = 4096;
    REQUIRE(whole.size() > 20 * page);

    std::vector<std::size_t> lengths;
    for (std::size_t n = 1; n <= 120; ++n) lengths.push_back(n);
    for (std::size_t boundary = page; boundary < whole.size(); boundary += page)
      for (const std::size_t n : {boundary - 1, boundary, boundary + 1, boundary + page / 2}) lengths.push_back(n);
    lengths.push_back(whole.size() - 1);
    for (const std::size_t length : lengths) {
      INFO("truncated to " << length << " of " << whole.size() << " bytes");
      const fs::path path = dir / ("cut-" + std::to_string(length) + ".sqlite");
      std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(whole.data()),
                                                  static_cast<std::streamsize>(length));
      CHECK(open_and_read(path, payloads) == Errc::io);
      fs::remove(path);
    }
  }

  TEST_CASE("eight threads put and find on one store at once") {
    auto store = ManifestStore::open(test::temp_dir("store-threads") / "manifests.sqlite");
    constexpr int threads = 8, per_thread = 40;
    std::atomic<int> mismatches{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
      workers.emplace_back([&, t] {
        for (int i = 0; i < per_thread; ++i) {
          const int n = t * per_thread + i;
          const StoredManifest m = manifest(1000 + static_cast<std::uint64_t>(n), n);
          store.put(m);
          const auto found = store.find(m.payload);
          if (!found || found->store != m.store || found->active_manifest != m.active_manifest) ++mismatches;
          // Another thread's payload: absent or complete, never half-written.
          const auto other_n = static_cast<std::uint64_t>((n * 7) % (threads * per_thread));
          const auto other = store.find(Payload::from_u64(1000 + other_n));
          if (other && other->store.size() != 300) ++mismatches;
        }
      });
    for (auto& worker : workers) worker.join();
    CHECK(mismatches == 0);
    for (int n = 0; n < threads * per_thread; ++n)
      check_same(store.find(Payload::from_u64(1000 + static_cast<std::uint64_t>(n))), manifest(1000 + n, n));
  }

  TEST_CASE("two store objects on one file see each other's manifests, also from two threads") {
    const fs::path path = test::temp_dir("store-two-objects") / "manifests.sqlite";
    auto first = ManifestStore::open(path);
    auto second = ManifestStore::open(path);
    first.put(manifest(1, 1));
    check_same(second.find(Payload::from_u64(1)), manifest(1, 1));
    second.put(manifest(1, 2));
    check_same(first.find(Payload::from_u64(1)), manifest(1, 2));

    std::thread a([&] { for (int n = 0; n < 50; ++n) first.put(manifest(100 + n, n)); });
    std::thread b([&] { for (int n = 50; n < 100; ++n) second.put(manifest(100 + n, n)); });
    a.join();
    b.join();
    for (int n = 0; n < 100; ++n) check_same(first.find(Payload::from_u64(100 + n)), manifest(100 + n, n));
  }

  TEST_CASE("several processes create and fill one new store at once") {
    const fs::path path = test::temp_dir("store-processes") / "new" / "manifests.sqlite";
    constexpr int processes = 4, per_process = 25;
    std::vector<pid_t> children;
    for (int p = 0; p < processes; ++p) {
      const pid_t pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        int status = 0;
        try {
          auto store = ManifestStore::open(path);
          for (int i = 0; i < per_process; ++i) {
            const int n = p * per_process + i;
            store.put(manifest(static_cast<std::uint64_t>(n), n));
            if (!store.find(Payload::from_u64(static_cast<std::uint64_t>(n)))) status = 2;
          }
        } catch (const std::exception& e) {
          std::fprintf(stderr, "child %d: %s\n", p, e.what());  // the parent's CHECK shows only the status
          status = 1;
        }
        ::_exit(status);
      }
      children.push_back(pid);
    }
    for (const pid_t pid : children) {
      int status = -1;
      REQUIRE(::waitpid(pid, &status, 0) == pid);
      CHECK(WIFEXITED(status));
      CHECK(WEXITSTATUS(status) == 0);
    }
    const auto store = ManifestStore::open(path);
    for (int n = 0; n < processes * per_process; ++n)
      check_same(store.find(Payload::from_u64(static_cast<std::uint64_t>(n))), manifest(n, n));
  }

  TEST_CASE("default_path honours PROVMARK_STORE, then an absolute XDG_DATA_HOME, then HOME") {
    const ScopedEnv home("HOME", "/home/someone");
    {
      const ScopedEnv store("PROVMARK_STORE", "/srv/provmark/store.sqlite");
      const ScopedEnv xdg("XDG_DATA_HOME", "/data");
      CHECK(ManifestStore::default_path() == fs::path("/srv/provmark/store.sqlite"));
    }
    const ScopedEnv store("PROVMARK_STORE", "");
    {
      const ScopedEnv xdg("XDG_DATA_HOME", "/data");
      CHECK(ManifestStore::default_path() == fs::path("/data/provmark/manifests.sqlite"));
    }
    {
      const ScopedEnv xdg("XDG_DATA_HOME", "relative/data");
      CHECK(ManifestStore::default_path() == fs::path("/home/someone/.local/share/provmark/manifests.sqlite"));
    }
    const ScopedEnv xdg("XDG_DATA_HOME", nullptr);
    CHECK(ManifestStore::default_path() == fs::path("/home/someone/.local/share/provmark/manifests.sqlite"));
    const ScopedEnv no_home("HOME", nullptr);
    CHECK(test::error_code_of([] { (void)ManifestStore::default_path(); }) == Errc::io);
  }

  TEST_CASE("the default path opens, creating its folders") {
    const fs::path data = test::temp_dir("store-default");
    const ScopedEnv store("PROVMARK_STORE", nullptr);
    const ScopedEnv xdg("XDG_DATA_HOME", data.c_str());
    ManifestStore::open(ManifestStore::default_path()).put(manifest(1, 1));
    CHECK(fs::is_regular_file(data / "provmark" / "manifests.sqlite"));
  }
}
