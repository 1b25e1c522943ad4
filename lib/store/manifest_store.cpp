// SPDX-License-Identifier: Apache-2.0
// The manifest store: one SQLite table, laid out in spec/manifest-store-v1.md.
#include "provmark/manifest_store.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>
#include <utility>

#include "core/fail.hpp"

namespace provmark {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::system_clock;

constexpr int schema_version = 1;
constexpr int application_id = 0x504d5354;  // "PMST": marks the file as a provmark manifest store
constexpr int busy_timeout_ms = 10'000;     // how long a write waits for another process's transaction
// SQLite's own cap on any value or row, so a hostile row cannot make it allocate more; the extra MiB leaves
// room for the other columns of a row whose store is exactly max_store_bytes.
constexpr int sqlite_length_limit = static_cast<int>(ManifestStore::max_store_bytes + (1 << 20));

// Spec section 2; a change here is a new schema version.
constexpr const char* create_schema = R"sql(
CREATE TABLE manifests (
  id INTEGER PRIMARY KEY,
  payload BLOB NOT NULL CHECK (typeof(payload) = 'blob' AND length(payload) = 8),
  store BLOB NOT NULL CHECK (typeof(store) = 'blob' AND length(store) > 0),
  active_manifest TEXT NOT NULL CHECK (typeof(active_manifest) = 'text'),
  media_type TEXT NOT NULL CHECK (typeof(media_type) = 'text'),
  signed_at INTEGER NOT NULL CHECK (typeof(signed_at) = 'integer')
);
CREATE INDEX manifests_by_payload ON manifests (payload, signed_at);
PRAGMA application_id = 1347244884;
PRAGMA user_version = 1;
)sql";
static_assert(application_id == 1347244884);

constexpr const char* insert_sql =
    "INSERT INTO manifests (payload, store, active_manifest, media_type, signed_at) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr const char* select_sql =
    "SELECT store, active_manifest, media_type, signed_at FROM manifests WHERE payload = ?1 "
    "ORDER BY signed_at DESC, id DESC LIMIT 1";

struct CloseDatabase {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct FinalizeStatement {
  void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

// Resets a statement on every way out of a call, so that it never keeps a read transaction open.
struct ResetOnExit {
  sqlite3_stmt* statement;
  ~ResetOnExit() {
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
  }
};

// XDG asks for missing data folders to be private (0700): the store tells what this user signed.
void create_parent_folders(const fs::path& file) {
  const fs::path parent = file.parent_path();
  std::error_code ignored;
  if (parent.empty() || fs::is_directory(parent, ignored)) return;
  create_parent_folders(parent);
  if (::mkdir(parent.c_str(), 0700) != 0 && errno != EEXIST)
    fail(Errc::io, "cannot create the folder '" + parent.string() + "': " + std::generic_category().message(errno));
}

}  // namespace

struct ManifestStore::Impl {
  std::string path;
  std::unique_ptr<sqlite3, CloseDatabase> db;  // declared before the statements: closed after them
  Statement insert;
  Statement select;
  std::mutex mutex;  // one connection and its statements are used by one thread at a time

  [[noreturn]] void fail_sqlite(const std::string& what) const {
    const int code = sqlite3_errcode(db.get());
    fail(code == SQLITE_TOOBIG ? Errc::limit_exceeded : Errc::io,
         "manifest store '" + path + "': " + what + ": " + sqlite3_errmsg(db.get()));
  }
  [[noreturn]] void fail_store(const std::string& why) const {
    fail(Errc::io, "manifest store '" + path + "': " + why);
  }

