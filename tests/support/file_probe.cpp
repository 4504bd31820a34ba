#include "tests/support/file_probe.hpp"

#include <array>
#include <atomic>
#include <cstddef>
#include <stdexcept>

#include <sqlite3.h>

namespace outreach::testing {
namespace {

constexpr std::size_t kKinds = 5;
std::array<std::atomic<int>, kKinds> g_opens;
std::array<std::atomic<int>, kKinds> g_syncs;
std::array<std::atomic<bool>, kKinds> g_failing;
sqlite3_vfs* g_real = nullptr;
std::atomic<bool> g_alive{false};

// The probe's file: its own header, then the real VFS's file in the same allocation.
struct File {
  sqlite3_file base;
  FileKind kind;
};

sqlite3_file* real(sqlite3_file* f) {
  return reinterpret_cast<sqlite3_file*>(reinterpret_cast<File*>(f) + 1);
}

FileKind kind_of(int flags) {
  if (flags & SQLITE_OPEN_MAIN_DB)
    return FileKind::kMainDb;
  if (flags & SQLITE_OPEN_WAL)
    return FileKind::kWal;
  if (flags & SQLITE_OPEN_MAIN_JOURNAL)
    return FileKind::kMainJournal;
  if (flags & (SQLITE_OPEN_SUBJOURNAL | SQLITE_OPEN_TEMP_JOURNAL | SQLITE_OPEN_TEMP_DB |
               SQLITE_OPEN_TRANSIENT_DB))
    return FileKind::kTemp;
  return FileKind::kOther;
}

#define OUTREACH_FORWARD(name, sig, args) \
  int name sig {                          \
    return real(f)->pMethods->name args;  \
  }
OUTREACH_FORWARD(xRead, (sqlite3_file * f, void* p, int n, sqlite3_int64 o), (real(f), p, n, o))
OUTREACH_FORWARD(xWrite,
                 (sqlite3_file * f, const void* p, int n, sqlite3_int64 o),
                 (real(f), p, n, o))
OUTREACH_FORWARD(xTruncate, (sqlite3_file * f, sqlite3_int64 n), (real(f), n))
OUTREACH_FORWARD(xFileSize, (sqlite3_file * f, sqlite3_int64* n), (real(f), n))
OUTREACH_FORWARD(xLock, (sqlite3_file * f, int l), (real(f), l))
OUTREACH_FORWARD(xUnlock, (sqlite3_file * f, int l), (real(f), l))
OUTREACH_FORWARD(xCheckReservedLock, (sqlite3_file * f, int* r), (real(f), r))
OUTREACH_FORWARD(xFileControl, (sqlite3_file * f, int op, void* a), (real(f), op, a))
OUTREACH_FORWARD(xSectorSize, (sqlite3_file * f), (real(f)))
OUTREACH_FORWARD(xDeviceCharacteristics, (sqlite3_file * f), (real(f)))
OUTREACH_FORWARD(xShmMap,
                 (sqlite3_file * f, int pg, int sz, int ext, void volatile** p),
                 (real(f), pg, sz, ext, p))
OUTREACH_FORWARD(xShmLock, (sqlite3_file * f, int o, int n, int fl), (real(f), o, n, fl))
OUTREACH_FORWARD(xShmUnmap, (sqlite3_file * f, int del), (real(f), del))
OUTREACH_FORWARD(xFetch, (sqlite3_file * f, sqlite3_int64 o, int n, void** p), (real(f), o, n, p))
OUTREACH_FORWARD(xUnfetch, (sqlite3_file * f, sqlite3_int64 o, void* p), (real(f), o, p))
#undef OUTREACH_FORWARD

int xClose(sqlite3_file* f) {
  const int rc = real(f)->pMethods ? real(f)->pMethods->xClose(real(f)) : SQLITE_OK;
  f->pMethods = nullptr;
  return rc;
}

int xSync(sqlite3_file* f, int flags) {
  const auto kind = static_cast<std::size_t>(reinterpret_cast<File*>(f)->kind);
  g_syncs[kind]++;
  if (g_failing[kind])
    return SQLITE_IOERR_FSYNC;
  return real(f)->pMethods->xSync(real(f), flags);
}

void xShmBarrier(sqlite3_file* f) {
  real(f)->pMethods->xShmBarrier(real(f));
}

const sqlite3_io_methods kMethods = {3,
                                     xClose,
                                     xRead,
                                     xWrite,
                                     xTruncate,
                                     xSync,
                                     xFileSize,
                                     xLock,
                                     xUnlock,
                                     xCheckReservedLock,
                                     xFileControl,
                                     xSectorSize,
                                     xDeviceCharacteristics,
                                     xShmMap,
                                     xShmLock,
                                     xShmBarrier,
                                     xShmUnmap,
                                     xFetch,
                                     xUnfetch};

int probe_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out) {
  auto* pf = reinterpret_cast<File*>(f);
  pf->base.pMethods = nullptr;
  pf->kind = kind_of(flags);
  const int rc = g_real->xOpen(g_real, name, real(f), flags, out);
  if (rc != SQLITE_OK)
    return rc;
  g_opens[static_cast<std::size_t>(pf->kind)]++;
  pf->base.pMethods = &kMethods;
  return SQLITE_OK;
}

sqlite3_vfs g_probe;  // filled from the real VFS when the first probe is made

}  // namespace

FileProbe::FileProbe() {
  if (g_alive.exchange(true))
    throw std::logic_error("one FileProbe at a time");
  for (auto& c : g_opens) c = 0;
  for (auto& c : g_syncs) c = 0;
  for (auto& c : g_failing) c = false;
  g_real = sqlite3_vfs_find(nullptr);
  g_probe = *g_real;  // every other call goes straight to the real VFS
  g_probe.szOsFile = static_cast<int>(sizeof(File)) + g_real->szOsFile;
  g_probe.zName = "outreach-file-probe";
  g_probe.pNext = nullptr;
  g_probe.xOpen = probe_open;
  sqlite3_vfs_register(&g_probe, 1);
}

FileProbe::~FileProbe() {
  sqlite3_vfs_unregister(&g_probe);
  sqlite3_vfs_register(g_real, 1);
  g_alive = false;
}

int FileProbe::opens(FileKind kind) const {
  return g_opens[static_cast<std::size_t>(kind)].load();
}

int FileProbe::syncs(FileKind kind) const {
  return g_syncs[static_cast<std::size_t>(kind)].load();
}

void FileProbe::fail_syncs(FileKind kind, bool fail) {
  g_failing[static_cast<std::size_t>(kind)] = fail;
}

}  // namespace outreach::testing