  void exec(const char* sql, const char* what) const {
    if (sqlite3_exec(db.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail_sqlite(what);
  }

  Statement prepare(const char* sql, const char* what) const {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(db.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) != SQLITE_OK)
      fail_sqlite(what);
    return Statement(statement);
  }

  // The first column of the first row of `sql`, as an integer.
  std::int64_t query_int(const char* sql) const {
    const Statement statement = prepare(sql, "cannot read");
    if (sqlite3_step(statement.get()) != SQLITE_ROW) fail_sqlite("cannot read");
    return sqlite3_column_int64(statement.get(), 0);
  }

  void open() {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    db.reset(raw);
    if (raw == nullptr) fail_store("cannot open: out of memory");
    if (rc != SQLITE_OK) fail_sqlite("cannot open");
    sqlite3_busy_timeout(raw, busy_timeout_ms);
    sqlite3_limit(raw, SQLITE_LIMIT_LENGTH, sqlite_length_limit);
    // The file may come from elsewhere: its schema must not run functions with side effects.
    sqlite3_db_config(raw, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);

    // The first read: a file that is not SQLite, or that lost whole pages, fails here.
    (void)query_int("PRAGMA user_version");
    // A file cut inside a page reads as zeros where the bytes are missing (SQLite has no checksums); in WAL mode
    // the main file only ever holds whole pages, so any other size is a truncated or damaged store. Checked
    // before anything is written.
    std::error_code ec;
    const std::uintmax_t file_size = fs::file_size(path, ec);
    if (ec) fail_store("cannot read the size: " + ec.message());
    if (file_size % static_cast<std::uintmax_t>(query_int("PRAGMA page_size")) != 0)
      fail_store("truncated: the file is not a whole number of pages");

    switch_to_wal();
    if (query_int("PRAGMA user_version") == 0) create_schema_if_empty();
    check_schema();
    insert = prepare(insert_sql, "not a version 1 store");
    select = prepare(select_sql, "not a version 1 store");
  }

  // Changing the journal mode can report SQLITE_BUSY without calling the busy handler while another process
  // creates the same store, so the wait is done here, as long as the busy timeout.
  void switch_to_wal() const {
    const Statement wal = prepare("PRAGMA journal_mode = WAL", "cannot read");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
    int rc = sqlite3_step(wal.get());
    while ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && std::chrono::steady_clock::now() < deadline) {
      sqlite3_reset(wal.get());
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      rc = sqlite3_step(wal.get());
    }
    if (rc != SQLITE_ROW) fail_sqlite("cannot switch to WAL mode");
    const auto* mode = reinterpret_cast<const char*>(sqlite3_column_text(wal.get(), 0));
    if (mode == nullptr || std::string(mode) != "wal") fail_store("cannot switch to WAL mode");
  }

  // A new (empty) database gets the schema; two processes creating the same store race here, hence the
  // write transaction around the check.
  void create_schema_if_empty() {
    exec("BEGIN IMMEDIATE", "cannot create the schema");
    try {
      if (query_int("PRAGMA user_version") == 0) {
        if (query_int("SELECT count(*) FROM sqlite_schema") != 0) fail_store("not a provmark manifest store");
        exec(create_schema, "cannot create the schema");
      }
      exec("COMMIT", "cannot create the schema");
    } catch (...) {
      sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  void check_schema() const {
    if (query_int("PRAGMA application_id") != application_id) fail_store("not a provmark manifest store");
    const std::int64_t version = query_int("PRAGMA user_version");
    if (version > schema_version)
      fail_store("schema version " + std::to_string(version) + " is newer than this provmark reads (" +
                 std::to_string(schema_version) + "): upgrade provmark");
    if (version != schema_version) fail_store("unknown schema version " + std::to_string(version));
    // Exactly our table and index, besides SQLite's own: a trigger or view could make our statements do anything.
    const Statement objects = prepare("SELECT type, name FROM sqlite_schema "
                                      "WHERE type IN ('trigger', 'view') OR name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                                      "cannot read");
    std::set<std::pair<std::string, std::string>> found;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(objects.get())) == SQLITE_ROW) {
      const auto* type = reinterpret_cast<const char*>(sqlite3_column_text(objects.get(), 0));
      const auto* name = reinterpret_cast<const char*>(sqlite3_column_text(objects.get(), 1));
      found.emplace(type ? type : "", name ? name : "");
    }
    if (rc != SQLITE_DONE) fail_sqlite("cannot read the schema");
    const std::set<std::pair<std::string, std::string>> expected = {{"table", "manifests"},
                                                                     {"index", "manifests_by_payload"}};
    if (found != expected) fail_store("not a version 1 store: unexpected tables, indexes, views or triggers");
  }
};

ManifestStore::ManifestStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ManifestStore::ManifestStore(ManifestStore&&) noexcept = default;
ManifestStore& ManifestStore::operator=(ManifestStore&&) noexcept = default;
ManifestStore::~ManifestStore() = default;

ManifestStore ManifestStore::open(const fs::path& path) {
  create_parent_folders(path);
  std::error_code ec;
  // SQLite would block on a FIFO and misread a device: only regular files (or nothing yet) are stores.
  if (const auto status = fs::status(path, ec); fs::exists(status) && !fs::is_regular_file(status))
    fail(Errc::io, "manifest store '" + path.string() + "': not a regular file");
  auto impl = std::make_unique<Impl>();
  impl->path = path.string();
  impl->open();
  return ManifestStore(std::move(impl));
}

fs::path ManifestStore::default_path() {
  if (const char* store = std::getenv("PROVMARK_STORE"); store != nullptr && *store != '\0') return store;
  const fs::path tail = fs::path("provmark") / "manifests.sqlite";
  // The XDG base directory spec says to ignore a relative XDG_DATA_HOME.
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && fs::path(xdg).is_absolute())
    return fs::path(xdg) / tail;
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
    return fs::path(home) / ".local" / "share" / tail;
  fail(Errc::io, "no place for the manifest store: set PROVMARK_STORE, XDG_DATA_HOME or HOME");
}

void ManifestStore::put(const StoredManifest& manifest) {
  if (manifest.store.empty()) fail(Errc::invalid_argument, "manifest store: an empty manifest store cannot be kept");
  if (manifest.store.size() > max_store_bytes)
    fail(Errc::limit_exceeded, "manifest store: a manifest store of " + std::to_string(manifest.store.size()) +
                                   " bytes is larger than the limit of " + std::to_string(max_store_bytes));
  const std::int64_t signed_at_ms =
      std::chrono::floor<milliseconds>(manifest.signed_at.time_since_epoch()).count();

  const std::lock_guard lock(impl_->mutex);
  sqlite3_stmt* insert = impl_->insert.get();
  const ResetOnExit reset{insert};
  // SQLITE_STATIC: the bound bytes outlive the statement's use (it is reset before returning).
  if (sqlite3_bind_blob(insert, 1, manifest.payload.bytes.data(), Payload::size, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_blob64(insert, 2, manifest.store.data(), manifest.store.size(), SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text64(insert, 3, manifest.active_manifest.data(), manifest.active_manifest.size(), SQLITE_STATIC,
                          SQLITE_UTF8) != SQLITE_OK ||
      sqlite3_bind_text64(insert, 4, manifest.media_type.data(), manifest.media_type.size(), SQLITE_STATIC,
                          SQLITE_UTF8) != SQLITE_OK ||
      sqlite3_bind_int64(insert, 5, signed_at_ms) != SQLITE_OK)
    impl_->fail_sqlite("cannot add a manifest");
  if (sqlite3_step(insert) != SQLITE_DONE) impl_->fail_sqlite("cannot add a manifest");
}

std::optional<StoredManifest> ManifestStore::find(const Payload& payload) const {
  const std::lock_guard lock(impl_->mutex);
  sqlite3_stmt* select = impl_->select.get();
  const ResetOnExit reset{select};
  if (sqlite3_bind_blob(select, 1, payload.bytes.data(), Payload::size, SQLITE_STATIC) != SQLITE_OK)
    impl_->fail_sqlite("cannot look up a manifest");
  const int rc = sqlite3_step(select);
  if (rc == SQLITE_DONE) return std::nullopt;
  if (rc != SQLITE_ROW) impl_->fail_sqlite("cannot look up a manifest");

  // The schema's CHECK constraints make these hold for every writer that keeps to the spec.
  if (sqlite3_column_type(select, 0) != SQLITE_BLOB || sqlite3_column_type(select, 1) != SQLITE_TEXT ||
      sqlite3_column_type(select, 2) != SQLITE_TEXT || sqlite3_column_type(select, 3) != SQLITE_INTEGER)
    impl_->fail_store("corrupt row: a column has the wrong type");
  const std::int64_t signed_at_ms = sqlite3_column_int64(select, 3);
  // Outside this range the conversion to system_clock's nanoseconds would overflow.
  if (signed_at_ms < std::chrono::ceil<milliseconds>(system_clock::duration::min()).count() ||
      signed_at_ms > std::chrono::floor<milliseconds>(system_clock::duration::max()).count())
    impl_->fail_store("corrupt row: signed_at out of range");

  const auto* store = static_cast<const std::uint8_t*>(sqlite3_column_blob(select, 0));
  const auto store_size = static_cast<std::size_t>(sqlite3_column_bytes(select, 0));
  if (store_size > max_store_bytes)
    fail(Errc::limit_exceeded, "manifest store '" + impl_->path + "': a stored manifest store of " +
                                   std::to_string(store_size) + " bytes is larger than the limit of " +
                                   std::to_string(max_store_bytes));
  const auto text = [select](int column) {
    const auto* chars = reinterpret_cast<const char*>(sqlite3_column_text(select, column));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(select, column));
    return chars == nullptr ? std::string() : std::string(chars, size);
  };

  StoredManifest found;
  found.payload = payload;
  if (store_size > 0) found.store.assign(store, store + store_size);
  found.active_manifest = text(1);
  found.media_type = text(2);
  found.signed_at = system_clock::time_point(milliseconds(signed_at_ms));
  return found;
}

}  // namespace provmark
